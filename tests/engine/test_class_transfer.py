"""Fine-tuning onto another dictionary: the head's rows follow their characters (ppocr/engine/class_transfer.py)."""
import unicodedata

import numpy as np
import pytest

from ppocr.engine.class_transfer import (NEW_CLASS_BIAS_MARGIN, ClassMap, lookalike, pretrained_classes,
                                         transfer_rows)
from tests.conftest import ROOT

REC_DIR = ROOT / "inference" / "rec_mv3_crnn_en"


def test_new_characters_take_the_row_of_their_look_alike():
    old = ["blank", "a", "e", "'", " "]
    new = ["blank", "a", "e", "\u00e9", "\u2019", "\u0436", " "]  # é, right quote, a Cyrillic letter
    mapping = ClassMap.between(old, new)
    assert mapping.source == [0, 1, 2, 2, 3, None, 4]
    assert mapping.borrowed == [False, False, False, True, True, False, False]
    assert mapping.summary() == ("4 classes kept their rows, 2 started from a look-alike character's (é from e), "
                                 "1 fresh")
    assert [lookalike(c) for c in "\u0151\u0141\u00df\u20ac\u2013x"] == ["o", "L", "B", "C", "-", None]


def test_transfer_rows_copies_weights_and_lowers_borrowed_biases():
    mapping = ClassMap([1, None, 0, 0], [False, False, False, True])
    old_w = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)  # [in=2, C=2]
    fresh_w = np.full((2, 4), 9.0, np.float32)
    assert transfer_rows(old_w, fresh_w, mapping, is_bias=False).tolist() == [[2, 9, 1, 1], [4, 9, 3, 3]]
    old_b = np.array([0.5, -2.0], np.float32)
    bias = transfer_rows(old_b, np.zeros(4, np.float32), mapping, is_bias=True)
    assert bias.tolist() == [-2.0, -2.0, 0.5, 0.5 - NEW_CLASS_BIAS_MARGIN]  # fresh: the lowest old bias


def test_latin_dictionary_extends_the_english_one_with_stable_characters():
    from ppocr.utils.character import read_dict_file

    english = read_dict_file(str(ROOT / "ppocr" / "utils" / "en_dict.txt"))
    latin = read_dict_file(str(ROOT / "ppocr" / "utils" / "latin_dict.txt"))
    assert latin[:len(english)] == english and len(set(latin)) == len(latin) == 308
    assert all(unicodedata.normalize("NFKC", c) == c for c in latin)  # what the PDF/HTML labels keep
    assert set("éüçñøßőłžčřęąšŒ€’“”–—«»") <= set(latin)


@pytest.mark.skipif(not (REC_DIR / "inference.json").is_file(), reason="no shipped recognizer")
def test_shipped_recognizer_fine_tunes_onto_the_latin_dictionary_reading_as_before():
    """configs/rec/rec_mv3_crnn_latin.yml starts from the shipped English recognizer: its 96 classes keep their
    rows, the 214 new ones borrow a look-alike's, and every greedy reading is the English model's."""
    import paddle

    from ppocr.engine.checkpoint import load_pretrained
    from ppocr.engine.runtime import build_components, build_shared
    from ppocr.infer.backends import PaddleInferenceBackend
    from ppocr.utils.config import load_config

    config = load_config(str(ROOT / "configs" / "rec" / "rec_mv3_crnn_latin.yml"))
    shared = build_shared(config)
    model = build_components(config, shared)[0]
    load_pretrained(config["Global"]["pretrained_model"], model, classes=shared["character"].classes)
    old = pretrained_classes(config["Global"]["pretrained_model"])  # from the export's inference.yml
    summary = ClassMap.between(old, shared["character"].classes).summary()
    assert summary.startswith("96 classes kept their rows, 214 started from a look-alike"), summary
    model.eval()
    x = np.random.RandomState(0).uniform(-1, 1, (3, 3, 32, 200)).astype("float32")
    ours = model(paddle.to_tensor(x))["probs"].numpy()
    english = PaddleInferenceBackend(str(REC_DIR)).run(x)[0]
    assert ours.shape[-1] == 310 and english.shape[-1] == 96
    latin_chars = shared["character"].classes
    read_latin = ["".join(latin_chars[k] for k in row) for row in ours.argmax(-1)]
    english_chars = latin_chars[:95] + [" "]  # the English classes: blank, 94 characters, space
    read_english = ["".join(english_chars[k] for k in row) for row in english.argmax(-1)]
    assert read_latin == read_english


def test_dictionaries_of_the_same_size_still_follow_characters():
    import paddle

    from ppocr.engine.class_transfer import transfer_head

    state = {"head.fc.bias": paddle.to_tensor([0.0, 1.0, 2.0]), "backbone.w": paddle.to_tensor([7.0])}
    own = {"head.fc.bias": paddle.to_tensor([5.0, 5.0, 5.0]), "backbone.w": paddle.to_tensor([0.0])}
    out = transfer_head(state, own, ["blank", "a", "b"], ["blank", "b", "a"])
    assert out["head.fc.bias"].numpy().tolist() == [0.0, 2.0, 1.0]
    assert out["backbone.w"] is state["backbone.w"]
