"""Tests for the synthetic data generator (ppocr/synth and tools/gen_data.py)."""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from ppocr.synth import DEFAULT_CHARSET, GenConfig, PageConfig, generate, render_crop, render_page, sample_rng  # noqa: E402


@pytest.fixture(scope="module")
def gen_main():
    spec = importlib.util.spec_from_file_location("gen_data_cli", REPO / "tools" / "gen_data.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.main


def _tree_digest(root: Path) -> dict:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _area(pts: np.ndarray) -> float:
    """Signed shoelace area; positive for clockwise order in image (y-down) coordinates."""
    x, y = pts[:, 0], pts[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def _read_labels(out: Path):
    lines = (out / "label.txt").read_text(encoding="utf-8").splitlines()
    return [line.split("\t", 1) for line in lines]


def test_bundled_font_present():
    assert (REPO / "doc" / "fonts" / "DejaVuSans.ttf").is_file()


def test_the_hermetic_switch_keeps_the_generator_to_the_repository(fonts, monkeypatch):
    from ppocr.synth.corpus import system_words
    from ppocr.synth.fonts import BUNDLED_FONT_DIR, SYSTEM_FONT_DIR, default_font_dirs
    from ppocr.synth.generate import resources_line

    # the suite runs hermetic (conftest.py): four bundled DejaVu faces, one each of bold, serif and mono
    assert default_font_dirs() == [BUNDLED_FONT_DIR] and system_words() == ()
    assert sorted(Path(f.path).name for f in fonts) == ["DejaVuSans-Bold.ttf", "DejaVuSans.ttf",
                                                        "DejaVuSansMono.ttf", "DejaVuSerif.ttf"]
    assert [f.bold for f in fonts].count(True) == 1 and any(f.mono for f in fonts) and any(f.serif for f in fonts)
    line = resources_line(fonts, None)
    assert line.startswith("fonts: 4 usable (4 bundled); words: ") and "PPOCR_HERMETIC is set" in line
    monkeypatch.delenv("PPOCR_HERMETIC")
    assert default_font_dirs() == [BUNDLED_FONT_DIR, SYSTEM_FONT_DIR]
    assert "make fonts" in resources_line(fonts, None)  # only the bundled fonts: the hint to get more


def test_glyph_coverage(fonts):
    f = next(f for f in fonts if "DejaVuSans.ttf" in f.path)
    assert all(f.has_glyph(c) for c in DEFAULT_CHARSET)
    assert not f.has_glyph("\u4e00")  # DejaVu has no CJK: would draw a tofu box
    assert f.filter_text("a\u4e00b  c") == "ab c"
    assert not any("math" in Path(x.path).name.lower() for x in fonts)


class _Glyphs:
    """A stand-in font with the given glyph boxes (left, top, right, bottom), as Pillow's getbbox returns."""

    def __init__(self, **boxes):
        self.boxes = boxes

    def getbbox(self, ch):
        return self.boxes[{"x": "x", "X": "big_x", "p": "p"}[ch]]


def test_fonts_that_draw_pictograms_for_letters_are_refused():
    from PIL import ImageFont

    from ppocr.synth.fonts import draws_latin_letters

    assert draws_latin_letters(ImageFont.truetype(str(REPO / "doc" / "fonts" / "DejaVuSans.ttf"), 48))
    # Cap height 40: an "x" of 36 or more with a "p" that ends within 4 px of it is an ornament font (as URW's
    # D050000L, which maps the letters to dingbats); a short "x" or a descending "p" is Latin.
    ornaments = _Glyphs(x=(0, 0, 30, 38), big_x=(0, 0, 30, 40), p=(0, 0, 30, 40))
    assert not draws_latin_letters(ornaments)
    assert draws_latin_letters(_Glyphs(x=(0, 12, 30, 40), big_x=(0, 0, 30, 40), p=(0, 12, 30, 40)))
    assert draws_latin_letters(_Glyphs(x=(0, 0, 30, 38), big_x=(0, 0, 30, 40), p=(0, 0, 30, 44)))


def test_det_output(tmp_path):
    out = tmp_path / "det"
    stats = generate(GenConfig("det", str(out), 5, seed=3), progress=False)
    assert stats.count == 5
    txts = [p for p in out.rglob("*") if p.suffix == ".txt"]
    assert txts == [out / "label.txt"]
    rows = _read_labels(out)
    assert len(rows) == 5 and len(list((out / "images").iterdir())) == 5
    total = 0
    for rel, js in rows:
        img = cv2.imread(str(out / rel), cv2.IMREAD_GRAYSCALE)
        assert img is not None
        h, w = img.shape
        items = json.loads(js)
        assert items
        outside, inside = np.ones_like(img, bool), []
        for it in items:
            assert it["transcription"]
            pts = np.array(it["points"], float)
            assert pts.shape == (4, 2)
            assert (pts[:, 0] >= 0).all() and (pts[:, 0] <= w - 1).all()
            assert (pts[:, 1] >= 0).all() and (pts[:, 1] <= h - 1).all()
            assert _area(pts) > 4.0  # positive area and clockwise from top-left
            assert pts[0, 0] < pts[1, 0] and pts[0, 1] < pts[3, 1]
            m = np.zeros_like(img, np.uint8)
            cv2.fillPoly(m, [np.round(pts).astype(np.int32)], 1)
            inside.append(img[m > 0].min())
            outside &= m == 0
            total += 1
        # The darkest pixel of every box is ink, far darker than the typical paper.
        paper = np.median(img[outside])
        assert np.median(inside) < paper - 60
    assert stats.boxes == total


@pytest.mark.parametrize("level", ["line", "word"])
def test_ink_inside_quads(fonts, level):
    """Without degradations/decorations, (nearly) every ink pixel lies inside a quad."""
    cfg = PageConfig(degrade=False, decorations=False)
    for i in range(3):
        page = render_page(sample_rng(11, i), fonts, level, cfg)
        gray = cv2.cvtColor(page.image, cv2.COLOR_RGB2GRAY)
        ink = gray < 130
        union = np.zeros_like(gray, np.uint8)
        for b in page.boxes:
            poly = np.round(b.points).astype(np.int32)
            m = np.zeros_like(union)
            cv2.fillPoly(m, [poly], 1)
            if not b.ignore:  # tiny "###" text may anti-alias to light grey only
                assert (gray[m > 0] < 130).any(), b.text  # each quad holds ink
            union |= m
        union = cv2.dilate(union, np.ones((3, 3), np.uint8))
        assert ink.sum() > 100
        assert (ink & (union > 0)).sum() / ink.sum() > 0.995
        if level == "line":  # line boxes of the same page must not overlap
            overlap = np.zeros_like(gray, np.int32)
            for b in page.boxes:
                m = np.zeros_like(union)
                cv2.fillPoly(m, [np.round(b.points).astype(np.int32)], 1)
                overlap += m
            assert (overlap > 1).sum() < 0.002 * overlap.size


def test_seed_determinism_and_workers(tmp_path):
    a, b, c, d = (tmp_path / n for n in "abcd")
    generate(GenConfig("det", str(a), 3, seed=7), progress=False)
    generate(GenConfig("det", str(b), 3, seed=7, workers=2), progress=False)
    generate(GenConfig("det", str(c), 3, seed=8), progress=False)
    assert _tree_digest(a) == _tree_digest(b)
    assert (a / "label.txt").read_bytes() != (c / "label.txt").read_bytes()
    generate(GenConfig("rec", str(d), 20, seed=7), progress=False)
    generate(GenConfig("rec", str(c), 20, seed=7), progress=False)
    assert _tree_digest(c) == _tree_digest(d)


def test_rec_output(tmp_path):
    out = tmp_path / "rec"
    generate(GenConfig("rec", str(out), 40, seed=2, max_len=12), progress=False)
    rows = _read_labels(out)
    assert len(rows) == 40
    for i, (rel, text) in enumerate(rows):
        assert rel == f"images/{i:06d}.jpg"
        assert 1 <= len(text) <= 12 and text == text.strip()
        assert set(text) <= set(DEFAULT_CHARSET)
        img = cv2.imread(str(out / rel))
        assert img is not None and 10 <= img.shape[0] <= 64 and img.shape[1] >= 4  # tight crops can be low


def test_rec_crop_has_dark_text(fonts):
    crop = render_crop(sample_rng(0, 1), fonts)
    gray = cv2.cvtColor(crop.image, cv2.COLOR_RGB2GRAY)
    assert gray.min() < 110 and np.median(gray) > 150


def test_rec_lmdb(tmp_path):
    import lmdb

    out = tmp_path / "lm"
    generate(GenConfig("rec", str(out), 12, seed=4, lmdb=True), progress=False)
    assert not (out / "label.txt").exists()
    env = lmdb.open(str(out / "lmdb"), readonly=True, lock=False)
    with env.begin() as txn:
        assert txn.get(b"num-samples") == b"12"
        assert txn.get(b"image-000000000") is None and txn.get(b"image-000000013") is None
        for i in (1, 12):
            img = cv2.imdecode(np.frombuffer(txn.get(b"image-%09d" % i), np.uint8), 1)
            assert img is not None and img.shape[0] >= 24
            assert txn.get(b"label-%09d" % i).decode("utf-8")
    env.close()


def test_cli_errors(tmp_path, gen_main, capsys):
    with pytest.raises(SystemExit) as e:
        gen_main(["det", "--out", str(tmp_path / "x"), "--num", "0"])
    assert e.value.code == 2
    with pytest.raises(SystemExit) as e:
        gen_main(["cls", "--out", str(tmp_path / "x"), "--num", "3"])
    assert e.value.code == 2
    blocker = tmp_path / "file"
    blocker.write_text("not a dir")
    assert gen_main(["det", "--out", str(blocker / "sub"), "--num", "1"]) == 2
    empty = tmp_path / "nofonts"
    empty.mkdir()
    assert gen_main(["rec", "--out", str(tmp_path / "y"), "--num", "1", "--fonts", str(empty)]) == 2
    assert gen_main(["det", "--out", str(tmp_path / "z"), "--num", "1", "--lmdb"]) == 2
    err = capsys.readouterr().err
    assert "no usable" in err and "cannot write" in err


def test_cli_subprocess(tmp_path):
    out = tmp_path / "cli"
    env = dict(os.environ, OMP_NUM_THREADS="1")
    r = subprocess.run([sys.executable, "tools/gen_data.py", "det", "--out", str(out), "--num", "2",
                        "--level", "word", "--seed", "1"],
                       cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "wrote 2 det images" in r.stdout and "word boxes" in r.stdout
    assert "fonts: 4 usable (4 bundled)" in r.stderr  # what it draws with, said once
    assert len(_read_labels(out)) == 2


@pytest.mark.parametrize("kind", ["receipt", "screen", "scene", "poster", "chart", "diagram"])
def test_page_kinds_label_their_text(fonts, kind):
    """Every kind of page puts ink inside each labelled quad, within the image, and reads as its kind."""
    for i in range(2):
        page = render_page(sample_rng(21, i), fonts, "line", PageConfig(kinds={kind: 1.0}, degrade=False))
        h, w = page.image.shape[:2]
        assert page.boxes, kind
        gray = cv2.cvtColor(page.image, cv2.COLOR_RGB2GRAY).astype(np.int16)
        for b in page.boxes:
            assert b.text and (b.points[:, 0].min() >= 0) and (b.points[:, 1].max() <= h - 1)
            m = np.zeros((h, w), np.uint8)
            cv2.fillPoly(m, [np.round(b.points).astype(np.int32)], 1)
            inside = gray[m > 0]
            assert inside.max() - inside.min() > 60, (kind, b.text)  # text contrasts with its background
        if kind == "receipt":
            assert w <= 1.15 * 520 and h > w  # narrow and tall (at most 520 wide before a slight warp)
        if kind == "screen":
            assert page.degrade is None  # screenshots stay crisp


def test_posters_carry_headline_sized_text(fonts):
    def line_heights(kind):
        heights = []
        for i in range(30):
            page = render_page(sample_rng(23, i), fonts, "line", PageConfig(kinds={kind: 1.0}, degrade=False,
                                                                           warp_prob=0.0))
            heights += [np.linalg.norm(b.points[3] - b.points[0]) for b in page.boxes]
        return np.array(heights)

    scene, poster = line_heights("scene"), line_heights("poster")
    # when written (bundled fonts): lines over 60 px, 16 of 73 on posters and 4 of 85 on scenes; 5 over 80 px
    tall_share = ((poster > 60).mean(), (scene > 60).mean())
    assert tall_share[0] >= 0.12 and tall_share[0] >= 2.5 * tall_share[1], tall_share
    assert (poster > 80).sum() >= 2  # a headline-sized line now and then


def test_chart_labels_are_rotated_quads_that_hold_all_the_text(fonts):
    """Slanted category labels get quads turned by the same angle; no text is left unlabelled."""
    angles = set()
    for i in range(6):
        page = render_page(sample_rng(23, i), fonts, "line", PageConfig(kinds={"chart": 1.0}))
        for b in page.boxes:
            dx, dy = b.points[1] - b.points[0]
            angles.add(int(round(np.degrees(np.arctan2(-dy, dx)))))
    assert 0 in angles and angles & {30, 45, 60, 90}, angles


def test_diagram_lines_set_close_together_keep_separate_quads(fonts):
    """Box captions are set with tight leading; each line still gets its own quad, and quads never overlap."""
    close_pairs = 0
    for i in range(4):
        page = render_page(sample_rng(25, i), fonts, "line", PageConfig(kinds={"diagram": 1.0}))
        rects = [(*b.points.min(0), *b.points.max(0)) for b in page.boxes]
        for j, a in enumerate(rects):
            for b in rects[j + 1:]:
                x_overlap = min(a[2], b[2]) - max(a[0], b[0])
                y_gap = max(a[1], b[1]) - min(a[3], b[3])
                assert x_overlap <= 0 or y_gap >= 0, (a, b)  # disjoint
                if x_overlap > 0 and 0 <= y_gap < 0.5 * min(a[3] - a[1], b[3] - b[1]):
                    close_pairs += 1
    assert close_pairs > 0


def test_accents_option_puts_accented_words_on_det_pages(tmp_path, gen_main, capsys):
    out = tmp_path / "acc"
    assert gen_main(["det", "--out", str(out), "--num", "2", "--seed", "3", "--accents", "0.3"]) in (0, None)
    text = (out / "label.txt").read_text(encoding="utf-8")
    assert any(c in text for c in "éèàçüöñ")
    assert gen_main(["rec", "--out", str(tmp_path / "r"), "--num", "1", "--accents", "0.3"]) == 2
    assert "needs a dictionary with accented letters: add --dict" in capsys.readouterr().err


def test_rec_crops_with_a_latin_dictionary_carry_its_accents_and_nothing_outside_it(tmp_path, gen_main):
    from ppocr.utils.character import read_dict_file

    out = tmp_path / "latin"
    assert gen_main(["rec", "--out", str(out), "--num", "60", "--seed", "4", "--accents", "0.5", "--dict",
                     "ppocr/utils/latin_dict.txt", "--kinds", "line,document"]) in (0, None)
    texts = [line.split("\t", 1)[1] for line in (out / "label.txt").read_text(encoding="utf-8").splitlines()]
    allowed = set(read_dict_file("ppocr/utils/latin_dict.txt")) | {" "}
    assert all(set(t) <= allowed for t in texts)
    accented = [t for t in texts if not t.isascii()]
    assert len(accented) >= 10, texts


def test_dict_option_names_a_missing_file(tmp_path, gen_main, capsys):
    assert gen_main(["rec", "--out", str(tmp_path / "r"), "--num", "1", "--dict", "no/such_dict.txt"]) == 2
    assert "--dict: no such file: no/such_dict.txt" in capsys.readouterr().err


def test_kinds_option_mixes_pages_and_rec_crops_from_pages(tmp_path, gen_main, capsys):
    from ppocr.synth.generate import parse_kinds

    assert parse_kinds("document:3, scene") == {"document": 3.0, "scene": 1.0}
    out_a, out_b = tmp_path / "a", tmp_path / "b"
    for out, workers in ((out_a, "1"), (out_b, "2")):
        assert gen_main(["rec", "--out", str(out), "--num", "20", "--seed", "5", "--max_len", "40", "--workers",
                         workers, "--kinds", "line,document,receipt,screen,scene"]) in (0, None)
    assert _tree_digest(out_a) == _tree_digest(out_b)  # deterministic, whatever the workers
    texts = [line.split("\t")[1] for line in (out_a / "label.txt").read_text().splitlines()]
    assert len(texts) == 20 and all(0 < len(t) <= 40 for t in texts)
    assert gen_main(["det", "--out", str(tmp_path / "c"), "--num", "1", "--kinds", "line"]) == 2
    assert gen_main(["det", "--out", str(tmp_path / "c"), "--num", "1", "--kinds", "scene:x"]) == 2
    err = capsys.readouterr().err
    assert "unknown kind 'line' for det" in err and "weight of 'scene' must be a number" in err


def test_text_file_option_draws_line_crops_from_its_lines(tmp_path, gen_main, capsys):
    source = tmp_path / "texts.txt"
    lines = ["Invoice 2026-117 total 48.20 EUR", "", "the committee approved the annual budget on Monday"]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out_a, out_b = tmp_path / "a", tmp_path / "b"
    for out, workers in ((out_a, "1"), (out_b, "2")):
        assert gen_main(["rec", "--out", str(out), "--num", "12", "--seed", "4", "--max_len", "30", "--workers",
                         workers, "--text_file", str(source)]) in (0, None)
    assert _tree_digest(out_a) == _tree_digest(out_b)
    texts = [line.split("\t")[1] for line in (out_a / "label.txt").read_text().splitlines()]
    # whole words of one line of the file, at most 30 characters
    assert all(len(t) <= 30 and any(f" {t} " in f" {line} " for line in lines) for t in texts), texts
    assert len(set(texts)) > 2
    assert gen_main(["det", "--out", str(tmp_path / "c"), "--num", "1", "--text_file", str(source)]) == 2
    assert gen_main(["rec", "--out", str(tmp_path / "c"), "--num", "1", "--text_file", str(tmp_path / "no")]) == 2
    err = capsys.readouterr().err
    assert "only supported in rec mode" in err and "cannot read" in err


def test_small_text_is_never_downscaled_below_readability():
    from ppocr.synth.degrade import sample_degrade

    for i in range(400):  # small text heights used to draw an empty range for the downscale factor
        height = float(i % 40 + 1)
        p = sample_degrade(sample_rng(3, i), text_height=height)
        assert p.downscale == 1.0 or p.downscale * height >= 10 - 1e-9, (height, p.downscale)


def test_fit_to_width_drops_trailing_words_then_cuts_or_drops_a_lone_word(fonts):
    from ppocr.synth.render import fit_to_width

    font = next(f for f in fonts if f.mono).get(20)  # monospaced: every character has the same advance
    step = font.getlength("a")
    assert fit_to_width(font, "alpha beta gamma", step * 16) == "alpha beta gamma"
    assert fit_to_width(font, "alpha beta gamma", step * 12) == "alpha beta"
    assert fit_to_width(font, "alphabet soup", step * 5) == ""
    assert fit_to_width(font, "alphabet soup", step * 5, cut_words=True) == "alpha"
