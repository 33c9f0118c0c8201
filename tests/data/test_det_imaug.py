"""Detection data ops: hand-computed expectations on tiny synthetic images."""
import json
import random

import cv2
import numpy as np
import pytest

from ppocr.data.imaug import create_operators, transform
from ppocr.data.imaug.iaa_augment import IaaAugment
from ppocr.data.imaug.label_ops import DetLabelEncode, order_points_clockwise
from ppocr.data.imaug.make_border_map import MakeBorderMap
from ppocr.data.imaug.make_shrink_map import MakeShrinkMap
from ppocr.data.imaug.operators import (
    DecodeImage,
    DetResizeForTest,
    KeepKeys,
    NormalizeImage,
    ToCHWImage,
    resize_for_det,
)
from ppocr.data.imaug.random_crop_data import EastRandomCropData
from ppocr.errors import ConfigError

# A 100x40 axis-aligned text box in a 100x200 image.
RECT = np.array([[[50, 30], [150, 30], [150, 70], [50, 70]]], np.float32)


def _sample(polys, ignore, h=100, w=200):
    return {"image": np.zeros((h, w, 3), np.uint8), "polys": np.asarray(polys, np.float32),
            "ignore_tags": np.asarray(ignore, bool)}


# ---------------------------------------------------------------- shrink map
def test_shrink_map_rectangle_is_inner_rect():
    # D = A(1 - r^2)/L = 4000 * 0.84 / 280 = 12 -> inner rect (62,42)-(138,58): 76 x 16.
    out = MakeShrinkMap(min_text_size=8, shrink_ratio=0.4)(_sample(RECT, [False]))
    ys, xs = np.nonzero(out["shrink_map"])
    assert abs(xs.min() - 62) <= 1 and abs(xs.max() - 138) <= 1
    assert abs(ys.min() - 42) <= 1 and abs(ys.max() - 58) <= 1
    # Filled pixels: 77 x 17 inclusive of both borders, within one row/column.
    assert abs(len(xs) - 77 * 17) <= 77 + 17
    assert out["shrink_map"].dtype == np.float32
    assert out["shrink_mask"].min() == 1.0  # nothing ignored


def test_shrink_mask_zero_for_ignored_and_small():
    small = [[10, 10], [40, 10], [40, 15], [10, 15]]  # short side 5 < 8
    polys = np.concatenate([RECT, np.array([small], np.float32)])
    out = MakeShrinkMap()(_sample(polys, [True, False]))
    assert out["shrink_map"].sum() == 0
    mask = out["shrink_mask"]
    assert mask[50, 100] == 0 and mask[12, 25] == 0
    assert mask[90, 190] == 1


# ---------------------------------------------------------------- border map
def test_border_map_values():
    out = MakeBorderMap(shrink_ratio=0.4, thresh_min=0.3, thresh_max=0.7)(_sample(RECT, [False]))
    tmap, tmask = out["threshold_map"], out["threshold_mask"]
    assert tmap[50, 50] == pytest.approx(0.7, abs=1e-5)    # on the left edge
    assert tmap[30, 100] == pytest.approx(0.7, abs=1e-5)   # on the top edge
    assert tmap[50, 100] == pytest.approx(0.3, abs=1e-5)   # 20 px inside >= D
    assert tmap[5, 5] == pytest.approx(0.3, abs=1e-5)      # background
    assert tmap[50, 44] == pytest.approx(0.3 + 0.4 * 0.5, abs=1e-5)  # D/2 = 6 px outside
    assert tmap[50, 56] == pytest.approx(0.5, abs=1e-5)    # D/2 inside
    # Mask = rect dilated by 12 px: x 38..162, y 18..82.
    ys, xs = np.nonzero(tmask)
    assert (xs.min(), xs.max(), ys.min(), ys.max()) == (38, 162, 18, 82)
    assert tmask[50, 100] == 1 and tmask[50, 30] == 0


def test_border_map_skips_ignored():
    out = MakeBorderMap()(_sample(RECT, [True]))
    assert out["threshold_mask"].sum() == 0
    assert np.allclose(out["threshold_map"], 0.3)


# ---------------------------------------------------------------- operators
def _png_bytes(img):
    ok, buf = cv2.imencode(".png", img)
    assert ok
    return buf.tobytes()


def test_decode_image_modes_and_errors():
    img = np.zeros((4, 6, 3), np.uint8)
    img[..., 0] = 255  # blue in BGR
    out = DecodeImage()({"img_path": "a.png", "image": _png_bytes(img)})
    assert out["image"].shape == (4, 6, 3) and out["image"][0, 0, 0] == 255
    rgb = DecodeImage(img_mode="RGB")({"img_path": "a.png", "image": _png_bytes(img)})["image"]
    assert rgb[0, 0, 2] == 255
    gray = DecodeImage()({"img_path": "g.png", "image": _png_bytes(np.full((3, 5), 7, np.uint8))})["image"]
    assert gray.shape == (3, 5, 3)
    chw = DecodeImage(channel_first=True)({"img_path": "a.png", "image": _png_bytes(img)})["image"]
    assert chw.shape == (3, 4, 6)
    with pytest.raises(ValueError, match="empty.png"):
        DecodeImage()({"img_path": "empty.png", "image": b""})
    with pytest.raises(ValueError, match="bad.jpg"):
        DecodeImage()({"img_path": "bad.jpg", "image": b"\xff\xd8 not really a jpeg"})


def test_normalize_and_chw():
    img = np.full((2, 3, 3), 255, np.uint8)
    out = NormalizeImage(scale="1./255.", mean=[0.5, 0.5, 0.5], std=[0.5, 0.5, 0.5], order="hwc")({"image": img})
    assert out["image"].dtype == np.float32 and np.allclose(out["image"], 1.0)
    chw = ToCHWImage()(out)["image"]
    assert chw.shape == (3, 2, 3)
    assert KeepKeys(keep_keys=["image"])({"image": 1, "x": 2}) == [1]


@pytest.mark.parametrize("limit, kind, cap, expect_hw", [
    (960, "max", 4000, (512, 704)),    # no downscale, just rounded to 32
    (320, "max", 4000, (224, 320)),    # ratio 320/700
    (736, "min", 4000, (736, 1024)),   # ratio 736/500 -> 1030.4 -> 1024
    (736, "min", 840, (608, 832)),     # the cap wins: ratio 840/700 = 1.2 -> 600 x 840 -> 608 x 832
    (960, "max", 350, (256, 352)),     # ratio 0.5 -> 250 x 350 -> 256 x 352
])
def test_det_resize_for_test(limit, kind, cap, expect_hw):
    img = np.zeros((500, 700, 3), np.uint8)
    out = DetResizeForTest(limit_side_len=limit, limit_type=kind, max_side_limit=cap)({"image": img})
    h, w = out["image"].shape[:2]
    assert (h, w) == expect_hw and h % 32 == 0 and w % 32 == 0
    assert np.allclose(out["shape"], [500, 700, h / 500, w / 700])
    resized, ratios = resize_for_det(img, limit, kind, cap)
    assert resized.shape[:2] == expect_hw and ratios == pytest.approx((h / 500, w / 700))


@pytest.mark.parametrize("shape, max_enlarge, cap, expect_hw", [
    ((400, 958), 1.5, 2000, (608, 1440)),   # small: enlarged so the shorter side is 600 (ratio 1.5 -> 600 x 1437)
    ((720, 1280), 1.5, 2000, (608, 1056)),  # shrunk, but only to a shorter side of 600 (ratio 0.833, not 0.75)
    ((3300, 2550), 1.5, 2000, (960, 736)),  # shrunk to 960: the shorter side stays above 600 (742)
    ((146, 659), 1.5, 2000, (224, 992)),    # ratio 4.1, enlarged only 1.5x -> 219 x 988.5
    ((146, 659), 5.0, 2000, (448, 2016)),   # ratio 4.1 allowed, capped at 2000 / 659 -> 443 x 2000
    ((146, 659), 5.0, 4000, (608, 2720)),   # ratio 4.1 -> 600 x 2708
])
def test_det_resize_keeps_the_shorter_side_at_min_side_len(shape, max_enlarge, cap, expect_hw):
    img = np.zeros(shape + (3,), np.uint8)
    out = DetResizeForTest(limit_side_len=960, limit_type="max", min_side_len=600, max_enlarge=max_enlarge,
                           max_side_limit=cap)({"image": img})
    assert out["image"].shape[:2] == expect_hw


def test_det_resize_fixed_shape():
    out = DetResizeForTest(image_shape=[736, 1280])({"image": np.zeros((500, 700, 3), np.uint8)})
    assert out["image"].shape[:2] == (736, 1280)


# ---------------------------------------------------------------- labels
def test_det_label_encode():
    label = json.dumps([
        {"transcription": "hi", "points": [[10, 10], [10, 20], [30, 20], [30, 10]]},  # counter-clockwise
        {"transcription": "###", "points": [[0, 0], [5, 0], [5, 5], [0, 5]]},
        {"transcription": "poly", "points": [[0, 0], [10, 0], [20, 0], [20, 10], [10, 10], [0, 10]]},
    ])
    out = DetLabelEncode()({"img_path": "x.jpg", "label": label})
    assert out["polys"].shape == (3, 4, 2) and out["polys"].dtype == np.float32
    assert out["polys"][0].tolist() == [[10, 10], [30, 10], [30, 20], [10, 20]]
    assert out["ignore_tags"].tolist() == [False, True, False]
    assert out["texts"] == ["hi", "###", "poly"]
    # The 6-point polygon becomes its min-area rectangle.
    assert np.allclose(out["polys"][2], [[0, 0], [20, 0], [20, 10], [0, 10]], atol=1e-4)


@pytest.mark.parametrize("label", ["[{", '[{"transcription": "a", "points": [[1, 2], [3]]}]', '{"a": 1}'])
def test_det_label_encode_bad_label_names_path(label):
    with pytest.raises(ValueError, match="imgs/bad_7.jpg"):
        DetLabelEncode()({"img_path": "imgs/bad_7.jpg", "label": label})


def test_order_points_clockwise_rotated():
    # A 45-degree diamond given in scrambled order: the "two leftmost points" trick is ambiguous here.
    diamond = np.array([[20, 10], [0, 10], [10, 20], [10, 0]], np.float32)
    out = order_points_clockwise(diamond)
    assert out.tolist() == [[10, 0], [20, 10], [10, 20], [0, 10]]


# ---------------------------------------------------------------- augmentation
def test_iaa_flip_keeps_polygon_on_text():
    img = np.zeros((100, 200, 3), np.uint8)
    img[30:50, 20:60] = 255
    poly = np.array([[[20, 30], [59, 30], [59, 49], [20, 49]]], np.float32)
    aug = IaaAugment(augmenter_args=[{"type": "Fliplr", "args": {"p": 1.0}}])
    out = aug({"image": img, "polys": poly})
    # x' = 199 - x: the text now spans columns 140..179, order stays clockwise from top-left.
    assert out["polys"][0].tolist() == [[140, 30], [179, 30], [179, 49], [140, 49]]
    assert out["image"][30:50, 140:180].min() == 255
    assert out["image"].sum() == img.sum()


def test_iaa_rotate_resize_moves_points_with_pixels():
    np.random.seed(0)
    img = np.zeros((120, 160, 3), np.uint8)
    img[50:70, 40:120] = 255
    poly = np.array([[[40, 50], [119, 50], [119, 69], [40, 69]]], np.float32)
    aug = IaaAugment(augmenter_args=[{"type": "Affine", "args": {"rotate": [5, 5]}},
                                     {"type": "Resize", "args": {"size": [2, 2]}}])
    out = aug({"image": img, "polys": poly})
    assert out["image"].shape == (240, 320, 3)
    centre = out["polys"][0].mean(axis=0).round().astype(int)
    assert out["image"][centre[1], centre[0]].min() == 255
    for x, y in out["polys"][0].round().astype(int):  # corners fall on (or right next to) the text
        assert out["image"][y - 2:y + 3, x - 2:x + 3].max() == 255


def test_iaa_unknown_type_lists_valid():
    with pytest.raises(ConfigError, match="Fliplr"):
        IaaAugment(augmenter_args=[{"type": "GaussianBlur", "args": {}}])


def test_east_random_crop_size_and_polys_inside():
    random.seed(3)
    np.random.seed(3)
    img = np.zeros((600, 800, 3), np.uint8)
    polys = []
    for i in range(5):
        x, y = 40 + 150 * i, 60 + 100 * i
        img[y:y + 30, x:x + 100] = 255
        polys.append([[x, y], [x + 99, y], [x + 99, y + 29], [x, y + 29]])
    op = EastRandomCropData(size=[640, 640], max_tries=50, keep_ratio=True)
    for _ in range(20):
        data = {"image": img.copy(), "polys": np.array(polys, np.float32), "ignore_tags": np.zeros(5, bool),
                "texts": ["t"] * 5}
        out = op(data)
        assert out["image"].shape == (640, 640, 3)
        assert 1 <= len(out["polys"]) == len(out["ignore_tags"]) == len(out["texts"])
        assert out["polys"].min() >= -0.5 and out["polys"].max() <= 639.5
        for p in out["polys"]:
            cx, cy = p.mean(axis=0).round().astype(int)
            assert out["image"][cy, cx].min() > 200  # polygon still sits on its text


def test_east_random_crop_keep_scale_cuts_a_window_and_ignores_cut_text():
    img = np.zeros((300, 400, 3), np.uint8)
    img[100:120, 100:160] = 255
    polys = np.array([[[100, 100], [159, 100], [159, 119], [100, 119]],  # a word
                      [[0, 0], [399, 0], [399, 9], [0, 9]]], np.float32)  # a rule across the whole page
    op = EastRandomCropData(size=[200, 150], keep_scale=True)
    random.seed(0)
    for _ in range(20):
        out = op({"image": img.copy(), "polys": polys.copy(), "ignore_tags": np.zeros(2, bool)})
        assert out["image"].shape == (150, 200, 3)
        for p, ignored in zip(out["polys"], out["ignore_tags"]):
            whole = p.min() >= -0.5 and p[:, 0].max() <= 199.5 and p[:, 1].max() <= 149.5
            assert ignored == (not whole)
            if not ignored:  # same scale: the word keeps its 60 x 20 size and sits on its pixels
                assert np.allclose(p[2] - p[0], [59, 19], atol=1e-3)
                cx, cy = p.mean(axis=0).round().astype(int)
                assert out["image"][cy, cx].min() == 255
    small = op({"image": img[90:190, 90:240].copy(), "polys": polys[:1] - 90, "ignore_tags": np.zeros(1, bool)})
    assert small["image"].shape == (150, 200, 3) and small["image"][100:].max() == 0  # padded, not stretched
    assert small["image"][10:30, 10:70].min() == 255 and np.allclose(small["polys"][0], polys[0] - 90)


# ---------------------------------------------------------------- pipeline helpers
def test_create_operators_and_transform():
    ops = create_operators([{"DecodeImage": {"img_mode": "BGR", "channel_first": False}},
                            {"DetLabelEncode": None},
                            {"KeepKeys": {"keep_keys": ["image", "polys"]}}])
    label = json.dumps([{"transcription": "a", "points": [[1, 1], [5, 1], [5, 4], [1, 4]]}])
    out = transform({"img_path": "p.png", "image": _png_bytes(np.zeros((8, 8, 3), np.uint8)), "label": label}, ops)
    assert isinstance(out, list) and out[1].shape == (1, 4, 2)
    assert transform({"x": 1}, [lambda d: None, lambda d: 1 / 0]) is None


def test_create_operators_errors_name_path():
    with pytest.raises(ConfigError, match=r"Train.dataset.transforms\[0\]"):
        create_operators([{"DecodeImag": None}])
    with pytest.raises(ConfigError, match=r"Eval.dataset.transforms\[0\].MakeShrinkMap.ratio"):
        create_operators([{"MakeShrinkMap": {"ratio": 0.4}}], "Eval.dataset.transforms")
