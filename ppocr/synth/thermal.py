"""Lines of thermal-printer receipts (rec kind ``thermal``), as in scanned or photographed till slips.

Till printers draw small bitmap glyphs without anti-aliasing, heat dots bleed or fade, and a scan or a
photo enlarges them: the result reads differently from the smooth fonts of the ``receipt`` pages
(``No.`` misread as ``Ne.``, ``C`` as ``E``). Receipt lines are also close together, so a detector's box
often cuts off a strip of the line above or below; some crops carry such a strip.
"""
from __future__ import annotations

from typing import Sequence

import cv2
import numpy as np
from PIL import Image, ImageDraw

from .corpus import TextSampler
from .fonts import FontInfo
from .rec_crops import Crop, choose_text


def _receipt_text(rng: np.random.Generator, sampler: TextSampler) -> str:
    r = rng.random()
    if r < 0.3:
        text = sampler.short_line()
    elif r < 0.5:
        text = f"{sampler.word()} {sampler.word()} {sampler.price()}"
    elif r < 0.65:
        text = f"{sampler.field_key()} {sampler.code()}"
    elif r < 0.8:  # an address line
        text = f"{sampler.integer()} {sampler.word().capitalize()} {sampler.word().capitalize()}, {sampler.integer()}"
    else:
        text = sampler.heading()
    return text.upper() if rng.random() < 0.5 else text


def _bitmap_line(font, text: str) -> np.ndarray:
    """``text`` drawn without anti-aliasing, as a till printer's dots: a bool (h, w) array, True = ink."""
    l, t, r, b = font.getbbox(text, anchor="ls")
    w, h = int(r - l) + 4, int(b - t) + 4
    img = Image.new("L", (max(w, 1), max(h, 1)), 0)
    draw = ImageDraw.Draw(img)
    draw.fontmode = "1"
    draw.text((2 - l, 2 - t), text, font=font, anchor="ls", fill=255)
    return np.asarray(img) > 127


def render_thermal_crop(rng: np.random.Generator, fonts: Sequence[FontInfo], max_len: int, charset: str) -> Crop:
    """One receipt line printed in small bitmap glyphs and enlarged by a scan: 16..48 px high."""
    mono = [f for f in fonts if f.mono and not f.light]
    pool = mono if mono and rng.random() < 0.8 else [f for f in fonts if not f.light] or list(fonts)
    font_info = pool[int(rng.integers(len(pool)))]
    sampler = TextSampler(rng, charset)
    text = choose_text(rng, lambda: _receipt_text(rng, sampler), font_info, charset, max_len)
    font = font_info.get(int(rng.integers(10, 17)))
    ink = _bitmap_line(font, text)
    if rng.random() < 0.3:  # heat bleed: dots grow into their neighbours
        ink = cv2.dilate(ink.astype(np.uint8), np.ones((1, 2), np.uint8)).astype(bool)
    if rng.random() < 0.3:  # a weak print head: some dot columns fade
        ink &= rng.random(ink.shape[1]) > rng.uniform(0.02, 0.08)
    h, w = ink.shape
    strip = int(h * rng.uniform(0.15, 0.35))
    canvas = np.zeros((h + 2 * strip, w), bool)
    canvas[strip:strip + h] = ink
    if strip and rng.random() < 0.4:  # a strip of the neighbouring line above or below, cut by the box
        other = _bitmap_line(font, font_info.filter_text(_receipt_text(rng, sampler), set(charset)) or "-")[:, :w]
        if rng.random() < 0.5:  # the line above: its bottom rows
            part = other[-strip:]
            canvas[strip - part.shape[0]:strip, :part.shape[1]] = part
        else:  # the line below: its top rows
            part = other[:strip]
            canvas[h + strip:h + strip + part.shape[0], :part.shape[1]] = part
    top = int(rng.integers(0, strip + 1))
    bottom = int(rng.integers(0, strip + 1))
    canvas = canvas[top:canvas.shape[0] - bottom]

    paper, dark = float(rng.uniform(190, 250)), float(rng.uniform(10, 90))
    img = np.where(canvas, dark, paper).astype(np.float32)
    scale = float(rng.uniform(1.5, 3.5))
    interp = cv2.INTER_NEAREST if rng.random() < 0.3 else cv2.INTER_LINEAR
    img = cv2.resize(img, (max(4, round(img.shape[1] * scale)), max(4, round(img.shape[0] * scale))),
                     interpolation=interp)
    img = cv2.GaussianBlur(img, (0, 0), float(rng.uniform(0.3, 1.2)) * scale / 2)
    if rng.random() < 0.4:  # stored in two levels, as many receipt scans are
        img = np.where(img > (paper + dark) / 2 + rng.uniform(-25, 25), 255.0, 0.0)
    img = img + rng.normal(0, float(rng.uniform(0, 8)), img.shape)
    target = float(rng.uniform(16, 48)) / img.shape[0]
    img = cv2.resize(np.clip(img, 0, 255).astype(np.uint8),
                     (max(4, round(img.shape[1] * target)), max(4, round(img.shape[0] * target))),
                     interpolation=cv2.INTER_AREA)
    return Crop(cv2.cvtColor(img, cv2.COLOR_GRAY2RGB), text, int(rng.integers(50, 96)))
