"""Chart pages (page kind ``chart``): line and bar charts as exported from spreadsheets and plotting
libraries, with horizontal tick numbers, category labels slanted by 0-90 degrees, a rotated axis title, a
legend whose entries start with a coloured marker, and gridlines, lines and markers that are not text.

Labels follow the page rule: one box per label (a category name, a tick number, a legend entry without
its marker, a title); rotated labels get rotated quads.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
from PIL import Image, ImageDraw

from .corpus import TextSampler
from .fonts import FontInfo
from .layouts import contrasting_color
from .page import Page, TextBox, clip_boxes
from .render import TextCanvas

_SERIES_COLORS = [(68, 114, 196), (192, 80, 77), (155, 187, 89), (128, 100, 162), (75, 172, 198),
                  (247, 150, 70), (31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40)]


def _marker(draw: ImageDraw.ImageDraw, x: float, y: float, r: float, color, shape: int) -> None:
    """A filled square, diamond, triangle or dot: the point markers of line charts."""
    if shape == 0:
        draw.rectangle([x - r, y - r, x + r, y + r], fill=color)
    elif shape == 1:
        draw.polygon([(x, y - r), (x + r, y), (x, y + r), (x - r, y)], fill=color)
    elif shape == 2:
        draw.polygon([(x, y - r), (x + r, y + r), (x - r, y + r)], fill=color)
    else:
        draw.ellipse([x - r, y - r, x + r, y + r], fill=color)


def _category(sampler: TextSampler, rng: np.random.Generator) -> str:
    r = rng.random()
    if r < 0.55:
        return " ".join(sampler.word().capitalize() for _ in range(int(rng.integers(1, 4))))
    if r < 0.75:
        return sampler.date()
    if r < 0.9:
        return sampler.code()
    return sampler.word()


def render_chart(rng: np.random.Generator, fonts: Sequence[FontInfo], cfg, charset: str, level: str = "line"):
    """A chart :class:`~ppocr.synth.page.Page` (one quad per label; ``level`` is accepted for the
    common signature: chart labels are short, so word and line boxes mostly agree)."""
    w, h = int(rng.integers(640, 1281)), int(rng.integers(360, 801))
    dark = rng.random() < 0.15
    background = tuple(int(v) for v in (rng.integers(20, 45, 3) if dark else rng.integers(240, 256, 3)))
    ink = contrasting_color(rng, background)
    sans = [f for f in fonts if not f.mono and not f.light] or list(fonts)
    font_info = sans[int(rng.integers(len(sans)))]
    size = int(rng.integers(max(cfg.min_font, 11), 19))
    font = font_info.get(size)
    sampler = TextSampler(rng, charset, cfg.accents)
    allowed = set(charset)

    def clean(text: str) -> str:
        return font_info.filter_text(text, allowed)

    n_cat = int(rng.integers(4, 21))
    n_series = int(rng.integers(1, 5))
    angle = float(rng.choice([0.0, 30.0, 45.0, 45.0, 60.0, 90.0])) if n_cat > 6 else float(rng.choice([0.0, 45.0]))
    categories = [clean(_category(sampler, rng)) for _ in range(n_cat)]
    longest = max((font.getlength(c) for c in categories), default=size)
    below = int(longest * np.sin(np.radians(angle)) + size * 2.5) if angle else size * 3
    legend_w = int(max(font.getlength(" " * 4) + size * 6, w * 0.18)) if rng.random() < 0.7 else 0
    left = int(size * 5 + (size * 2 if rng.random() < 0.5 else 0))
    top = int(size * (3.5 if rng.random() < 0.6 else 1.5))
    x0, x1 = left, w - legend_w - size * 2
    y0, y1 = top, h - min(below, h // 2)
    if x1 - x0 < w * 0.35 or y1 - y0 < h * 0.25:
        x1, y1 = w - size * 2, h - size * 3
        angle, legend_w = 0.0, 0

    graphics = Image.new("RGB", (w, h), background)
    draw = ImageDraw.Draw(graphics)
    grid = tuple(int(np.clip(c + (-30 if not dark else 40), 0, 255)) for c in background)
    ticks = int(rng.integers(4, 9))
    step = float(rng.choice([1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000]))
    values_axis = [step * i for i in range(ticks + 1)]
    for i in range(ticks + 1):
        y = y1 - (y1 - y0) * i / ticks
        draw.line([(x0, y), (x1, y)], fill=grid, width=1)
    draw.line([(x0, y0), (x0, y1)], fill=grid, width=1)
    draw.line([(x0, y1), (x1, y1)], fill=grid, width=1)
    bars = rng.random() < 0.4
    shapes = rng.permutation(4)
    slot = (x1 - x0) / n_cat
    series_names = []
    for s in range(n_series):
        color = _SERIES_COLORS[int(rng.integers(len(_SERIES_COLORS)))]
        vals = np.clip(np.cumsum(rng.normal(0, 0.12, n_cat)) + rng.uniform(0.2, 0.8), 0.03, 0.97)
        pts = [(x0 + slot * (i + 0.5), y1 - (y1 - y0) * v) for i, v in enumerate(vals)]
        if bars:
            bw = slot * 0.8 / n_series
            for i, (_, py) in enumerate(pts):
                bx = x0 + slot * i + slot * 0.1 + bw * s
                draw.rectangle([bx, py, bx + bw - 1, y1], fill=color)
        else:
            draw.line(pts, fill=color, width=int(rng.integers(1, 4)))
            for px, py in pts:
                _marker(draw, px, py, size * 0.3, color, int(shapes[s % 4]))
        name = sampler.heading() if rng.random() < 0.3 else sampler.word().capitalize()
        if rng.random() < 0.2:
            name += f" [note {s + 1}]"
        series_names.append((clean(name), color, int(shapes[s % 4])))
    legend_rows = []
    if legend_w:
        ly = y0 + (y1 - y0) * rng.uniform(0.1, 0.4)
        lx = x1 + size * 2
        for name, color, shape in series_names:
            if bars:
                draw.rectangle([lx, ly - size * 0.35, lx + size * 0.7, ly + size * 0.35], fill=color)
            else:
                draw.line([(lx - size * 0.6, ly), (lx + size * 1.3, ly)], fill=color, width=2)
                _marker(draw, lx + size * 0.35, ly, size * 0.3, color, shape)
            legend_rows.append((name, (lx + size * 1.8, ly)))
            ly += size * 2.2
    canvas = TextCanvas(graphics)

    for i, v in enumerate(values_axis):
        label = f"{v:g}" if rng.random() < 0.85 else f"{v:,.0f}"
        canvas.text(font, label, (x0 - size * 0.6, y1 - (y1 - y0) * i / ticks), ink, align="right")
    for i, cat in enumerate(categories):
        cx = x0 + slot * (i + 0.5)
        if angle:
            canvas.text(font, cat, (cx, y1 + size * 0.8), ink, angle=angle)
        elif font.getlength(cat) < slot * 0.95:
            canvas.text(font, cat, (cx, y1 + size * 0.6), ink, align="center", valign="top")
    for name, xy in legend_rows:
        canvas.text(font, name, xy, ink)
    if rng.random() < 0.6:
        title = clean(sampler.heading())
        canvas.text(font_info.get(int(size * 1.3)), title, (w / 2, top / 2), ink, align="center")
    if rng.random() < 0.5 and left > size * 5:
        canvas.text(font, clean(sampler.word().capitalize()), (size * 1.2, (y0 + y1) / 2), ink, angle=90.0,
                    align="center")
    boxes = clip_boxes([TextBox(t, q, size < 9) for t, q in canvas.boxes], w, h)
    return Page(np.ascontiguousarray(canvas.img), boxes, int(rng.integers(75, 96)), None)
