"""RecMetric: exact accuracy, normalisation options, normalised edit distance."""
import pytest

from ppocr.metrics import build_metric
from ppocr.metrics.rec_metric import RecMetric, levenshtein


def pairs(*items):
    preds = [(p, 0.9) for p, _ in items]
    labels = [(g, 1.0) for _, g in items]
    return preds, labels


def test_levenshtein():
    assert levenshtein("", "") == 0
    assert levenshtein("abc", "") == 3
    assert levenshtein("kitten", "sitting") == 3
    assert levenshtein("abcd", "abed") == 1
    assert levenshtein("ab", "ba") == 2


@pytest.mark.parametrize("ignore_case,expected", [(False, 0.0), (True, 1.0)])
def test_ignore_case(ignore_case, expected):
    m = RecMetric(ignore_case=ignore_case)
    m(pairs(("Hello World", "hello world")), None)
    assert m.get_metric()["acc"] == expected


@pytest.mark.parametrize("ignore_space,expected", [(False, 0.0), (True, 1.0)])
def test_ignore_space(ignore_space, expected):
    m = RecMetric(ignore_space=ignore_space)
    m(pairs(("ab c", "abc")), None)
    assert m.get_metric()["acc"] == expected


def test_norm_edit_distance_and_accumulation():
    m = build_metric({"name": "RecMetric", "main_indicator": "acc"})
    batch = m(pairs(("abcd", "abed")), None)
    assert batch == {"acc": 0.0, "norm_edit_dis": pytest.approx(0.75)}
    m(pairs(("abc", "abc"), ("", "")), None)  # an empty pair counts as exact (similarity 1)
    out = m.get_metric(reset=False)
    assert out["acc"] == pytest.approx(2 / 3)
    assert out["norm_edit_dis"] == pytest.approx((0.75 + 1 + 1) / 3)
    assert m.get_metric() == out  # reset=True returns the same totals, then clears
    assert m.get_metric() == {"acc": 0.0, "norm_edit_dis": 0.0}


def test_empty_prediction_against_text():
    m = RecMetric()
    m(pairs(("", "abc")), None)
    assert m.get_metric() == {"acc": 0.0, "norm_edit_dis": 0.0}
