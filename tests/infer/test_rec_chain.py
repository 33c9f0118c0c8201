"""Every recognition config: generate -> train a few steps -> eval -> export (parity) -> predict_rec/infer_rec."""
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_tool

REC_CONFIGS = sorted((ROOT / "configs" / "rec").glob("*.yml"))


@pytest.fixture(scope="module")
def rec_data(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("rec_data")
    run_tool("tools/gen_data.py", "rec", "--out", out, "--num", 24, "--seed", 4, "--max_len", 10)
    return out


def read_rec_results(path: Path):
    rows = [line.split("\t") for line in path.read_text().splitlines()]
    return {Path(p).name: (t, float(s)) for p, t, s in rows}


@pytest.mark.parametrize("config", REC_CONFIGS, ids=[c.stem for c in REC_CONFIGS])
def test_rec_config_train_eval_export_predict(config, rec_data, tmp_path):
    out, inf = tmp_path / "out", tmp_path / "inf"
    label = rec_data / "label.txt"
    opts = [f"Global.save_model_dir={out}", "Global.epoch_num=1", "Global.eval_batch_step=[0,0]",
            "Global.print_batch_step=1", f"Global.infer_img={rec_data / 'images'}", "Global.use_space_char=true",
            "Train.dataset.name=SimpleDataSet", "Eval.dataset.name=SimpleDataSet",
            f"Train.dataset.data_dir={rec_data}", f"Train.dataset.label_file_list=[{label}]",
            f"Eval.dataset.data_dir={rec_data}", f"Eval.dataset.label_file_list=[{label}]",
            "Train.loader.batch_size_per_card=12", "Train.loader.num_workers=0", "Eval.loader.num_workers=0"]
    log = run_tool("tools/train.py", "-c", config, "-o", *opts).stdout
    assert "global_step: 2" in log and re.search(r"eval at step 2: acc: [\d.]+, norm_edit_dis: [\d.]+", log)
    assert re.search(r"global_step: 1, lr: [\d.]+, loss: [\d.]+, acc: ", log)  # cal_metric_during_train
    assert re.search(r"\d+ classes: (sos \+ )?\d+ dictionary characters", log)

    cfg = out / "config.yml"
    exp = run_tool("tools/export_model.py", "-c", cfg, "-o", f"Global.checkpoints={out / 'latest'}",
                   f"Global.save_inference_dir={inf}").stdout
    assert float(re.search(r"max \|dygraph - exported\| = ([\d.e+-]+)", exp).group(1)) < 1e-3

    pred = run_tool("tools/infer/predict_rec.py", f"--image_dir={rec_data / 'images'}", f"--rec_model_dir={inf}",
                    f"--output_dir={tmp_path / 'res_pred'}").stdout
    assert "recognized 24 crops" in pred
    run_tool("tools/infer_rec.py", "-c", cfg, "-o", f"Global.checkpoints={out / 'latest'}",
             "--output_dir", tmp_path / "res_dy")
    exported = read_rec_results(tmp_path / "res_pred" / "rec_results.txt")
    dygraph = read_rec_results(tmp_path / "res_dy" / "rec_results.txt")
    assert exported.keys() == dygraph.keys() and len(exported) == 24
    for name, (text, score) in exported.items():
        assert text == dygraph[name][0] and abs(score - dygraph[name][1]) < 1e-3, name
