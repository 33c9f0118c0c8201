"""Tests for the two-level scanned-line crops (rec kind ``scan``, ppocr/synth/scans.py)."""
from __future__ import annotations

import cv2
import numpy as np

from ppocr.synth import DEFAULT_CHARSET, TextSampler, make_rec_sample, sample_rng
from ppocr.synth.scans import binarize, render_scan_crop, typeset


def _as_label(drawn: str) -> str:
    """Undo typeset(): typographic glyphs back to ASCII, stretched or thin spaces back to one space."""
    for glyph, ascii_ in (("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u2010", "-"), ("\u2009", " ")):
        drawn = drawn.replace(glyph, ascii_)
    return " ".join(drawn.split(" ")).replace("   ", " ").replace("  ", " ")


def test_typeset_only_changes_how_characters_look(fonts):
    font_info = next(f for f in fonts if "DejaVu" in f.name)
    text = 'He said "don\'t" - twice, it\'s well-known'
    seen_curly = seen_wide = False
    for i in range(60):
        drawn = typeset(sample_rng(1, i), font_info, font_info.get(32), text)
        assert _as_label(drawn) == text
        seen_curly |= "\u2019" in drawn
        seen_wide |= "  " in drawn
    assert seen_curly and seen_wide


def test_binarize_gives_two_levels_and_keeps_the_ink():
    img = np.full((40, 200), 235, np.uint8)
    cv2.putText(img, "scan test", (5, 30), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 30, 2)
    for i in range(10):
        out = binarize(img, sample_rng(2, i))
        assert out.shape == img.shape and set(np.unique(out)) <= {0, 255}
        ink = out < 128
        assert 0.02 < ink.mean() < 0.5
        # The ink stays where the text was: most dark pixels lie within the text's rows.
        assert ink[8:34].sum() > 0.9 * ink.sum()


def test_prose_has_contractions_and_possessives():
    sampler = TextSampler(sample_rng(3, 0))
    words = [w for _ in range(100) for w in sampler.prose(40)]
    with_apostrophe = [w for w in words if "'" in w]
    assert len(with_apostrophe) > 0.03 * len(words)


def test_scan_crops_are_two_level_lines_with_their_label(fonts):
    for i in range(8):
        crop = render_scan_crop(sample_rng(4, i), fonts, 40, DEFAULT_CHARSET)
        assert 0 < len(crop.text) <= 40 and set(crop.text) <= set(DEFAULT_CHARSET)
        gray = cv2.cvtColor(crop.image, cv2.COLOR_RGB2GRAY)
        assert 20 <= gray.shape[0] <= 48 and gray.shape[1] > gray.shape[0]
        assert set(np.unique(gray)) <= {0, 255} and (gray == 0).any()


def test_scan_kind_is_deterministic_and_mixes_with_other_kinds(fonts):
    kinds = {"scan": 1.0, "line": 1.0}
    a = [make_rec_sample(fonts, 9, i, 40, kinds=kinds) for i in range(12)]
    b = [make_rec_sample(fonts, 9, i, 40, kinds=kinds) for i in range(12)]
    assert a == b
    two_level = sum(np.mean(np.abs(cv2.imdecode(np.frombuffer(s[0], np.uint8), 0).astype(int) - 127) > 100) > 0.97
                    for s in a)
    assert 0 < two_level < 12  # some scans, some rendered lines


def test_book_lines_sometimes_end_in_a_broken_word():
    sampler = TextSampler(sample_rng(5, 0))
    line = "it is discarded due to the fact that it is identical"
    broken = {sampler.break_line_end(line, 0.5) for _ in range(200)}
    assert line in broken and len(broken) > 3
    for b in broken - {line}:
        head, _, last = b.rpartition(" ")
        assert head == "it is discarded due to the fact that it is" and last.endswith("-")
        assert 2 <= len(last) - 1 <= len("identical") - 2 and "identical".startswith(last[:-1])
    # Only a word of five or more letters is broken; numbers and short words are left whole.
    assert {sampler.break_line_end("total 1234", 1.0), sampler.break_line_end("one two", 1.0)} == {"total 1234",
                                                                                                   "one two"}
