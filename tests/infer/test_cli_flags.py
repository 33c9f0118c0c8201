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


def test_reading_flags_change_one_step_of_the_models_policy():
    from ppocr.infer.reading import PRESETS, policy_from_args

    args = init_args("t").parse_args(["--image_dir=x", "--rec_char_lm=none", "--rec_lm_weight=0.2",
                                      "--rec_lm_bonus=1", "--rec_lexicon=none", "--rec_both_ways=false"])
    saved = dict(PRESETS["shipped"].to_dict(), stretch_retry=1.5)  # a model exported with its own setting
    policy = policy_from_args(args, saved, "model/inference.yml")
    assert (policy.char_lm, policy.lm_weight, policy.lm_bonus, policy.lexicon) == ("none", 0.2, 1.0, "none")
    assert policy.both_ways is False and policy.stretch_retry == 1.5  # the rest stays the model's
    plain = policy_from_args(init_args("t").parse_args(["--image_dir=x", "--reading=plain"]), saved, "m")
    assert plain == PRESETS["plain"]


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


def _args(*flags):
    return init_args("t").parse_args(["--image_dir=x", *flags])


def test_east_flags_on_a_db_model_are_ignored_with_a_warning(caplog):
    with caplog.at_level("WARNING", logger="ppocr"):
        contract = det_contract(_args("--det_east_score_thresh=0.5", "--det_db_unclip_ratio=2.0"))
    assert "--det_east_score_thresh ignored: the model in" in caplog.text and "is DB, not EAST" in caplog.text
    assert contract["PostProcess"]["unclip_ratio"] == 2.0 and "score_thresh" not in contract["PostProcess"]


def test_algorithm_flags_must_name_the_model_s_algorithm():
    from ppocr.errors import ConfigError
    from ppocr.infer.cli import rec_contract

    assert det_contract(_args("--det_algorithm=DB"))["algorithm"] == "DB"
    with pytest.raises(ConfigError, match="--det_algorithm=EAST but .* holds a DB model"):
        det_contract(_args("--det_algorithm=EAST"))
    assert rec_contract(_args("--rec_algorithm=CRNN"))["algorithm"] == "CRNN"
    with pytest.raises(ConfigError, match="--rec_algorithm=RARE but .* holds a CRNN model"):
        rec_contract(_args("--rec_algorithm=RARE"))


def test_rec_image_shape_sets_the_resize_and_a_fixed_width_model_refuses_another(tmp_path):
    import shutil

    import yaml

    from ppocr.errors import ConfigError
    from ppocr.infer.cli import rec_contract
    from ppocr.infer.contract import find_op
    from ppocr.infer.models import DEFAULT_REC_MODEL_DIR

    contract = rec_contract(_args("--rec_image_shape=3, 48, 400"))
    assert find_op(contract, "RecResizeImg")["image_shape"] == [3, 48, 400]
    fixed = tmp_path / "rec"  # as a TPS model is exported: for one input width
    shutil.copytree(DEFAULT_REC_MODEL_DIR, fixed)
    saved = yaml.safe_load((fixed / "inference.yml").read_text())
    saved["input_shape"][3] = 100
    (fixed / "inference.yml").write_text(yaml.safe_dump(saved))
    with pytest.raises(ConfigError, match="exported for width 100 only"):
        rec_contract(_args(f"--rec_model_dir={fixed}", "--rec_image_shape=3,32,320"))
    assert find_op(rec_contract(_args(f"--rec_model_dir={fixed}", "--rec_image_shape=3,32,100")),
                   "RecResizeImg")["image_shape"] == [3, 32, 100]


def test_dictionary_flags_must_give_the_model_s_class_count(tmp_path):
    from ppocr.errors import ConfigError
    from ppocr.infer.cli import rec_contract

    with pytest.raises(ConfigError, match="give 309 classes but the model in .* predicts 310"):
        rec_contract(_args("--use_space_char=false"))
    # the shipped dictionary's 308 characters in reverse order: same count, other characters per class
    saved = rec_contract(_args())["Character"]["characters"]
    reverse = tmp_path / "dict.txt"
    reverse.write_text("\n".join(c for c in reversed(saved) if c != " ") + "\n", encoding="utf-8")
    contract = rec_contract(_args(f"--rec_char_dict_path={reverse}", "--use_space_char=true"))
    assert contract["Character"]["characters"][:3] == saved[::-1][:3] != saved[:3]
    assert contract["Character"]["num_classes"] == 310


def test_missing_optional_packages_name_their_install_command(monkeypatch, tmp_path):
    import sys

    from ppocr.errors import ConfigError
    from ppocr.infer.backends import OnnxBackend, resolve_use_onnx
    from ppocr.infer.images import read_pages
    from ppocr.infer.models import DEFAULT_DET_MODEL_DIR

    monkeypatch.setitem(sys.modules, "pypdfium2", None)  # an import of it now fails, as when not installed
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4\n")
    with pytest.raises(ValueError, match=r"PDF input needs pypdfium2 \(pip install -r requirements-pdf.txt\)"):
        read_pages(str(tmp_path / "a.pdf"))
    with pytest.raises(ConfigError, match=r"--use_onnx needs onnxruntime: pip install -r requirements-onnx.txt"):
        OnnxBackend(DEFAULT_DET_MODEL_DIR)
    assert not resolve_use_onnx(DEFAULT_DET_MODEL_DIR, None)  # unset: Paddle Inference, no error
