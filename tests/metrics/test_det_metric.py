"""DetMetric (ICDAR2015 protocol) on hand-made squares."""
import numpy as np
import pytest

from ppocr.metrics import build_metric
from ppocr.metrics.det_metric import DetMetric


def square(x, y, s=10):
    return [[x, y], [x + s, y], [x + s, y + s], [x, y + s]]


def test_perfect_match():
    metric = build_metric({"name": "DetMetric", "main_indicator": "hmean"})
    gts = np.array([[square(0, 0), square(50, 50)]], np.float32)
    preds = [{"points": gts[0].copy(), "scores": np.ones(2)}]
    metric(preds, [None, None, gts, np.zeros((1, 2), bool)])
    assert metric.get_metric() == {"precision": 1.0, "recall": 1.0, "hmean": 1.0}
    assert metric.main_indicator == "hmean"


def test_one_gt_missed():
    metric = DetMetric()
    metric.update([np.array([square(0, 0)])], [np.array([square(0, 0), square(50, 50)])], [[False, False]])
    res = metric.get_metric()
    assert res["precision"] == 1.0 and res["recall"] == 0.5 and res["hmean"] == pytest.approx(2 / 3)


def test_prediction_inside_ignore_region_not_counted():
    metric = DetMetric()
    gts = [square(0, 0), square(100, 100, 40)]
    preds = [square(0, 0), square(105, 105, 20)]  # second lies fully inside the ### region
    metric.update([np.array(preds)], [np.array(gts)], [[False, True]])
    assert metric.get_metric() == {"precision": 1.0, "recall": 1.0, "hmean": 1.0}


def test_iou_just_below_half_does_not_match():
    # Shifting a 10x10 square by 3.4 px: inter 66, union 134 -> IoU 0.4925 < 0.5.
    metric = DetMetric()
    metric.update([np.array([square(3.4, 0)])], [np.array([square(0, 0)])], [[False]])
    assert metric.get_metric(reset=False) == {"precision": 0.0, "recall": 0.0, "hmean": 0.0}
    # Shifting by 3.3 px: inter 67, union 133 -> IoU 0.504, a match.
    metric.reset()
    metric.update([np.array([square(3.3, 0)])], [np.array([square(0, 0)])], [[False]])
    assert metric.get_metric()["hmean"] == 1.0


def test_one_to_one_and_accumulation_and_reset():
    metric = DetMetric()
    # Two identical predictions on one GT: only one matches (precision 1/2).
    metric.update([np.array([square(0, 0), square(0, 0)])], [np.array([square(0, 0)])], [[False]])
    # Second image: nothing predicted for one GT.
    metric.update([np.zeros((0, 4, 2))], [np.array([square(0, 0)])], [[False]])
    res = metric.get_metric()
    assert res["precision"] == 0.5 and res["recall"] == 0.5
    assert metric.get_metric() == {"precision": 0.0, "recall": 0.0, "hmean": 0.0}  # reset after read


def test_zero_area_ground_truths_are_padding_not_text():
    """Batched pages are zero-padded to the same number of boxes; the padding must not count as missed text."""
    metric = DetMetric()
    gts = np.array([square(0, 0), np.zeros((4, 2))], np.float32)
    metric.update([np.array([square(0, 0)])], [gts], [[False, False]])
    metric.update([np.zeros((0, 4, 2))], [np.zeros((1, 4, 2))], [[False]])  # a page without text
    assert metric.get_metric() == {"precision": 1.0, "recall": 1.0, "hmean": 1.0}
