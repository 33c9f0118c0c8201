"""PaddleOCR 2.x configs and flags carry over: its keys in its own spelling are used or ignored with a reason,
character_type means what it meant there, architectures this release lacks stop at load, its prediction
flags are accepted, and a run that fails to start writes nothing."""
import logging

import pytest

from ppocr.errors import ConfigError
from ppocr.utils.config import (
    IGNORED_GLOBAL_KEYS,
    SUPPORTED_ALGORITHMS,
    ignored_keys,
    load_merged_config,
    validate_config,
)
from tests.conftest import DET_CONFIG, ROOT, run_tool

REC_CONFIG = str(ROOT / "configs" / "rec" / "rec_mv3_none_bilstm_ctc.yml")
# Global keys of PaddleOCR 2.x configs with values as its configs set them (a value that asks for something).
PADDLEOCR_GLOBAL_VALUES = {
    "load_static_weights": True, "use_xpu": True, "use_npu": True, "use_mlu": True, "debug": True,
    "use_wandb": True, "use_tensorboard": True, "profiler_options": "batch_range=[10,20]", "scale_loss": 1024.0,
    "use_dynamic_loss_scaling": True, "amp_level": "O2", "amp_custom_black_list": ["reduce_mean"],
    "amp_custom_white_list": ["conv2d"], "d2s_train_image_shape": [3, 48, 320], "uniform_output_enabled": True,
    "model_name": "PP-OCRv4_mobile_det", "export_with_pir": True, "use_visualdl": True,
    "save_res_path": "./output/det_db/predicts_db.txt", "infer_mode": True, "distributed": True,
}


def test_every_ignored_key_has_a_case_here():
    assert set(PADDLEOCR_GLOBAL_VALUES) == set(IGNORED_GLOBAL_KEYS)


@pytest.mark.parametrize("key", sorted(PADDLEOCR_GLOBAL_VALUES))
def test_paddleocr_global_keys_load_with_one_line_saying_why(key, caplog):
    value = PADDLEOCR_GLOBAL_VALUES[key]
    with caplog.at_level(logging.INFO, logger="ppocr"):
        config = load_merged_config(DET_CONFIG, [f"Global.{key}={value}".replace("'", "")])
    lines = [r.getMessage() for r in caplog.records if f"Global.{key}:" in r.getMessage()]
    assert len(lines) == 1 and "is ignored: " + IGNORED_GLOBAL_KEYS[key] in lines[0], lines
    # set to false (as PaddleOCR's configs mostly do) it asks for nothing and is passed over silently
    config["Global"][key] = False
    assert ignored_keys(config) == []


def test_typos_are_still_errors_with_a_hint_among_real_keys():
    with pytest.raises(ConfigError, match=r"unknown key 'Global.load_static_weight'. Did you mean "
                                          r"'load_static_weights'"):
        validate_config({"Global": {"load_static_weight": True}})
    with pytest.raises(ConfigError, match=r"unknown key 'Global.epoch_nums'. Did you mean 'epoch_num'"):
        validate_config({"Global": {"epoch_nums": 3}})


@pytest.mark.parametrize("arch, refused", [
    ({"model_type": "table", "algorithm": "TableAttn"}, "table"), ({"model_type": "cls", "algorithm": "PPLCNet"},
                                                                    "PPLCNet"),
    ({"model_type": "rec", "algorithm": "SVTR"}, "SVTR"), ({"model_type": "rec", "algorithm": "SRN"}, "SRN"),
    ({"model_type": "rec", "algorithm": "NRTR"}, "NRTR"), ({"model_type": "det", "algorithm": "SAST"}, "SAST"),
    ({"model_type": "e2e", "algorithm": "PGNet"}, "e2e"), ({"model_type": "rec", "algorithm": "Distillation"},
                                                           "Distillation"),
    ({"model_type": "det", "algorithm": "CRNN"}, "CRNN"),
])
def test_architectures_this_release_lacks_are_refused_by_name(arch, refused):
    with pytest.raises(ConfigError) as raised:
        validate_config({"Architecture": arch})
    message = str(raised.value)
    assert f"not supported in this release: {refused}; supported: " in message, message
    assert all(a in message for algorithms in SUPPORTED_ALGORITHMS.values() for a in algorithms)


def test_a_refused_model_type_stops_train_py_before_anything_is_written(tmp_path):
    out = tmp_path / "never"
    proc = run_tool("tools/train.py", "-c", REC_CONFIG, "-o", "Architecture.model_type=e2e",
                    f"Global.save_model_dir={out}", check=False)
    errors = [line for line in proc.stdout.splitlines() if line.startswith("error:")]
    assert proc.returncode == 2 and "Traceback" not in proc.stdout, proc.stdout
    assert errors == ["error: Architecture.model_type: not supported in this release: e2e; supported: "
                      "det: DB EAST, rec: CRNN Rosetta STARNet RARE, cls: CLS"]
    assert not out.exists()


@pytest.mark.parametrize("character_type, classes, text, read", [
    ("en", 37, "Hello,World42!", "helloworld42"),  # PaddleOCR 2.0: lower case, other characters dropped
    ("EN_symbol", 95, "Hello,World42!", "Hello,World42!"),  # printable ASCII without white space
    ("EN", 95, "Hello,World42!", "Hello,World42!"),  # the dictionary file (the built-in en_dict.txt)
    (None, 95, "Hello,World42!", "Hello,World42!"),
])
def test_character_type_means_what_it_meant_in_paddleocr(character_type, classes, text, read):
    from ppocr.engine.runtime import build_shared
    from ppocr.utils.character import CharacterDict

    config = load_merged_config(REC_CONFIG, [f"Global.character_type={character_type}"])
    if character_type is None:
        del config["Global"]["character_type"]
    character = build_shared(config)["character"]
    assert character.num_classes == classes
    assert character.decode(character.encode(text)) == read
    # the exported model's contract keeps the folding, so prediction and evaluation read alike
    again = CharacterDict.from_contract(character.to_contract(), "model")
    assert again.fold_case == (character_type == "en") and again.num_classes == classes


def test_character_type_ch_reads_the_dictionary_file_and_unknown_types_are_refused():
    from ppocr.engine.runtime import build_shared

    config = load_merged_config(str(ROOT / "configs" / "rec" / "rec_chinese_lite_train.yml"))
    assert build_shared(config)["character"].num_classes > 6000
    for value, message in [("ch", "character_type ch needs Global.character_dict_path"),
                           ("english", "character_type: unknown value 'english'")]:
        config = load_merged_config(REC_CONFIG, [f"Global.character_type={value}"])
        with pytest.raises(ConfigError, match=message):
            build_shared(config)


def test_en_labels_train_folded_and_samples_without_a_letter_are_skipped():
    from ppocr.data.imaug.rec_label_ops import CTCLabelEncode
    from ppocr.utils.character import CharacterDict

    encode = CTCLabelEncode(CharacterDict.for_character_type("en"), max_text_length=10)
    assert encode({"label": "ABC-12"})["length"] == 5
    assert encode({"label": "?!"}) is None


OLD_FLAGS = ["--use_gpu=false", "--ir_optim=true", "--use_tensorrt=false", "--use_fp16=false", "--gpu_mem=500",
             "--rec_char_type=en", "--use_angle_cls=false", "--max_text_length=25", "--use_zero_copy_run=false",
             "--process_id=0", "--save_log_path=./log_output/", "--show_log=true", "--use_pdserving=false",
             "--use_dilation=false", "--det_max_side_len=960", "--precision=fp32", "--min_subgraph_size=15",
             "--cls_thresh=0.9", "--label_list=['0','180']", "--enable_mkldnn=false"]


def test_paddleocr_prediction_flags_are_accepted(tmp_path):
    proc = run_tool(ROOT / "tools/infer/predict_system.py", "--image_dir", ROOT / "doc" / "imgs" / "sign_1.jpg",
                    "--draw_img_save_dir", tmp_path / "pictures", *OLD_FLAGS, cwd=tmp_path)
    assert "--ir_optim is ignored: Paddle Inference always optimises the graph" in proc.stdout
    assert "--rec_char_type=en: the recognizer's dictionary is the one stored in its inference.yml" in proc.stdout
    assert (tmp_path / "pictures" / "system_results.txt").is_file()  # --draw_img_save_dir is --output_dir
    proc = run_tool(ROOT / "tools/infer/predict_rec.py", "--image_dir", ROOT / "doc" / "imgs_words",
                    "--rec_char_type=en", "--output_dir", tmp_path / "rec", cwd=tmp_path)
    assert "Traceback" not in proc.stdout


@pytest.mark.parametrize("flag, message", [
    ("--save_crop_res=true", "--save_crop_res=True: saving the recognition crops is not in this release"),
    ("--det_box_type=poly", "--det_box_type=poly: detecting polygons is not in this release"),
])
def test_flags_that_turn_on_a_missing_feature_fail_by_name(flag, message):
    from ppocr.infer.cli import init_args, parse_args

    with pytest.raises(ConfigError, match=message.replace("?", r"\?")):
        parse_args(init_args("test"), ["--image_dir", "x", flag])


def test_use_dilation_reaches_the_db_post_process():
    from ppocr.infer.cli import det_contract, init_args, parse_args

    args = parse_args(init_args("test"), ["--image_dir", "x", "--use_dilation=true"])
    assert det_contract(args)["PostProcess"]["use_dilation"] is True


def test_a_run_that_fails_to_start_leaves_the_existing_run_alone(det_data, tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / "config.yml").write_text("the config of an earlier run\n")
    base = ["Global.epoch_num=1", f"Global.save_model_dir={out}", f"Train.dataset.data_dir={tmp_path / 'typo'}"]
    proc = run_tool("tools/train.py", "-c", DET_CONFIG, "-o", *base, check=False)
    assert proc.returncode == 2 and "Train.dataset.data_dir: directory not found" in proc.stdout, proc.stdout
    assert (out / "config.yml").read_text() == "the config of an earlier run\n"
    assert not (out / "train.log").exists()
    fresh = tmp_path / "fresh"
    proc = run_tool("tools/train.py", "-c", DET_CONFIG, "-o", *base[:1], f"Global.save_model_dir={fresh}",
                    f"Train.dataset.data_dir={tmp_path / 'typo'}", check=False)
    assert proc.returncode == 2 and not fresh.exists()
