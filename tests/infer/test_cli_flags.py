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


def test_reading_flags_reach_the_recognizer_and_the_system():
    from ppocr.infer.cli import reading_options

    args = init_args("t").parse_args(["--image_dir=x", "--rec_char_lm=none", "--rec_lm_weight=0.2",
                                      "--rec_lm_bonus=1", "--rec_lexicon=none"])
    options = reading_options(args)
    assert options["char_lm"] == "none" and options["lm_weight"] == 0.2 and options["lm_bonus"] == 1.0
    assert reading_options(args, "rec_")["rec_lexicon"] == "none"


def test_a_bad_language_model_file_is_one_clear_error(tmp_path):
    from tests.conftest import run_tool

    bad = tmp_path / "char_lm.json.gz"
    bad.write_text("not gzip")
    proc = run_tool("tools/infer/predict_rec.py", "--image_dir=doc/imgs_words/", f"--rec_char_lm={bad}",
                    f"--output_dir={tmp_path}", check=False)
    assert proc.returncode == 2 and "is not a character language model" in proc.stdout
    assert "Traceback" not in proc.stdout


@pytest.mark.parametrize("flag, value", [("--rec_stretch_retry", "0.5"), ("--rec_lm_weight", "-1"),
                                         ("--rec_crop_margin", "-0.1")])
def test_out_of_range_reading_flags_are_one_clear_error(tmp_path, flag, value):
    from tests.conftest import run_tool

    proc = run_tool("tools/infer/predict_rec.py", "--image_dir=doc/imgs_words/", f"{flag}={value}",
                    f"--output_dir={tmp_path}", check=False)
    assert proc.returncode == 2 and flag in proc.stdout and "must be >=" in proc.stdout
    assert "Traceback" not in proc.stdout
