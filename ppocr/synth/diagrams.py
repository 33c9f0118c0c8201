"""Diagram pages (page kind ``diagram``): flow charts and architecture figures as drawn in slides, papers
and READMEs. Boxes (filled with light text, or outlined with dark text) hold one to three centred lines
set with tight leading; block or line arrows join neighbouring boxes; numbered or bulleted lists hang
below some boxes, and a few arrows carry a small label.

Detectors confuse arrows with text and merge the close lines inside a box; these pages teach both. Labels
follow the page rule: one box per line.
"""
from __future__ import annotations

from typing import List, Sequence, Tuple

import numpy as np
from PIL import Image, ImageDraw

from .corpus import TextSampler
from .fonts import FontInfo
from .layouts import contrasting_color, luminance
from .page import Page, TextBox, clip_boxes
from .render import TextCanvas, fit_to_width

_FILLS = [(91, 155, 213), (68, 114, 196), (112, 173, 71), (237, 125, 49), (165, 165, 165), (255, 192, 0),
          (38, 70, 83), (42, 157, 143), (231, 111, 81), (94, 80, 63), (52, 73, 94), (142, 68, 173)]


def _caption(sampler: TextSampler, rng: np.random.Generator) -> str:
    """One line of a box: a title, a parenthesised model/size note, an identifier or a word."""
    r = rng.random()
    if r < 0.45:
        return " ".join(sampler.word().capitalize() for _ in range(int(rng.integers(1, 4))))
    if r < 0.6:
        ident = "_".join(sampler.word().lower() for _ in range(int(rng.integers(1, 4))))
        return f"({' ' if rng.random() < 0.3 else ''}{ident}, {sampler.decimal()}{rng.choice(['M', 'K', 'MB', ''])})"
    if r < 0.75:
        return "_".join(sampler.word().lower() for _ in range(int(rng.integers(2, 4))))
    if r < 0.85:
        return sampler.word().upper()
    return sampler.heading()


def _caption_that_fits(sampler: TextSampler, rng: np.random.Generator, font_info: FontInfo, font, allowed,
                       width: float) -> str:
    """A caption that fits ``width`` whole if one of three tries does, else the last one cut to fit."""
    for _ in range(3):
        text = font_info.filter_text(_caption(sampler, rng), allowed)
        if font.getlength(text) <= width:
            return text
    return fit_to_width(font, text, width)


def _list_item(sampler: TextSampler, rng: np.random.Generator, i: int, style: int) -> str:
    text = " ".join(sampler.word().capitalize() if rng.random() < 0.7 else sampler.word()
                    for _ in range(int(rng.integers(1, 5))))
    return [f"{i}. {text}", f"{i}) {text}", f"- {text}", text][style]


def _arrow(draw: ImageDraw.ImageDraw, p0: Tuple[float, float], p1: Tuple[float, float], width: float,
           color, block: bool) -> None:
    """An arrow from ``p0`` to ``p1``: a thick block arrow, or a line with a triangular head."""
    (x0, y0), (x1, y1) = p0, p1
    length = float(np.hypot(x1 - x0, y1 - y0))
    if length < 4:
        return
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    nx, ny = -uy, ux
    head = min(length * 0.5, width * (1.6 if block else 3.0))
    half_head = width * (1.0 if block else 1.2)
    bx, by = x1 - ux * head, y1 - uy * head
    if block:
        s = width / 2
        draw.polygon([(x0 + nx * s, y0 + ny * s), (bx + nx * s, by + ny * s),
                      (bx + nx * half_head, by + ny * half_head), (x1, y1), (bx - nx * half_head, by - ny * half_head),
                      (bx - nx * s, by - ny * s), (x0 - nx * s, y0 - ny * s)], fill=color)
    else:
        draw.line([(x0, y0), (bx, by)], fill=color, width=max(1, int(round(width / 2.5))))
        draw.polygon([(x1, y1), (bx + nx * half_head, by + ny * half_head), (bx - nx * half_head, by - ny * half_head)],
                     fill=color)


def render_diagram(rng: np.random.Generator, fonts: Sequence[FontInfo], cfg, charset: str, level: str = "line"):
    """A diagram :class:`~ppocr.synth.page.Page` with one quad per text line (``level`` is
    accepted for the common signature: box captions are short lines)."""
    w, h = int(rng.integers(640, 1801)), int(rng.integers(220, 801))
    dark = rng.random() < 0.1
    background = tuple(int(v) for v in (rng.integers(20, 45, 3) if dark else rng.integers(238, 256, 3)))
    ink = contrasting_color(rng, background)
    sans = ([f for f in fonts if not (f.mono or f.light or f.serif)] or [f for f in fonts if not f.mono]
            or list(fonts))
    font_info = sans[int(rng.integers(len(sans)))]
    size = int(rng.integers(max(cfg.min_font, 11), 31))
    font = font_info.get(size)
    small = font_info.get(max(cfg.min_font, int(size * 0.75)))
    sampler = TextSampler(rng, charset, cfg.accents)
    allowed = set(charset)

    n_rows = 2 if h > 14 * size and rng.random() < 0.35 else 1
    n_cols = int(rng.integers(2, 7))
    gap = size * rng.uniform(2.0, 4.5)
    margin = size * rng.uniform(0.5, 1.5)
    box_w = (w - 2 * margin - gap * (n_cols - 1)) / n_cols
    if box_w < size * 4:
        n_cols = max(1, int((w - 2 * margin + gap) / (size * 6 + gap)))
        box_w = (w - 2 * margin - gap * (n_cols - 1)) / n_cols
    pad = size * rng.uniform(0.3, 0.8)
    pitch = size * rng.uniform(1.05, 1.4)  # tight leading: the lines of a box nearly touch
    filled = rng.random() < 0.65
    fill = _FILLS[int(rng.integers(len(_FILLS)))]
    box_ink = contrasting_color(rng, fill) if filled else ink
    outline = fill if not filled or rng.random() < 0.5 else tuple(int(c * 0.7) for c in fill)
    arrow_color = fill if rng.random() < 0.6 else tuple(int(c) for c in rng.integers(60, 160, 3))
    if luminance(arrow_color) > 200 and not dark:
        arrow_color = (90, 90, 90)
    block_arrows = rng.random() < 0.5
    radius = int(size * rng.uniform(0.2, 0.8)) if rng.random() < 0.4 else 0
    list_style = int(rng.integers(4))
    list_pitch = size * rng.uniform(1.3, 1.7)

    graphics = Image.new("RGB", (w, h), background)
    draw = ImageDraw.Draw(graphics)
    lines: List[Tuple[object, str, Tuple[float, float], tuple, str]] = []  # font, text, anchor, colour, align
    row_h = (h - 2 * margin) / n_rows
    prev_row: List[Tuple[float, float, float, float]] = []
    for row in range(n_rows):
        top = margin + row * row_h + size * rng.uniform(0.0, 1.0)
        boxes = []
        for col in range(n_cols):
            n_lines = int(rng.choice([1, 2, 2, 3]))
            texts = [_caption_that_fits(sampler, rng, font_info, font, allowed, box_w - 2 * pad)
                     for _ in range(n_lines)]
            texts = [t for t in texts if t.strip()]
            if not texts:
                continue
            bh = len(texts) * pitch + 2 * pad
            bx0 = margin + col * (box_w + gap)
            boxes.append((bx0, top, bx0 + box_w, top + bh))
            draw.rounded_rectangle([bx0, top, bx0 + box_w, top + bh], radius=radius,
                                   fill=fill if filled else background, outline=outline,
                                   width=int(rng.integers(1, 4)))
            for i, t in enumerate(texts):
                lines.append((font, t, (bx0 + box_w / 2, top + pad + pitch * (i + 0.5)), box_ink, "center"))
        for a, b in zip(boxes, boxes[1:]):
            y = (max(a[1], b[1]) + min(a[3], b[3])) / 2
            _arrow(draw, (a[2] + gap * 0.12, y), (b[0] - gap * 0.12, y), size * rng.uniform(0.4, 0.9),
                   arrow_color, block_arrows)
            if not block_arrows and rng.random() < 0.2 and small.getlength("yes") < gap * 0.8:
                label = fit_to_width(small, font_info.filter_text(sampler.word(), allowed), gap * 0.8)
                lines.append((small, label, ((a[2] + b[0]) / 2, y - size * 0.6), ink, "center"))
        if prev_row and boxes and rng.random() < 0.7:
            upper = prev_row[min(len(prev_row), len(boxes)) - 1]
            lower = boxes[min(len(prev_row), len(boxes)) - 1]
            x = (max(upper[0], lower[0]) + min(upper[2], lower[2])) / 2
            _arrow(draw, (x, upper[3] + 2), (x, lower[1] - 2), size * 0.6, arrow_color, block_arrows)
        # Lists under the boxes of the last row, where there is room below them.
        if row == n_rows - 1:
            for bx0, _, _, by1 in boxes:
                if rng.random() > 0.6:
                    continue
                y = by1 + size * rng.uniform(0.6, 1.2)
                for i in range(1, int(rng.integers(2, 10))):
                    if y + size > h - margin / 2:
                        break
                    room = min(box_w + gap * 0.8, w - bx0 - size * 0.3 - margin / 2)
                    item = font_info.filter_text(_list_item(sampler, rng, i, list_style), allowed)
                    text = fit_to_width(font, item, room)
                    if text:
                        lines.append((font, text, (bx0 + size * 0.3, y + size * 0.5), ink, "left"))
                    y += list_pitch
        prev_row = boxes

    canvas = TextCanvas(graphics)
    tiny = [f.size < 9 for f, text, xy, color, align in lines if canvas.text(f, text, xy, color, align=align)]
    boxes = clip_boxes([TextBox(t, q, small_text) for (t, q), small_text in zip(canvas.boxes, tiny)], w, h)
    return Page(np.ascontiguousarray(canvas.img), boxes, int(rng.integers(60, 96)), None)
