"""Tests for the identity-document lines (rec kind ``idcard``, ppocr/synth/idcards.py)."""
from __future__ import annotations

import re

from ppocr.synth import DEFAULT_CHARSET, make_rec_sample, sample_rng
from ppocr.synth.corpus import TextSampler
from ppocr.synth.idcards import check_digit, mrz_lines, render_idcard_crop
from tests.conftest import check_rec_crop


def test_check_digit_matches_icao_examples():
    # ICAO 9303 part 3 worked examples: document number, date of birth, date of expiry.
    assert check_digit("L898902C3") == "6"
    assert check_digit("740812") == "2"
    assert check_digit("120415") == "9"
    assert check_digit("<<<<<<<<<") == "0"


def test_mrz_lines_have_fixed_lengths_and_valid_check_digits():
    lengths = set()
    for i in range(40):
        rng = sample_rng(5, i)
        lines = mrz_lines(rng, TextSampler(rng, DEFAULT_CHARSET))
        length = len(lines[0])
        lengths.add((len(lines), length))
        assert all(len(line) == length and re.fullmatch(r"[A-Z0-9<]+", line) for line in lines)
        numbers = lines[0][5:14] if len(lines) == 3 else lines[1][0:9]
        number_check = lines[0][14] if len(lines) == 3 else lines[1][9]
        assert check_digit(numbers) == number_check
        name_line = lines[2] if len(lines) == 3 else lines[0]
        assert "<<" in name_line
    assert lengths == {(3, 30), (2, 36), (2, 44)}  # TD1, TD2 and TD3 all occur


def test_idcard_crops_carry_their_label(fonts):
    texts = []
    for i in range(12):
        crop = render_idcard_crop(sample_rng(8, i), fonts, 60, DEFAULT_CHARSET)
        check_rec_crop(crop, 60, 18, 56)
        assert crop.image.shape[1] > crop.image.shape[0]
        gray = crop.image.mean(axis=2)
        assert gray.max() - gray.min() > 100  # dark print on a pale card
        texts.append(crop.text)
    assert any("<<" in t for t in texts) and any("<" not in t for t in texts)


def test_idcard_kind_is_deterministic_and_absent_from_recipes_without_it(fonts):
    kinds = {"idcard": 1.0, "thermal": 1.0, "line": 1.0}
    a = [make_rec_sample(fonts, 4, i, 60, kinds=kinds) for i in range(12)]
    assert a == [make_rec_sample(fonts, 4, i, 60, kinds=kinds) for i in range(12)]
    without = {"thermal": 1.0, "line": 1.0}
    b = [make_rec_sample(fonts, 4, i, 60, kinds=without) for i in range(12)]
    assert all("<<" not in s[1] for s in b) and len({s[1] for s in b}) == 12
