"""Tests for the photographed sign-word crops (rec kind ``sign``, ppocr/synth/signs.py)."""
from __future__ import annotations

import cv2
import numpy as np

from ppocr.synth import DEFAULT_CHARSET, make_rec_sample, sample_rng
from ppocr.synth.signs import render_sign_crop
from tests.conftest import check_rec_crop


def test_sign_crops_are_small_words_with_their_label(fonts):
    heights = []
    for i in range(16):
        crop = render_sign_crop(sample_rng(6, i), fonts, 25, DEFAULT_CHARSET)
        check_rec_crop(crop, 25, 9, 44)  # camera-sized: 10-40 px, +-1 px of tilt
        h, w = crop.image.shape[:2]
        assert w >= 4
        assert crop.image.std() > 3  # not a blank patch
        heights.append(h)
    assert min(heights) < 20 < max(heights)


def test_sign_kind_is_deterministic_and_mixes_with_other_kinds(fonts):
    kinds = {"sign": 1.0, "line": 1.0}
    a = [make_rec_sample(fonts, 9, i, 25, kinds=kinds) for i in range(10)]
    assert a == [make_rec_sample(fonts, 9, i, 25, kinds=kinds) for i in range(10)]
    small = sum(cv2.imdecode(np.frombuffer(s[0], np.uint8), 1).shape[0] <= 40 for s in a)
    assert 0 < small < 10  # a mix of sign crops and rendered lines
