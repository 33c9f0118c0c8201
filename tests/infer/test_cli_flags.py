"""Command-line flags of the predictors land in the model's inference.yml settings."""
import pytest

from ppocr.infer.cli import det_contract, init_args
from ppocr.infer.models import DEFAULT_DET_MODEL_DIR


def test_db_flags_override_the_exported_post_process():
    pytest.importorskip("paddle")
    args = init_args("t").parse_args(["--image_dir=x", f"--det_model_dir={DEFAULT_DET_MODEL_DIR}", "--det_db_score_mode=slow",
                                      "--det_db_box_thresh=0.4", "--det_limit_side_len=1280"])
    contract = det_contract(args)
    assert contract["PostProcess"]["score_mode"] == "slow"
    assert contract["PostProcess"]["box_thresh"] == 0.4
    resize = [op["DetResizeForTest"] for op in contract["PreProcess"] if "DetResizeForTest" in op][0]
    assert resize["limit_side_len"] == 1280


def test_unknown_score_mode_is_refused(capsys):
    with pytest.raises(SystemExit):
        init_args("t").parse_args(["--image_dir=x", "--det_db_score_mode=exact"])
    assert "invalid choice: 'exact'" in capsys.readouterr().err
