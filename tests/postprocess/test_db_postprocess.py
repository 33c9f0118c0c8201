"""DBPostProcess on painted probability maps with hand-computed boxes."""
import numpy as np
import pytest

from ppocr.errors import ConfigError
from ppocr.postprocess import build_post_process
from ppocr.postprocess.db_postprocess import DBPostProcess

SHAPE = np.array([[200, 400, 0.5, 0.5]], np.float32)  # 200x400 original, map at half size


def _rect_map(value=1.0):
    maps = np.zeros((1, 1, 100, 200), np.float32)
    maps[0, 0, 40:60, 30:130] = value
    return maps


def test_single_rectangle_unclipped_and_rescaled():
    post = build_post_process({"name": "DBPostProcess", "thresh": 0.3, "box_thresh": 0.7, "unclip_ratio": 2.0})
    (res,) = post({"maps": _rect_map()}, SHAPE)
    assert res["points"].shape == (1, 4, 2) and res["points"].dtype == np.float32
    assert res["scores"].tolist() == [1.0]
    # The contour runs through pixel centres x 30..129, y 40..59: a 99 x 19 box.
    # D = area * ratio / perimeter = 99*19*2 / (2*(99+19)) = 15.94; expanded box
    # x 14.06..144.94, y 24.06..74.94 (pyclipper works on integers -> 14..145, 24..75), then x2.
    d = 99 * 19 * 2.0 / (2 * (99 + 19))
    expected = np.array([[30 - d, 40 - d], [129 + d, 40 - d], [129 + d, 59 + d], [30 - d, 59 + d]]) * 2
    assert np.abs(res["points"][0] - expected).max() <= 2.5


def test_below_thresh_gives_no_boxes():
    (res,) = DBPostProcess(thresh=0.3)({"maps": _rect_map(0.25)}, SHAPE)
    assert res["points"].shape == (0, 4, 2) and res["scores"].shape == (0,)


def test_box_thresh_filters_low_scores():
    maps = _rect_map(0.6)
    assert len(DBPostProcess(thresh=0.3, box_thresh=0.7)({"maps": maps}, SHAPE)[0]["points"]) == 0
    (res,) = DBPostProcess(thresh=0.3, box_thresh=0.5)({"maps": maps}, SHAPE)
    assert res["scores"] == pytest.approx([0.6])


def test_slow_mode_batch_and_clipping():
    maps = np.concatenate([_rect_map(), np.zeros((1, 1, 100, 200), np.float32)])
    maps[0, 0, 0:20, 180:200] = 0.9  # touches the corner: the unclipped box must be clipped
    shapes = np.concatenate([SHAPE, SHAPE])
    res = DBPostProcess(score_mode="slow", use_dilation=True)({"maps": maps}, shapes)
    assert len(res) == 2 and len(res[0]["points"]) == 2 and len(res[1]["points"]) == 0
    pts = res[0]["points"]
    assert pts[..., 0].min() >= 0 and pts[..., 0].max() <= 399
    assert pts[..., 1].min() >= 0 and pts[..., 1].max() <= 199


def test_tiny_blob_dropped_and_bad_mode():
    maps = np.zeros((1, 1, 100, 200), np.float32)
    maps[0, 0, 10:12, 10:40] = 1.0  # 2 px high: short side < 3
    assert len(DBPostProcess()({"maps": maps}, SHAPE)[0]["points"]) == 0
    with pytest.raises(ConfigError):
        DBPostProcess(score_mode="medium")


def test_accepts_paddle_tensor():
    paddle = pytest.importorskip("paddle")
    (res,) = DBPostProcess()({"maps": paddle.to_tensor(_rect_map())}, paddle.to_tensor(SHAPE))
    assert len(res["points"]) == 1
