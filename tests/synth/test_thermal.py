"""Tests for the thermal-printer receipt lines (rec kind ``thermal``, ppocr/synth/thermal.py)."""
from __future__ import annotations

from ppocr.synth import DEFAULT_CHARSET, make_rec_sample, sample_rng
from ppocr.synth.thermal import _bitmap_line, render_thermal_crop
from tests.conftest import check_rec_crop


def test_bitmap_glyphs_have_no_anti_aliasing(fonts):
    font = next(f for f in fonts if f.mono).get(12)
    ink = _bitmap_line(font, "TOTAL 12.50")
    assert ink.dtype == bool and 0.05 < ink.mean() < 0.6  # two levels by construction, and legible ink


def test_thermal_crops_are_receipt_lines_with_their_label(fonts):
    for i in range(12):
        crop = render_thermal_crop(sample_rng(7, i), fonts, 30, DEFAULT_CHARSET)
        check_rec_crop(crop, 30, 16, 48)
        assert crop.image.shape[1] > crop.image.shape[0]
        gray = crop.image[..., 0].astype(int)
        assert gray.max() - gray.min() > 80  # dark print on light paper


def test_thermal_kind_is_deterministic_and_mixes_with_other_kinds(fonts):
    kinds = {"thermal": 1.0, "sign": 1.0, "line": 1.0}
    a = [make_rec_sample(fonts, 4, i, 30, kinds=kinds) for i in range(12)]
    assert a == [make_rec_sample(fonts, 4, i, 30, kinds=kinds) for i in range(12)]
    assert len({s[1] for s in a}) == 12 and all(s[1] for s in a)
