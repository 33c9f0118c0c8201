"""Generate -> train -> eval -> export -> predict_det / infer_det, as users run them."""
import json
import re

import numpy as np
import pytest

from tests.conftest import DET_CONFIG, ROOT, SHIPPED_DET, fast_det_overrides, run_tool

SHIPPED_CONFIG = ROOT / "configs" / "det" / "det_mv3_db_en.yml"


def read_results(path):
    out = {}
    for line in path.read_text().splitlines():
        name, items = line.split("\t")
        out[name.rsplit("/", 1)[-1]] = [np.array(i["points"]) for i in json.loads(items)]
    return out


@pytest.mark.skipif(not (SHIPPED_DET / "inference.json").is_file(), reason="no shipped detector")
def test_generate_train_eval_export_predict(tmp_path):
    """Fine-tuned for a few steps from the shipped detector, so that every comparison covers real boxes."""
    data, out, inf = tmp_path / "data", tmp_path / "out", tmp_path / "inference"
    run_tool("tools/gen_data.py", "det", "--out", data, "--num", 4, "--seed", 11)
    # the shipped architecture and evaluation resize: the fast overrides' thin neck and 256 px pages are left out
    opts = [o for o in fast_det_overrides(data, out, epochs=2)
            if not o.startswith(("Architecture.Neck", "Eval.dataset.transforms"))] + [
        "Global.eval_batch_step=[0,4]", f"Global.infer_img={data / 'images'}",
        f"Global.pretrained_model={SHIPPED_DET}", "Optimizer.lr.learning_rate=0.00001"]
    log = run_tool("tools/train.py", "-c", SHIPPED_CONFIG, "-o", *opts).stdout
    assert "global_step: 4" in log and "training done" in log
    train_hmean = float(re.findall(r"eval at step \d+: precision: [\d.]+, recall: [\d.]+, hmean: ([\d.]+)", log)[-1])
    assert train_hmean > 0.8, log[-2000:]  # the shipped detector's lines, not an empty comparison

    cfg = out / "config.yml"  # the merged config saved by training
    ev = run_tool("tools/eval.py", "-c", cfg, "-o", f"Global.checkpoints={out / 'latest'}").stdout
    assert abs(float(re.search(r"^hmean: ([\d.]+)", ev, re.M).group(1)) - train_hmean) < 1e-4

    exp = run_tool("tools/export_model.py", "-c", cfg, "--onnx", "-o", f"Global.checkpoints={out / 'latest'}",
                   f"Global.save_inference_dir={inf}").stdout
    for f in ("inference.json", "inference.pdiparams", "inference.yml", "inference.onnx"):
        assert (inf / f).is_file()
    for what in ("exported", "inference.onnx"):
        assert float(re.search(rf"max \|dygraph - {what}\| = ([\d.e+-]+)", exp).group(1)) < 1e-4, exp

    pred = run_tool("tools/infer/predict_det.py", f"--image_dir={data / 'images'}", f"--det_model_dir={inf}",
                    f"--output_dir={tmp_path / 'res_pred'}", "--benchmark=True", "--use_onnx=false",
                    "--det_db_box_thresh=0.5").stdout
    assert re.search(r"benchmark mean per image .*: pre [\d.]+ ms, infer [\d.]+ ms, post [\d.]+ ms", pred)
    assert "overrides box_thresh=0.6" in pred
    pictures = sorted(p.name for p in (tmp_path / "res_pred").glob("det_res_*"))
    assert pictures == [f"det_res_{i:06d}.jpg" for i in range(4)]
    run_tool("tools/infer/predict_det.py", f"--image_dir={data / 'images'}", f"--det_model_dir={inf}",
             f"--output_dir={tmp_path / 'res_onnx'}", "--use_onnx=true", "--det_db_box_thresh=0.5")

    run_tool("tools/infer_det.py", "-c", cfg, "-o", f"Global.checkpoints={out / 'latest'}",
             f"Global.infer_img={data / 'images'}", "PostProcess.box_thresh=0.5", "--output_dir", tmp_path / "res_dy")
    dygraph = read_results(tmp_path / "res_dy" / "det_results.txt")
    assert len(dygraph) == 4 and all(len(boxes) >= 5 for boxes in dygraph.values()), dygraph
    for backend in ("res_pred", "res_onnx"):
        exported = read_results(tmp_path / backend / "det_results.txt")
        assert exported.keys() == dygraph.keys()
        for name in exported:
            assert len(exported[name]) == len(dygraph[name]), (backend, name)
            for a, b in zip(exported[name], dygraph[name]):
                assert np.abs(a - b).max() <= 1.0


def test_predict_det_reports_unreadable_files_and_continues(tmp_path):
    if not (SHIPPED_DET / "inference.json").is_file():
        pytest.skip("no shipped detector")
    imgs = tmp_path / "imgs"
    run_tool("tools/gen_data.py", "det", "--out", tmp_path / "g", "--num", 1, "--seed", 5)
    imgs.mkdir()
    (tmp_path / "g" / "images" / "000000.jpg").rename(imgs / "good.jpg")
    (imgs / "zero.png").write_bytes(b"")
    (imgs / "broken.jpg").write_bytes(b"\xff\xd8\xff garbage")
    proc = run_tool("tools/infer/predict_det.py", f"--image_dir={imgs}", f"--det_model_dir={SHIPPED_DET}",
                    f"--output_dir={tmp_path / 'res'}")
    assert "skipping" in proc.stdout and "zero.png: cannot decode image" in proc.stdout
    assert "broken.jpg" in proc.stdout and "1 images done, 2 failed" in proc.stdout
    assert (tmp_path / "res" / "det_res_good.jpg").is_file()


def test_export_parity_failure_and_skip(det_data, tmp_path):
    out = tmp_path / "out"
    run_tool("tools/train.py", "-c", DET_CONFIG, "-o", *fast_det_overrides(det_data, out, epochs=1))
    weights = [f"Global.checkpoints={out / 'latest'}", f"Global.save_inference_dir={tmp_path / 'inf'}"]
    strict = run_tool("tools/export_model.py", "-c", out / "config.yml", "--onnx", "--parity_tolerance=0", "-o",
                      *weights, check=False)
    # Paddle Inference without oneDNN is bit-exact, so oneDNN's drift (if any) is only a warning; ONNX Runtime's
    # kernels are not: the check fails, naming the file and how to go on
    assert strict.returncode == 1 and "inference.onnx in" in strict.stdout, strict.stdout
    assert "(tolerance 0.0): the files are written" in strict.stdout
    assert "--skip_check skips the check" in strict.stdout and (tmp_path / "inf" / "inference.json").is_file()
    skipped = run_tool("tools/export_model.py", "-c", out / "config.yml", "--skip_check", "-o", *weights)
    assert "parity check" not in skipped.stdout and f"exported {out / 'latest'}" in skipped.stdout
