"""Lines of scanned print (rec kind ``scan``): book, report and typewriter lines stored as two-level
images, as fax machines, 1-bit TIFF scans and older OCR corpora keep them.

Thresholding is what makes these lines hard: thin strokes break or vanish (the bar of an ``e`` goes and it
reads as ``c``), dark ones fill in, and edges are jagged. The text is prose with contractions and
possessives, drawn with typographic apostrophes and quotes where the font has them (the label keeps the
ASCII character, as the dictionary has it), and with the word spacing of justified or tightly set lines.
"""
from __future__ import annotations

from typing import Sequence

import cv2
import numpy as np
from PIL import ImageFont

from .corpus import TextSampler, clip_text
from .fonts import FontInfo
from .rec_crops import Crop, choose_text
from .render import rasterize_line

# ASCII label character -> the typographic glyphs a printed page shows for it.
_TYPOGRAPHIC = {"'": ("\u2019",), '"': ("\u201c", "\u201d"), "-": ("\u2010",)}
_THIN_SPACE = "\u2009"


def _thin_space_is_blank(font: ImageFont.FreeTypeFont) -> bool:
    """True if the font advances over a thin space without drawing (a missing glyph draws a box)."""
    return font.getlength(_THIN_SPACE) > 0 and font.getmask(_THIN_SPACE).getbbox() is None


def typeset(rng: np.random.Generator, font_info: FontInfo, font: ImageFont.FreeTypeFont, text: str) -> str:
    """The string to draw with ``font`` (a size of ``font_info``) for label ``text``: typographic quotes
    where the font has them, and normal, wide (justified) or thin word spaces. Every drawn character still
    reads as its label character."""
    chars = list(text)
    if rng.random() < 0.7:
        for i, ch in enumerate(chars):
            glyphs = _TYPOGRAPHIC.get(ch)
            if glyphs:
                g = glyphs[int(rng.integers(len(glyphs)))]
                chars[i] = g if font_info.has_glyph(g) else ch
    spacing = rng.random()
    if spacing < 0.25:  # a justified line: all its spaces stretched alike
        space = " " * int(rng.integers(2, 4))
    elif spacing < 0.4 and _thin_space_is_blank(font):  # tightly set
        space = _THIN_SPACE
    else:
        space = " "
    return "".join(space if c == " " else c for c in chars)


def binarize(gray: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Two-level version of a dark-on-light ``gray`` image: blurred as by scanner optics, thresholded
    above or below Otsu's level (thicker or broken strokes), with a few specks of dust."""
    sigma = float(rng.uniform(0.3, 1.0)) * gray.shape[0] / 32.0
    soft = cv2.GaussianBlur(gray, (0, 0), sigma)
    otsu, _ = cv2.threshold(soft, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    level = float(np.clip(otsu + rng.uniform(-35, 35), 40, 235))
    out = np.where(soft > level, 255, 0).astype(np.uint8)
    if rng.random() < 0.4:
        specks = rng.random(out.shape) < rng.uniform(0.0005, 0.004)
        out[specks] = 255 - out[specks]
    return out


def render_scan_crop(rng: np.random.Generator, fonts: Sequence[FontInfo], max_len: int,
                     charset: str) -> Crop:
    """One two-level line crop of prose, 20..48 px high, cut as a detector box would cut it."""
    r = rng.random()  # mostly book serifs and typewriter faces
    pool = [f for f in fonts if (f.serif if r < 0.5 else f.mono if r < 0.7 else True)] or list(fonts)
    font_info = pool[int(rng.integers(len(pool)))]
    sampler = TextSampler(rng, charset)
    text = choose_text(rng, lambda: sampler.break_line_end(
        clip_text(" ".join(sampler.prose(int(rng.integers(4, max(5, max_len + 1))))), max_len), 0.2),
        font_info, charset, max_len)

    # Render large, then scan at a lower resolution: line heights of 20..48 px, as in 200-300 dpi scans.
    size = 48
    font = font_info.get(size)
    asc, desc = font.getmetrics()
    margin = size // 2
    line = rasterize_line(font, typeset(rng, font_info, font, text), margin, margin + asc)
    if line is None:
        text, line = "A", rasterize_line(font, "A", margin, margin + asc)
    ink_l, _, ink_r, _ = line.ink
    x, y = line.origin
    mask = np.asarray(line.mask)
    h, w = mask.shape
    canvas = np.full((max(asc + desc + 2 * margin, y + h), max(ink_r + margin, x + w)), 255, np.uint8)
    canvas[y:y + h, x:x + w] = 255 - mask
    pad_x, pad_top, pad_bottom = (int(v) for v in rng.integers(1, size // 4, 3))
    top = margin if rng.random() < 0.5 else line.ink[1]  # font line box or tight ink box
    bottom = margin + asc + desc if rng.random() < 0.5 else line.ink[3]
    crop = canvas[max(0, top - pad_top):bottom + pad_bottom, max(0, ink_l - pad_x):ink_r + pad_x]
    scale = float(rng.uniform(20, 48)) / crop.shape[0]
    crop = cv2.resize(crop, (max(1, round(crop.shape[1] * scale)), max(1, round(crop.shape[0] * scale))),
                      interpolation=cv2.INTER_AREA)
    crop = binarize(crop, rng)
    return Crop(cv2.cvtColor(crop, cv2.COLOR_GRAY2RGB), text, int(rng.integers(85, 96)))
