"""inference.yml: built from a training config, written and read back unchanged, with the inference ops."""
import pytest

from ppocr.engine.runtime import build_shared
from ppocr.errors import ConfigError
from ppocr.infer.contract import contract_from_config, find_op, load_contract, save_contract
from ppocr.utils.config import load_merged_config
from tests.conftest import ROOT


def contract_of(config: str, *opts: str):
    cfg = load_merged_config(str(ROOT / "configs" / config), list(opts))
    return contract_from_config(cfg, build_shared(cfg))


def test_a_detector_contract_round_trips_with_inference_ops(tmp_path):
    contract = contract_of("det/det_mv3_db_en.yml")
    save_contract(contract, str(tmp_path))
    assert load_contract(str(tmp_path), "det") == contract
    assert contract["algorithm"] == "DB" and contract["outputs"] == ["maps"]
    assert contract["input_shape"] == [None, 3, None, None]
    names = [next(iter(op)) for op in contract["PreProcess"]]
    # the label encoder is gone; the pages keep their aspect ratio; image and its shape go to the model
    assert names == ["DecodeImage", "DetResizeForTest", "NormalizeImage", "ToCHWImage", "KeepKeys"]
    assert find_op(contract, "DetResizeForTest")["limit_side_len"] == 960
    assert find_op(contract, "KeepKeys") == {"keep_keys": ["image", "shape"]}
    assert contract["PostProcess"] == {"name": "DBPostProcess", "thresh": 0.3, "box_thresh": 0.6,
                                       "max_candidates": 1000, "unclip_ratio": 1.5, "score_mode": "slow"}
    with pytest.raises(ConfigError, match="holds a 'det' model, expected 'rec'"):
        load_contract(str(tmp_path), "rec")


def test_a_recognizer_contract_carries_its_dictionary_and_width_rule():
    crnn = contract_of("rec/rec_mv3_crnn_en.yml")
    assert crnn["input_shape"] == [None, 3, 32, None]  # any width: crops are batched by width
    assert crnn["Character"]["num_classes"] == 96 and crnn["Character"]["use_space_char"]  # 94 + space + blank
    tps = contract_of("rec/rec_mv3_tps_bilstm_ctc.yml")
    assert tps["input_shape"][3] == find_op(tps, "RecResizeImg")["image_shape"][2]  # TPS: one width only
    # character_type en, as in PaddleOCR 2.0: 36 lowercase letters and digits + blank, folded when read
    assert tps["Character"]["num_classes"] == 37 and tps["Character"]["fold_case"]
