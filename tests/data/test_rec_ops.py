"""Recognition data ops: RecResizeImg, RecAug and the CTC / attention label encoders."""

import cv2
import numpy as np
import pytest

from ppocr.data.imaug import create_operators, transform
from ppocr.data.imaug.operators import DecodeImage
from ppocr.data.imaug.rec_img_aug import RecAug, RecResizeImg, aspect_jitter, margin_jitter, resize_norm_img
from ppocr.data.imaug.rec_label_ops import AttnLabelEncode, CTCLabelEncode
from ppocr.errors import ConfigError
from ppocr.infer.reading.crops import light_on_dark, side_margin
from ppocr.utils.character import CharacterDict


def crop(h, w, channels=3):
    rng = np.random.default_rng(0)
    shape = (h, w, channels) if channels else (h, w)
    return rng.integers(0, 256, shape, dtype=np.uint8)


def test_wide_crop_fills_width():
    data = RecResizeImg(image_shape=[3, 32, 100])({"image": crop(20, 200)})
    img = data["image"]
    assert img.shape == (3, 32, 100) and img.dtype == np.float32
    assert data["valid_ratio"] == pytest.approx(1.0)
    assert img.min() >= -1.0 and img.max() <= 1.0
    assert np.abs(img[:, :, -1]).sum() > 0  # content reaches the right edge: no padding


def test_narrow_crop_is_padded():
    data = RecResizeImg(image_shape=[3, 32, 100])({"image": crop(32, 40)})
    img = data["image"]
    assert data["valid_ratio"] == pytest.approx(0.4)
    assert np.all(img[:, :, 40:] == 0)
    assert np.abs(img[:, :, :40]).sum() > 0
    # Same height in and out: the content is the input itself, normalised.
    expected = crop(32, 40).transpose(2, 0, 1).astype(np.float32) / 127.5 - 1
    np.testing.assert_allclose(img[:, :, :40], expected, atol=1e-6)


def test_no_padding_stretches():
    out, ratio = resize_norm_img(crop(32, 40), [3, 32, 100], padding=False)
    assert out.shape == (3, 32, 100) and ratio == 1.0 and np.abs(out[:, :, 60:]).sum() > 0


def test_extremes_of_the_value_range():
    out, _ = resize_norm_img(np.full((32, 32, 3), 255, np.uint8), [3, 32, 32])
    assert np.all(out == 1.0)
    out, _ = resize_norm_img(np.zeros((32, 32, 3), np.uint8), [3, 32, 32])
    assert np.all(out == -1.0)


def test_per_batch_width():
    out, ratio = resize_norm_img(crop(16, 160), [3, 32, 480])
    assert out.shape == (3, 32, 480) and ratio == pytest.approx(320 / 480)


def test_gray_input_through_decode():
    ok, png = cv2.imencode(".png", crop(24, 60, channels=0))
    data = {"image": png.tobytes()}
    ops = create_operators([{"DecodeImage": {"img_mode": "BGR"}}, {"RecResizeImg": {"image_shape": [3, 32, 100]}},
                            {"KeepKeys": {"keep_keys": ["image", "valid_ratio"]}}])
    image, ratio = transform(data, ops)
    assert image.shape == (3, 32, 100) and ratio == pytest.approx(80 / 100)
    np.testing.assert_array_equal(image[0], image[1])  # gray expanded to 3 equal channels


def test_grayscale_model_input():
    data = RecResizeImg(image_shape=[1, 32, 100])(DecodeImage()({"image": crop(32, 64)}))
    assert data["image"].shape == (1, 32, 100) and data["valid_ratio"] == pytest.approx(0.64)


def test_one_pixel_image():
    data = RecResizeImg(image_shape=[3, 32, 100])({"image": np.full((1, 1, 3), 200, np.uint8)})
    assert data["image"].shape == (3, 32, 100) and data["valid_ratio"] == pytest.approx(0.32)


def test_legacy_keys_accepted_and_bad_shape():
    op = create_operators([{"RecResizeImg": {"image_shape": [3, 32, 100], "infer_mode": False,
                                             "character_dict_path": "ppocr/utils/ppocr_keys_v1.txt"}}])[0]
    assert op.image_shape == [3, 32, 100]
    with pytest.raises(ConfigError, match="image_shape"):
        RecResizeImg(image_shape=[32, 100])


def test_rec_aug_shapes():
    np.random.seed(0)
    aug = create_operators([{"RecAug": None}])[0]  # PaddleOCR 2.0 writes "RecAug:" with no args
    always = RecAug(aug_prob=1.0, op_prob=1.0)
    img = crop(32, 100)
    for _ in range(50):
        out = always({"image": img.copy()})["image"]
        assert out.dtype == np.uint8 and out.ndim == 3 and out.shape[2] == 3
        assert 0.9 * 32 <= out.shape[0] <= 32 and 0.9 * 100 <= out.shape[1] <= 100
        assert aug({"image": img.copy()})["image"].dtype == np.uint8
    assert always({"image": crop(20, 50, channels=0)})["image"].ndim == 2
    assert always({"image": np.zeros((1, 1, 3), np.uint8)})["image"].shape == (1, 1, 3)


def test_margin_jitter_pads_with_the_background():
    np.random.seed(3)
    img = np.full((20, 60, 3), 200, np.uint8)
    img[5:15, 4:56] = 30  # "text" that does not touch the border
    for _ in range(20):
        out = margin_jitter(img)
        h, w = out.shape[:2]
        assert 20 <= h <= 20 + 2 * int(0.3 * 20) and 60 <= w <= 60 + 2 * int(0.6 * 20)
        # the crop is intact somewhere inside, everything else is the border colour
        ys, xs = np.where((out != 200).any(axis=2))
        top, left = ys.min() - 5, xs.min() - 4
        np.testing.assert_array_equal(out[top:top + 20, left:left + 60], img)
        assert (out != 200).any(axis=2).sum() == (img != 200).any(axis=2).sum()


def test_side_margin_adds_background_left_and_right():
    img = np.full((20, 60, 3), 200, np.uint8)
    img[5:15, 0:60] = 30  # "text" touching both sides
    out = side_margin(img, 0.1)
    assert out.shape == (20, 64, 3)
    np.testing.assert_array_equal(out[:, 2:62], img)
    assert (out[:, :2] == 200).all() and (out[:, 62:] == 200).all()  # the border's median colour
    assert side_margin(img, 0.0) is img


def test_light_on_dark_tells_the_polarity_of_a_crop():
    img = np.full((20, 60, 3), (40, 20, 120), np.uint8)  # dark red sign
    img[6:14, 8:52] = (220, 230, 240)  # pale letters
    assert light_on_dark(img)
    assert not light_on_dark(255 - img)
    assert not light_on_dark(cv2.cvtColor(255 - img, cv2.COLOR_BGR2GRAY))  # grayscale crops too


def test_aspect_jitter_scales_width_only():
    np.random.seed(4)
    img = crop(32, 100)
    widths = {aspect_jitter(img).shape[1] for _ in range(50)}
    assert min(widths) >= 60 and max(widths) <= 120 and len(widths) > 10
    assert all(aspect_jitter(img).shape[0] == 32 for _ in range(5))


def test_rec_aug_aspect_range():
    np.random.seed(6)
    wide = RecAug(aug_prob=1.0, op_prob=1.0, crop=False, use_tia=False, perspective=False, margin=False,
                  aspect=True, aspect_range=[0.4, 1.6], blur=False, noise=False, color=False, reverse=False)
    widths = [wide({"image": crop(32, 100)})["image"].shape[1] for _ in range(200)]
    assert 40 <= min(widths) < 50 and 150 < max(widths) <= 160
    with pytest.raises(ConfigError, match="aspect_range"):
        RecAug(aspect_range=[1.2, 0.6])
    import pickle

    assert pickle.loads(pickle.dumps(wide)).geometric[0].keywords == {"low": 0.4, "high": 1.6}  # loader workers


def test_rec_aug_geometric_options():
    np.random.seed(5)
    loose = RecAug(aug_prob=1.0, op_prob=1.0, crop=False, use_tia=False, perspective=False, margin=True,
                   aspect=False, blur=False, noise=False, color=False, reverse=False)
    out = loose({"image": crop(32, 100)})["image"]
    assert out.shape[0] >= 32 and out.shape[1] >= 100 and out.shape[:2] != (32, 100)
    with pytest.raises(TypeError):
        RecAug(margins=True)  # a misspelt option is an error, not silently ignored


def test_rec_aug_is_reproducible():
    aug = RecAug(aug_prob=1.0)
    np.random.seed(7)
    a = aug({"image": crop(32, 100)})["image"]
    np.random.seed(7)
    b = aug({"image": crop(32, 100)})["image"]
    np.testing.assert_array_equal(a, b)


@pytest.fixture
def abc():
    return CharacterDict.from_list("abc", use_space_char=True)


def test_ctc_label_encode(abc):
    op = CTCLabelEncode(abc, max_text_length=6)
    data = op({"label": "cab a"})
    np.testing.assert_array_equal(data["label"], np.array([3, 1, 2, 4, 1, 0], np.int64))
    assert data["label"].dtype == np.int64 and data["length"] == 5
    assert op({"label": "abd"}) is None
    assert op({"label": ""}) is None
    assert op({"label": "abcabca"}) is None  # 7 > 6


def test_attn_label_encode():
    cd = CharacterDict.from_list("abc", mode="attention")  # sos=0, a=1, b=2, c=3, eos=4
    op = AttnLabelEncode(cd, max_text_length=4)
    data = op({"label": "cab"})
    np.testing.assert_array_equal(data["label"], np.array([0, 3, 1, 2, 4, 4], np.int64))
    assert data["length"] == 3
    assert op({"label": "a?"}) is None
    assert op({"label": ""}) is None


def test_encoders_through_context(abc):
    ops = create_operators([{"CTCLabelEncode": None}], context={"character": abc, "max_text_length": 4})
    assert ops[0].max_text_length == 4
    with pytest.raises(ConfigError, match="set by the toolkit"):
        create_operators([{"CTCLabelEncode": {"max_text_length": 9}}],
                         context={"character": abc, "max_text_length": 4})
    with pytest.raises(ConfigError, match="'attention'"):
        AttnLabelEncode(abc)
    with pytest.raises(ConfigError, match="Global.use_space_char"):
        CTCLabelEncode(abc, use_space_char=False)


def test_natural_width_keeps_the_aspect_ratio_in_steps_of_four():
    from ppocr.data.imaug.rec_img_aug import natural_width

    # a 20x200 crop at height 32 is 320 wide; 16x150 gives 300; 30x100 gives 106.7, up to the next 4: 108
    assert [natural_width(20, 200, 32), natural_width(16, 150, 32), natural_width(30, 100, 32)] == [320, 300, 108]
    assert natural_width(0, 10, 32) == 320  # a degenerate height counts as 1


def test_the_recognizer_reads_each_batch_at_its_crops_natural_width():
    from ppocr.infer.contract import load_contract
    from ppocr.infer.models import DEFAULT_REC_MODEL_DIR
    from ppocr.infer.reading import resolve_policy
    from ppocr.infer.rec import TextRecognizer

    contract = load_contract(DEFAULT_REC_MODEL_DIR, "rec")
    classes = contract["Character"]["num_classes"]

    class Widths:  # a backend that records the input width and returns blank-only columns
        seen = []

        def run(self, x):
            self.seen.append(x.shape[3])
            probs = np.zeros((x.shape[0], x.shape[3] // 4, classes), np.float32)
            probs[:, :, 0] = 1.0
            return [probs]

    recognizer = TextRecognizer(contract, Widths(), batch_num=6,
                                reading=resolve_policy(None, char_lm="none", lexicon="none", crop_margin=0.0))
    recognizer([crop(20, 200), crop(32, 800)])  # 320 and 800 at height 32: two batches (800 > 1.25 x 320)
    assert Widths.seen[:2] == [320, 800], Widths.seen
