"""CTC and attention decoding on hand-made probability tables."""
import numpy as np
import paddle
import pytest

from ppocr.errors import ConfigError
from ppocr.postprocess import build_post_process
from ppocr.postprocess.rec_postprocess import AttnLabelDecode, CTCLabelDecode
from ppocr.utils.character import CharacterDict


def one_hot_probs(path, num_classes, peak):
    """[T, C] probabilities whose argmax follows ``path`` with the given peak probabilities."""
    probs = np.zeros((len(path), num_classes), np.float32)
    for t, (c, p) in enumerate(zip(path, peak)):
        probs[t] = (1 - p) / (num_classes - 1)
        probs[t, c] = p
    return probs


@pytest.fixture
def ctc():
    return CharacterDict.from_list("ab")  # blank=0, a=1, b=2


def test_ctc_merge_repeats_and_blanks(ctc):
    path = [1, 1, 0, 1, 2, 2, 0]  # a a _ a b b _
    peak = [0.9, 0.8, 0.7, 0.6, 0.5, 0.95, 0.99]
    probs = one_hot_probs(path, 3, peak)[None]
    (text, score), = CTCLabelDecode(ctc)({"probs": probs})
    assert text == "aab"
    assert score == pytest.approx(np.mean([0.9, 0.6, 0.5]))  # first step of each kept run


def test_ctc_blank_only_and_batch(ctc):
    blank = one_hot_probs([0, 0, 0], 3, [0.9] * 3)
    ab = one_hot_probs([1, 0, 2], 3, [0.8, 0.9, 0.6])
    out = CTCLabelDecode(ctc)({"probs": np.stack([blank, ab])})
    assert out[0] == ("", 0.0)
    assert out[1][0] == "ab" and out[1][1] == pytest.approx(0.7)


def test_ctc_logits_and_tensor_inputs(ctc):
    logits = np.log(one_hot_probs([1, 0, 2], 3, [0.8, 0.9, 0.6]))[None]
    (text, score), = CTCLabelDecode(ctc)({"logits": paddle.to_tensor(logits)})
    assert text == "ab" and score == pytest.approx(0.7, abs=1e-5)
    (text2, _), = CTCLabelDecode(ctc)(paddle.to_tensor(np.exp(logits)))
    assert text2 == "ab"


def test_ctc_with_labels(ctc):
    probs = one_hot_probs([1, 0, 1, 2], 3, [0.9] * 4)[None]
    label = np.array([[1, 1, 2, 0, 0]], np.int64)  # "aab": repeats in labels are real characters
    preds, labels = CTCLabelDecode(ctc)({"probs": probs}, label)
    assert preds[0][0] == "aab" and labels == [("aab", 1.0)]


def test_ctc_class_count_mismatch(ctc):
    with pytest.raises(ValueError, match="outputs 5 classes"):
        CTCLabelDecode(ctc)({"probs": np.zeros((1, 4, 5), np.float32)})


def test_attention_stops_at_eos():
    cd = CharacterDict.from_list("ab", mode="attention")  # sos=0, a=1, b=2, eos=3
    path = [2, 1, 3, 1, 2]  # b a <eos> a b
    peak = [0.9, 0.7, 0.99, 0.1, 0.1]
    (text, score), = AttnLabelDecode(cd)({"probs": one_hot_probs(path, 4, peak)[None]})
    assert text == "ba" and score == pytest.approx(0.8)
    (empty, score0), = AttnLabelDecode(cd)({"probs": one_hot_probs([3, 1], 4, [0.9, 0.9])[None]})
    assert empty == "" and score0 == 0.0
    label = np.array([[0, 1, 2, 3, 3, 3]], np.int64)
    _, labels = AttnLabelDecode(cd)({"probs": one_hot_probs(path, 4, peak)[None]}, label)
    assert labels == [("ab", 1.0)]


def test_build_with_context(ctc):
    decoder = build_post_process({"name": "CTCLabelDecode"}, context={"character": ctc})
    assert isinstance(decoder, CTCLabelDecode)
    with pytest.raises(ConfigError, match="'attention'"):
        AttnLabelDecode(ctc)
