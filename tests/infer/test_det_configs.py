"""The other shipped detection configs (ResNet50_vd DB, MobileNetV3 and ResNet50_vd EAST) train, evaluate, export
and predict like det_mv3_db and the default English DB, which tests/infer/test_det_chain.py covers in depth."""
import re

import numpy as np
import pytest

from tests.conftest import ROOT, SHIPPED_DET, run_tool
from tests.infer.test_det_chain import read_results

CONFIGS = ["det_r50_vd_db", "det_mv3_east", "det_r50_vd_east"]


def fast_overrides(config, data_dir, save_dir):
    label = str(data_dir / "label.txt")
    opts = [f"Global.save_model_dir={save_dir}", "Global.epoch_num=1", "Global.print_batch_step=1",
            "Global.eval_batch_step=[0,0]", "Global.infer_img=None", "Global.to_static=false",
            f"Train.dataset.data_dir={data_dir}", f"Train.dataset.label_file_list=[{label}]",
            f"Eval.dataset.data_dir={data_dir}", f"Eval.dataset.label_file_list=[{label}]",
            "Train.loader.batch_size_per_card=2", "Train.loader.num_workers=0", "Eval.loader.num_workers=0",
            "Train.dataset.transforms.3.EastRandomCropData.size=[128,128]",
            "Eval.dataset.transforms.2.DetResizeForTest.image_shape=[128,128]",
            "Eval.dataset.transforms.2.DetResizeForTest.limit_side_len=256"]
    if "east" in config:  # an untrained EAST scores ~0.5 everywhere: a low threshold gives boxes to compare
        opts += ["PostProcess.score_thresh=0.4"]
    return opts


@pytest.mark.parametrize("config", CONFIGS)
def test_config_trains_evaluates_exports_and_predicts(config, det_data, tmp_path):
    out, inf = tmp_path / "out", tmp_path / "inference"
    algorithm = "EAST" if "east" in config else "DB"
    log = run_tool("tools/train.py", "-c", ROOT / "configs" / "det" / f"{config}.yml", "-o",
                   *fast_overrides(config, det_data, out)).stdout
    assert "global_step: 3" in log and "training done" in log
    hmean = float(re.findall(r"eval at step 3: precision: [\d.]+, recall: [\d.]+, hmean: ([\d.]+)", log)[-1])
    cfg, weights = out / "config.yml", f"Global.checkpoints={out / 'latest'}"
    ev = run_tool("tools/eval.py", "-c", cfg, "-o", weights).stdout
    assert abs(float(re.search(r"^hmean: ([\d.]+)", ev, re.M).group(1)) - hmean) < 1e-4

    exp = run_tool("tools/export_model.py", "-c", cfg, "-o", weights, f"Global.save_inference_dir={inf}").stdout
    # float32 through ResNet50's 50 layers, with oneDNN in the exported model: about 1e-4 of the output range
    assert float(re.search(r"max \|dygraph - exported\| = [\d.e+-]+ \(([\d.e+-]+) relative", exp).group(1)) < 1e-3
    assert f"algorithm: {algorithm}" in (inf / "inference.yml").read_text()

    image = det_data / "images" / "000000.jpg"
    run_tool("tools/infer/predict_det.py", f"--image_dir={image}", f"--det_model_dir={inf}",
             f"--det_algorithm={algorithm}", f"--output_dir={tmp_path / 'pred'}")
    run_tool("tools/infer_det.py", "-c", cfg, "-o", weights, f"Global.infer_img={image}",
             "--output_dir", tmp_path / "dy")
    exported = read_results(tmp_path / "pred" / "det_results.txt")["000000.jpg"]
    dygraph = read_results(tmp_path / "dy" / "det_results.txt")["000000.jpg"]
    if algorithm == "DB":  # same maps up to 1e-3, so the same boxes
        assert len(exported) == len(dygraph)
        assert all(np.abs(a - b).max() <= 1.0 for a, b in zip(exported, dygraph))
    else:  # EAST's per-pixel candidates sit at the threshold of an untrained net: compare the totals only
        assert abs(len(exported) - len(dygraph)) <= max(2, 0.2 * len(dygraph))


def test_predict_det_refuses_a_wrong_algorithm_flag():
    proc = run_tool("tools/infer/predict_det.py", "--image_dir=doc/imgs", f"--det_model_dir={SHIPPED_DET}",
                    "--det_algorithm=EAST", check=False)
    assert proc.returncode == 2 and f"--det_algorithm=EAST but {SHIPPED_DET} holds a DB model" in proc.stdout
