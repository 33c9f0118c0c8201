"""Train recognition configs one after another, each for a fixed wall-clock budget, and print the table of what
each reaches on the eval set (the "acc in 15 min" column of doc/recognition_en.md).

python3 benchmarks/rec_budget_table.py --minutes 15 --configs rec_mv3_none_none_ctc,rec_mv3_tps_bilstm_att

Every run uses the same settings: batch 32, Adam at a constant 0.002 after a short warm-up, 2 threads, one
DataLoader worker, the generated English data of the configs (use_space_char on), no evaluation until the budget
is spent. Runs are sequential (never two trainings at once on a small machine); each run's log and checkpoints go
to OUTPUT/<config>/. A run interrupted by the budget is resumable like any other.
"""
import argparse
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
COMMON = ["Global.epoch_num=1", "Global.eval_batch_step=[100000000,100000000]", "Global.print_batch_step=50",
          "Global.use_space_char=true", "Global.num_threads=2", "Optimizer.lr.name=Const",
          "Optimizer.lr.learning_rate=0.002", "Optimizer.lr.warmup_epoch=0.02",
          "Train.loader.batch_size_per_card=32", "Train.loader.num_workers=1"]


def run(config: str, minutes: float, out_dir: str, extra: list) -> dict:
    save_dir = os.path.join(out_dir, config)
    os.makedirs(save_dir, exist_ok=True)
    cmd = [sys.executable, "tools/train.py", "-c", f"configs/rec/{config}.yml", "-o", *COMMON,
           f"Global.save_model_dir={save_dir}", f"Global.max_train_minutes={minutes}", *extra]
    with open(os.path.join(save_dir, "budget_run.log"), "w") as log:
        subprocess.run(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, check=False)
    text = open(os.path.join(save_dir, "budget_run.log")).read()
    rates = re.findall(r"samples/s: ([\d.]+)", text)
    final = re.findall(r"eval at step (\d+): acc: ([\d.]+), norm_edit_dis: ([\d.]+)", text)
    if not final:
        return {"config": config, "error": text.strip().splitlines()[-1] if text.strip() else "no output"}
    return {"config": config, "steps": int(final[-1][0]), "samples_per_s": float(rates[-1]) if rates else None,
            "acc": float(final[-1][1]), "norm_edit_dis": float(final[-1][2])}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--configs", default="rec_mv3_none_none_ctc,rec_mv3_tps_bilstm_ctc,rec_mv3_tps_bilstm_att,"
                   "rec_r34_vd_none_none_ctc,rec_r34_vd_none_bilstm_ctc,rec_r34_vd_tps_bilstm_ctc,"
                   "rec_r34_vd_tps_bilstm_att")
    p.add_argument("--minutes", type=float, default=15)
    p.add_argument("--output", default="./output/rec_budget")
    p.add_argument("-o", "--opt", nargs="*", default=[], help="extra overrides for every run")
    args = p.parse_args()
    print("| config | steps (batch 32) | samples/s | acc | 1 - NED |\n|---|---|---|---|---|", flush=True)
    for config in args.configs.split(","):
        r = run(config, args.minutes, args.output, args.opt)
        if "error" in r:
            print(f"| `{config}` | failed: {r['error']} | | | |", flush=True)
        else:
            rate = "—" if r["samples_per_s"] is None else f"{r['samples_per_s']:.1f}"
            print(f"| `{config}` | {r['steps']} | {rate} | {r['acc']:.3f} | "
                  f"{r['norm_edit_dis']:.3f} |", flush=True)


if __name__ == "__main__":
    main()
