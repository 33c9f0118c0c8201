"""Generate -> train -> eval -> export -> predict_det / infer_det, as users run them."""
import json
import re

import numpy as np
import pytest

from tests.conftest import DET_CONFIG, SHIPPED_DET, fast_det_overrides, run_tool


def read_results(path):
    out = {}
    for line in path.read_text().splitlines():
        name, items = line.split("\t")
        out[name.rsplit("/", 1)[-1]] = [np.array(i["points"]) for i in json.loads(items)]
    return out


def test_generate_train_eval_export_predict(tmp_path):
    data, out, inf = tmp_path / "data", tmp_path / "out", tmp_path / "inference"
    run_tool("tools/gen_data.py", "det", "--out", data, "--num", 4, "--seed", 11)
    opts = fast_det_overrides(data, out, epochs=2) + ["Global.eval_batch_step=[0,4]",
                                                     f"Global.infer_img={data / 'images'}"]
    log = run_tool("tools/train.py", "-c", DET_CONFIG, "-o", *opts).stdout
    assert "global_step: 4" in log and "training done" in log
    train_hmean = float(re.findall(r"eval at step \d+: precision: [\d.]+, recall: [\d.]+, hmean: ([\d.]+)", log)[-1])

    cfg = out / "config.yml"  # the merged config saved by training
    ev = run_tool("tools/eval.py", "-c", cfg, "-o", f"Global.checkpoints={out / 'latest'}").stdout
    assert abs(float(re.search(r"^hmean: ([\d.]+)", ev, re.M).group(1)) - train_hmean) < 1e-4

    exp = run_tool("tools/export_model.py", "-c", cfg, "-o", f"Global.checkpoints={out / 'latest'}",
                   f"Global.save_inference_dir={inf}").stdout
    for f in ("inference.json", "inference.pdiparams", "inference.yml"):
        assert (inf / f).is_file()
    diff = float(re.search(r"max \|dygraph - exported\| = ([\d.e+-]+)", exp).group(1))
    assert diff < 1e-4

    # Low thresholds so that the briefly trained model yields boxes to compare.
    flags = ["--det_db_thresh=0.2", "--det_db_box_thresh=0.2"]
    pred = run_tool("tools/infer/predict_det.py", f"--image_dir={data / 'images'}", f"--det_model_dir={inf}",
                    f"--output_dir={tmp_path / 'res_pred'}", "--benchmark=True", *flags).stdout
    assert re.search(r"benchmark mean per image .*: pre [\d.]+ ms, infer [\d.]+ ms, post [\d.]+ ms", pred)
    assert "overrides thresh=0.3" in pred
    pictures = sorted(p.name for p in (tmp_path / "res_pred").glob("det_res_*"))
    assert pictures == [f"det_res_{i:06d}.jpg" for i in range(4)]

    run_tool("tools/infer_det.py", "-c", cfg, "-o", f"Global.checkpoints={out / 'latest'}",
             f"Global.infer_img={data / 'images'}", "PostProcess.thresh=0.2", "PostProcess.box_thresh=0.2",
             "--output_dir", tmp_path / "res_dy")
    exported, dygraph = read_results(tmp_path / "res_pred" / "det_results.txt"), read_results(
        tmp_path / "res_dy" / "det_results.txt")
    assert exported.keys() == dygraph.keys() and len(exported) == 4
    for name in exported:
        assert len(exported[name]) == len(dygraph[name]), name
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
