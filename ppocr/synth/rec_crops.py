"""Single-line text crops for recogniser training.

The crop is cut after the geometric warp: horizontally around the warped ink (plus a
few pixels); vertically either around the warped font line box (ascent to descent), so
crops of the same font size have the same height whatever the characters (a lone '.' is
not blown up to full height), or, with probability ``tight_prob``, around the ink itself,
as a detector trained on tight line boxes crops it. A recognizer trained on both reads
crops from detectors with any box margin.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional, Sequence

import cv2
import numpy as np
from PIL import Image

from .backgrounds import make_background
from .corpus import DEFAULT_CHARSET, TextSampler, clip_text
from .degrade import apply_degrade, sample_degrade
from .fonts import FontInfo
from .render import (
    box_to_quad,
    fit_canvas,
    rasterize_line,
    sample_homography,
    sample_text_color,
    warp_image,
    warp_points,
)


@dataclass
class CropConfig:
    """Knobs for :func:`render_crop`."""

    min_height: int = 32
    max_height: int = 64
    max_len: int = 25
    max_angle: float = 2.0
    perspective: float = 0.04
    warp_prob: float = 0.7
    tight_prob: float = 0.4
    degrade: bool = True
    accents: float = 0.0  # chance that a sampled word carries an accent the charset holds


@dataclass
class Crop:
    """A rendered crop (RGB uint8), its exact transcription and JPEG quality."""

    image: np.ndarray
    text: str
    jpeg_quality: int = 95


def excerpt(rng: np.random.Generator, line: str, max_len: int) -> str:
    """At most ``max_len`` characters of ``line`` cut at word boundaries, from a random word of a long line
    (one that leaves at least half of ``max_len``)."""
    words = line.split()
    if len(line) > max_len:
        starts = [i for i in range(len(words)) if len(" ".join(words[i:])) >= max_len // 2] or [0]
        words = words[starts[int(rng.integers(len(starts)))]:]
    return clip_text(" ".join(words), max_len)


def choose_text(rng: np.random.Generator, draw_text: Callable[[], str], font: FontInfo, charset: str,
                max_len: int) -> str:
    """A text from ``draw_text`` that ``font`` can draw within ``charset`` (up to 20 draws), cut to
    ``max_len`` characters."""
    allowed = set(charset)
    for _ in range(20):
        text = font.filter_text(draw_text(), allowed)
        if text:
            return text[:max_len].strip()
    # Fall back to any drawable character so a sample is never empty.
    drawable = [c for c in charset if c != " " and font.has_glyph(c)]
    return drawable[int(rng.integers(len(drawable)))] if drawable else "A"


def render_crop(rng: np.random.Generator, fonts: Sequence[FontInfo],
                config: Optional[CropConfig] = None, charset: str = DEFAULT_CHARSET,
                lines: Optional[Sequence[str]] = None) -> Crop:
    """Render one text-line crop. Fully determined by the state of ``rng`` (and ``lines``: texts to draw
    excerpts from instead of the sampler's, see :func:`excerpt`)."""
    cfg = config or CropConfig()
    font_info = fonts[int(rng.integers(len(fonts)))]
    if lines:
        def draw() -> str:
            return excerpt(rng, lines[int(rng.integers(len(lines)))], cfg.max_len)
    else:
        sampler = TextSampler(rng, charset, cfg.accents)

        def draw() -> str:
            return sampler.rec_text(cfg.max_len)
    text = choose_text(rng, draw, font_info, charset, cfg.max_len)

    pad_y = int(rng.integers(1, 6))
    target_h = int(rng.integers(cfg.min_height, cfg.max_height + 1))
    probe = font_info.get(32)
    ratio = sum(probe.getmetrics()) / 32.0  # line height per pixel of font size
    size = max(8, int(round((target_h - 2 * pad_y) / ratio)))
    font = font_info.get(size)
    asc, desc = font.getmetrics()

    margin = 8 + size // 2
    line = rasterize_line(font, text, margin, margin + asc)
    if line is None:  # e.g. a glyph that draws nothing at this size: fall back to a letter
        text = "A" if font_info.has_glyph("A") else text
        line = rasterize_line(font, text, margin, margin + asc)
        assert line is not None
    ink_l, _, ink_r, _ = line.ink
    w = ink_r + margin
    h = asc + desc + 2 * margin

    bg = make_background(rng, h, w)
    page = Image.fromarray(bg)
    page.paste(sample_text_color(rng), line.origin, line.mask)
    img = np.asarray(page)

    # Ink extent horizontally, font line box vertically (pixel-area corners).
    line_quad = box_to_quad((ink_l, margin, ink_r, margin + asc + desc))
    ink_quad = box_to_quad(line.ink)
    if rng.random() < cfg.warp_prob:
        H = sample_homography(rng, w, h, cfg.max_angle, cfg.perspective)
        H, size_wh = fit_canvas(H, w, h)
        img = warp_image(img, H, size_wh)
        line_quad = warp_points(line_quad, H)
        ink_quad = warp_points(ink_quad, H)

    pad_x = int(rng.integers(1, 7))
    x0 = int(np.floor(ink_quad[:, 0].min() + 0.5)) - pad_x
    x1 = int(np.ceil(ink_quad[:, 0].max() + 0.5)) + pad_x
    box = ink_quad if rng.random() < cfg.tight_prob else np.concatenate([line_quad, ink_quad])
    y0 = int(np.floor(box[:, 1].min() + 0.5)) - pad_y
    y1 = int(np.ceil(box[:, 1].max() + 0.5)) + pad_y
    H_img, W_img = img.shape[:2]
    img = img[max(0, y0):min(H_img, y1), max(0, x0):min(W_img, x1)]
    if img.shape[0] > cfg.max_height:  # rotation of a long line can add height: scale back
        scale = cfg.max_height / img.shape[0]
        img = cv2.resize(img, (max(1, int(round(img.shape[1] * scale))), cfg.max_height),
                         interpolation=cv2.INTER_AREA)

    quality = 95
    if cfg.degrade:
        params = sample_degrade(rng, size * 0.6)
        img = apply_degrade(np.ascontiguousarray(img), params, rng)
        quality = params.jpeg_quality
    return Crop(np.ascontiguousarray(img), text, quality)
