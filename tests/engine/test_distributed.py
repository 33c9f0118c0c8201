"""Data-parallel training on CPU: two processes under paddle.distributed.launch (gloo) learn identical
weights, the loss goes down, and only rank 0 writes checkpoints."""
import json
import os
import subprocess
import sys

import numpy as np

from tests.conftest import DET_CONFIG, ROOT, fast_det_overrides

SCRIPT = """
import json, sys
import numpy as np
sys.path.insert(0, {root!r})
from ppocr.engine.distributed import rank_and_world
from ppocr.engine.trainer import Trainer, setup_train_logging
from ppocr.utils.config import load_merged_config

setup_train_logging()  # as tools/train.py does
config = load_merged_config({config!r}, {opts!r})
rank, world = rank_and_world()
trainer = Trainer(config)
fields = next(iter(trainer.train_loader))[:-2]  # this rank's first batch
history = [trainer.step(fields)["loss"] for _ in range(8)]
trainer.train()
params = {{p.name: p.numpy() for p in trainer.model.parameters() if not p.stop_gradient}}
np.savez({out!r} + f"/rank{{rank}}.npz", **params)
json.dump({{"history": history, "world": world, "steps_per_epoch": trainer.steps_per_epoch}},
          open({out!r} + f"/rank{{rank}}.json", "w"))
"""


def test_two_process_data_parallel_training(det_data, tmp_path):
    save_dir = tmp_path / "out"
    opts = fast_det_overrides(det_data, save_dir, epochs=2) + ["Optimizer.lr.learning_rate=0.003"]
    script = tmp_path / "dp_train.py"
    script.write_text(SCRIPT.format(root=str(ROOT), config=DET_CONFIG, opts=opts, out=str(tmp_path)))
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, "-m", "paddle.distributed.launch", "--nproc_per_node", "2",
                           "--log_dir", str(tmp_path / "log"), str(script)], cwd=ROOT, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
    logs = {r: (tmp_path / "log" / f"workerlog.{r}").read_text() for r in (0, 1)}
    assert proc.returncode == 0, proc.stdout[-2000:] + logs[0][-2000:] + logs[1][-2000:]

    runs = [json.loads((tmp_path / f"rank{r}.json").read_text()) for r in (0, 1)]
    assert runs[0]["world"] == runs[1]["world"] == 2
    assert runs[0]["steps_per_epoch"] == 2  # 6 pages, batch 2 per process: 3 samples each, 2 batches
    for run in runs:
        h = run["history"]
        assert h[-1] < 0.9 * h[0], h
    weights = [np.load(tmp_path / f"rank{r}.npz") for r in (0, 1)]
    assert set(weights[0].files) == set(weights[1].files) and len(weights[0].files) > 50
    for name in weights[0].files:  # gradients are averaged over ranks, so every update is the same
        np.testing.assert_allclose(weights[0][name], weights[1][name], rtol=0, atol=1e-6, err_msg=name)

    assert "data-parallel over 2 processes: effective batch 4 (2 x 2)" in logs[0]
    assert "training done" in logs[0] and "training done" not in logs[1]  # rank 1 reports only problems
    assert (save_dir / "latest.pdparams").is_file() and (save_dir / "config.yml").is_file()
    assert not list(save_dir.glob("*.tmp*"))
