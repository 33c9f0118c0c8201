"""The direction classifier's chain: recognition crops -> train (loss falls) -> eval -> export (parity) ->
predict_cls / infer_cls; and a PaddleOCR 2.0 cls label file trains as it is."""
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_tool

CLS_CONFIG = ROOT / "configs" / "cls" / "cls_mv3.yml"
SHIPPED_CONFIG = ROOT / "configs" / "cls" / "cls_mv3_en.yml"


@pytest.fixture(scope="module")
def crops(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cls_crops")
    run_tool("tools/gen_data.py", "rec", "--out", out, "--num", 32, "--seed", 6, "--max_len", 12)
    return out


def data_overrides(data_dir: Path, label: Path, save_dir: Path) -> list:
    return [f"Global.save_model_dir={save_dir}", "Global.print_batch_step=1", "Global.eval_batch_step=[0,0]",
            f"Global.infer_img={data_dir / 'images'}", "Train.dataset.name=SimpleDataSet",
            "Eval.dataset.name=SimpleDataSet", f"Train.dataset.data_dir={data_dir}",
            f"Train.dataset.label_file_list=[{label}]", f"Eval.dataset.data_dir={data_dir}",
            f"Eval.dataset.label_file_list=[{label}]", "Train.loader.batch_size_per_card=16",
            "Eval.loader.batch_size_per_card=16", "Train.loader.num_workers=0", "Eval.loader.num_workers=0"]


def test_recognition_crops_train_a_four_direction_classifier_end_to_end(crops, tmp_path):
    out, inf = tmp_path / "out", tmp_path / "inf"
    opts = data_overrides(crops, crops / "label.txt", out) + ["Global.epoch_num=12",
                                                              "Optimizer.lr.learning_rate=0.005"]
    log = run_tool("tools/train.py", "-c", SHIPPED_CONFIG, "-o", *opts).stdout
    losses = [float(v) for v in re.findall(r"global_step: \d+, lr: [\d.]+, loss: ([\d.]+)", log)]
    assert len(losses) == 24 and sum(losses[-4:]) < sum(losses[:4]), losses
    assert re.search(r"eval at step 24: acc: [\d.]+", log)

    exp = run_tool("tools/export_model.py", "-c", out / "config.yml", "-o", f"Global.checkpoints={out / 'latest'}",
                   f"Global.save_inference_dir={inf}", "--onnx").stdout
    for what in ("exported", "inference.onnx"):
        assert float(re.search(rf"max \|dygraph - {what}\| = ([\d.e+-]+)", exp).group(1)) < 1e-4
    import yaml

    contract = yaml.safe_load((inf / "inference.yml").read_text())
    import ppocr

    assert contract["exported_by"] == f"ppocr-lite {ppocr.__version__}"  # the toolkit that exported it
    assert contract["model_type"] == "cls" and contract["label_list"] == ["0", "90", "180", "270"]
    assert contract["input_shape"] == [None, 3, 48, 192] and "Reading" not in contract
    assert not any("RandomDirectionLabel" in op or "RecAug" in op for op in contract["PreProcess"])

    pred = run_tool("tools/infer/predict_cls.py", f"--image_dir={crops / 'images'}", f"--cls_model_dir={inf}",
                    "--use_onnx=false", f"--output_dir={tmp_path / 'pred'}", "--label_list=['0','90','180','270']")
    assert "classified 32 crops" in pred.stdout
    run_tool("tools/infer_cls.py", "-c", out / "config.yml", "-o", f"Global.checkpoints={out / 'latest'}",
             "--output_dir", tmp_path / "dy")
    exported = [line.split("\t") for line in (tmp_path / "pred" / "cls_results.txt").read_text().splitlines()]
    dygraph = [line.split("\t") for line in (tmp_path / "dy" / "cls_results.txt").read_text().splitlines()]
    assert len(exported) == 32 and [r[:2] for r in exported] == [r[:2] for r in dygraph]
    assert all(abs(float(a[2]) - float(b[2])) < 1e-3 for a, b in zip(exported, dygraph))

    wrong = run_tool("tools/infer/predict_cls.py", f"--image_dir={crops / 'images'}", f"--cls_model_dir={inf}",
                     "--label_list=['0','180']", check=False)
    assert wrong.returncode != 0 and "classifies ['0', '90', '180', '270']" in wrong.stdout


def test_a_paddleocr_cls_label_file_trains_as_it_is(crops, tmp_path):
    """``path<TAB>0`` / ``path<TAB>180`` lines, half of the crops stored upside down; a label outside
    label_list is reported with its line and skipped."""
    import cv2

    lines = []
    for i, line in enumerate((crops / "label.txt").read_text().splitlines()):
        path = line.split("\t")[0]
        if i % 2:
            img = cv2.imread(str(crops / path))
            path = path.replace(".jpg", "_180.jpg").replace(".png", "_180.png")
            cv2.imwrite(str(crops / path), cv2.rotate(img, cv2.ROTATE_180))
        lines.append(f"{path}\t{180 if i % 2 else 0}")
    lines.append(f"{lines[0].split(chr(9))[0]}\t90")
    label = tmp_path / "cls_train.txt"
    label.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out"
    log = run_tool("tools/train.py", "-c", CLS_CONFIG, "-o", *data_overrides(crops, label, out),
                   "Global.epoch_num=2").stdout
    assert re.search(r"cls_train.txt:33: label '90' is not one of label_list \['0', '180'\]", log), log
    assert "global_step: 4" in log and re.search(r"eval at step 4: acc: [\d.]+", log)
