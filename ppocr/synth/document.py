"""The document kind (and, through layouts.py, receipts and screens): pages with exact line or word quads.

A page is laid out top to bottom in one or two columns from blocks (headings,
paragraphs, lists, key/value fields, small tables, short stand-alone lines, tiny
footnotes). Every segment is rasterised on its own mask so its tight ink box is known
exactly; the page and all boxes then go through one homography, and finally photometric
degradations are applied (these do not move pixels).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

import numpy as np
from PIL import Image, ImageDraw

from .backgrounds import make_background
from .corpus import TextSampler
from .degrade import apply_degrade, sample_degrade
from .fonts import FontInfo
from .page import Page, PageConfig, TextBox, clip_boxes
from .render import (
    RenderedLine,
    box_to_quad,
    fit_canvas,
    fit_to_width,
    rasterize_line,
    sample_homography,
    sample_text_color,
    warp_image,
    warp_points,
)

# Lines set below this font size are too small to read reliably: labelled "###" (ignored).
IGNORE_FONT_PX = 9
LIGHT_MIN_PX = 22


@dataclass
class _Style:
    body: FontInfo
    heading: FontInfo
    mono: FontInfo
    size: int
    color: Tuple[int, int, int]
    head_color: Tuple[int, int, int]
    spacing: float


@dataclass
class _Segment:
    line: RenderedLine
    color: Tuple[int, int, int]
    ignore: bool


@dataclass
class _Canvas:
    """Collects segments and decorations while a page is laid out."""

    w: int
    h: int
    segments: List[_Segment] = field(default_factory=list)
    rules: List[Tuple[int, int, int, int, int, Tuple[int, int, int]]] = field(default_factory=list)
    # Filled boxes drawn under the text (screens): x0, y0, x1, y1, fill, corner radius, outline or None.
    fills: List[tuple] = field(default_factory=list)


def pick_font(rng: np.random.Generator, fonts: Sequence[FontInfo], pref: str = "",
               size: int = 99) -> FontInfo:
    """Random font, preferring one with attribute ``pref`` (bold/mono/serif) if available.

    Hairline weights are only used from ``LIGHT_MIN_PX`` up: smaller, they anti-alias to a
    faint grey that is barely readable after blur and JPEG.
    """
    if size < LIGHT_MIN_PX:
        fonts = [f for f in fonts if not f.light] or list(fonts)
    if pref:
        cands = [f for f in fonts if getattr(f, pref)]
        if cands and rng.random() < 0.8:
            return cands[int(rng.integers(len(cands)))]
    plain = [f for f in fonts if not f.bold and not f.italic] or list(fonts)
    pool = plain if rng.random() < 0.7 else list(fonts)
    return pool[int(rng.integers(len(pool)))]


class PageLayout:
    """Places blocks of text into columns; all randomness comes from ``rng``."""

    def __init__(self, rng: np.random.Generator, fonts: Sequence[FontInfo], cfg: PageConfig,
                 charset: str, words: bool, w: int, h: int):
        self.rng = rng
        self.fonts = fonts
        self.cfg = cfg
        self.charset = set(charset)
        self.words = words
        self.sampler = TextSampler(rng, charset, cfg.accents)
        self.canvas = _Canvas(w, h)
        top = int(h * rng.uniform(0.03, 0.09))
        self.bottom = h - int(h * rng.uniform(0.03, 0.09))
        self.y = top
        # Body text skews small (as in real documents); headings scale up from it.
        size = int(np.clip(rng.gamma(3.0, 1.0) * 3.2 + cfg.min_font, cfg.min_font,
                           cfg.max_font - 4))
        size = min(size, max(cfg.min_font, w // 30))  # tiny pages do not get huge body text
        body = pick_font(rng, fonts, size=size)
        self.style = _Style(
            body=body,
            heading=pick_font(rng, fonts, "bold", size) if rng.random() < 0.7 else body,
            mono=pick_font(rng, fonts, "mono", size),
            size=size,
            color=sample_text_color(rng, 0.75),
            head_color=sample_text_color(rng, 0.5),
            spacing=float(rng.uniform(1.35, 1.9)),
        )

    # -- helpers ----------------------------------------------------------------------
    def _clean(self, font: FontInfo, text: str) -> str:
        return font.filter_text(text, self.charset)

    def _pitch(self, font: FontInfo, size: int) -> int:
        """Baseline-to-baseline distance: >= 1.3x text size and never overlapping ink."""
        asc, desc = font.get(size).getmetrics()
        return int(max(np.ceil(size * self.style.spacing), asc + desc + 3))

    def _fit(self, font: FontInfo, size: int, text: str, width: float) -> str:
        """Drop trailing words until ``text`` fits in ``width`` pixels (cutting a lone word if need be)."""
        return fit_to_width(font.get(size), text, width, cut_words=True)

    def _emit(self, font: FontInfo, size: int, text: str, x: float, baseline: int,
              color: Tuple[int, int, int], align: str = "left") -> Optional[RenderedLine]:
        text = self._clean(font, text)
        if not text:
            return None
        f = font.get(size)
        if align == "right":
            x -= f.getlength(text)
        elif align == "center":
            x -= f.getlength(text) / 2
        line = rasterize_line(f, text, int(round(x)), baseline, self.words)
        if line is None:
            return None
        self.canvas.segments.append(_Segment(line, color, size < IGNORE_FONT_PX))
        return line

    def _row(self, font: FontInfo, size: int) -> Optional[Tuple[int, int]]:
        """Reserve one line; return (baseline, pitch) or None when the column is full."""
        asc, desc = font.get(size).getmetrics()
        pitch = self._pitch(font, size)
        baseline = self.y + asc
        if baseline + desc > self.bottom:
            return None
        self.y += pitch
        return baseline, pitch

    def _gap(self, factor: float) -> None:
        self.y += int(self.style.size * factor)

    def _rule(self, x0: float, x1: float, y: int, thick: int = 1) -> None:
        if self.cfg.decorations:
            c = sample_text_color(self.rng, 0.8)
            self.canvas.rules.append((int(x0), int(y), int(x1), int(y), thick, c))

    # -- blocks -----------------------------------------------------------------------
    def heading(self, x0: float, x1: float) -> bool:
        st, rng = self.style, self.rng
        size = int(min(self.cfg.max_font, st.size * rng.uniform(1.15, 1.9)))
        font = st.heading
        text = self._fit(font, size, self._clean(font, self.sampler.heading()), x1 - x0)
        row = self._row(font, size)
        if row is None or not text:
            return False
        align = "center" if rng.random() < 0.25 else "left"
        x = (x0 + x1) / 2 if align == "center" else x0
        line = self._emit(font, size, text, x, row[0], st.head_color, align)
        if line is not None and rng.random() < 0.25:
            desc = font.get(size).getmetrics()[1]
            self._rule(x0, x1, row[0] + desc + 2, 1 + int(rng.random() < 0.3))
            self.y += 4
        self._gap(rng.uniform(0.2, 0.8))
        return True

    def paragraph(self, x0: float, x1: float) -> bool:
        st, rng = self.style, self.rng
        font = st.body if rng.random() < 0.85 else pick_font(rng, self.fonts, size=st.size)
        size = st.size
        f = font.get(size)
        width = x1 - x0
        n_lines = int(rng.integers(1, 9))
        indent = int(size * rng.uniform(1.0, 3.0)) if rng.random() < 0.3 else 0
        avg = max(1.0, f.getlength("etaoin shrdlu") / 13)
        tokens = [self._clean(font, t) for t in self.sampler.words(int(n_lines * width / avg) + 8)]
        tokens = [t for t in tokens if t]
        widths = [f.getlength(t) for t in tokens]
        space = f.getlength(" ")
        color = st.color if rng.random() < 0.85 else sample_text_color(rng)
        placed = False
        for i in range(n_lines):
            if not tokens:
                break
            lx = x0 + (indent if i == 0 else 0)
            avail = x1 - lx
            if i == n_lines - 1:  # ragged last line
                avail *= rng.uniform(0.2, 1.0)
            # Greedy fill on summed word widths (cheap), then trim on the exact width.
            cur: List[str] = []
            used = -space
            while tokens and used + space + widths[0] <= avail:
                used += space + widths.pop(0)
                cur.append(tokens.pop(0))
            while cur and f.getlength(" ".join(cur)) > avail:
                tokens.insert(0, cur.pop())
                widths.insert(0, f.getlength(tokens[0]))
            if not cur:
                if widths[0] > x1 - lx:  # word longer than the column
                    tokens.pop(0)
                    widths.pop(0)
                    continue
                break
            row = self._row(font, size)
            if row is None:
                return placed
            self._emit(font, size, " ".join(cur), lx, row[0], color)
            placed = True
        self._gap(rng.uniform(0.3, 1.2))
        return placed

    def listing(self, x0: float, x1: float) -> bool:
        st, rng = self.style, self.rng
        font, size = st.body, st.size
        style = int(rng.integers(4))
        placed = False
        for i in range(int(rng.integers(2, 6))):
            marker = ["-", "*", f"{i + 1}.", f"{'abcdefgh'[i]})"][style]
            body = " ".join(self.sampler.words(int(rng.integers(8, 50))))
            row = self._row(font, size)
            if row is None:
                return placed
            indent = x0 + size * rng.uniform(0.0, 1.5)
            text = self._fit(font, size, self._clean(font, f"{marker} {body}"), x1 - indent)
            if text:
                self._emit(font, size, text, indent, row[0], st.color)
                placed = True
        self._gap(rng.uniform(0.3, 1.0))
        return placed

    def fields(self, x0: float, x1: float) -> bool:
        st, rng = self.style, self.rng
        font, size = st.body, st.size
        f = font.get(size)
        mode = rng.choice(["inline", "tab", "right"])
        rows = [(self._clean(font, self.sampler.field_key()), self.sampler.field_value())
                for _ in range(int(rng.integers(2, 7)))]
        tab = x0 + max(f.getlength(k) for k, _ in rows) + size * rng.uniform(1.0, 3.0)
        placed = False
        for key, value in rows:
            row = self._row(font, size)
            if row is None:
                return placed
            value = self._clean(font, value)
            m = mode
            key_end = x0 + f.getlength(key)
            if m == "right" and x1 - f.getlength(value) < key_end + 2 * size:
                m = "inline"
            if m == "tab" and tab + f.getlength(value) > x1:
                m = "inline"
            if m == "inline":
                text = self._fit(font, size, f"{key} {value}", x1 - x0)
                self._emit(font, size, text, x0, row[0], st.color)
            else:
                self._emit(font, size, key, x0, row[0], st.color)
                if m == "tab":
                    self._emit(font, size, value, tab, row[0], st.color)
                else:
                    self._emit(font, size, value, x1, row[0], st.color, "right")
            placed = True
        self._gap(rng.uniform(0.3, 1.0))
        return placed

    def table(self, x0: float, x1: float) -> bool:
        st, rng = self.style, self.rng
        font = st.body if rng.random() < 0.7 else st.mono
        size = max(self.cfg.min_font, int(st.size * rng.uniform(0.85, 1.0)))
        f = font.get(size)
        width = x1 - x0
        first = width * rng.uniform(0.3, 0.5)
        # Numeric columns need room for ~8 digits, so narrow columns get fewer of them.
        max_cols = 1 + int((width - first) // (f.getlength("00000000") + size))
        ncol = int(rng.integers(2, max(2, min(4, max_cols)) + 1))
        cells = [x0] + [x0 + first + (width - first) * k / (ncol - 1) for k in range(ncol)]
        gap = size * 0.8
        ruled = self.cfg.decorations and rng.random() < 0.5
        asc, desc = f.getmetrics()
        placed = False
        for r in range(int(rng.integers(2, 8))):
            row = self._row(font, size)
            if row is None:
                return placed
            base = row[0]
            for c in range(ncol):
                cw = cells[c + 1] - cells[c] - gap
                if c == 0:
                    raw = self.sampler.word().capitalize() if r else self.sampler.heading()
                    text = self._fit(font, size, self._clean(font, raw), cw)
                    self._emit(font, size, text, cells[c], base, st.color)
                else:
                    for _attempt in range(3):  # resample until a value fits the cell
                        raw = self.sampler.word().capitalize() if r == 0 else (
                            self.sampler.price() if rng.random() < 0.4 else self.sampler.integer()
                            if rng.random() < 0.6 else self.sampler.decimal())
                        text = self._clean(font, raw)
                        if text and f.getlength(text) <= cw:
                            self._emit(font, size, text, cells[c + 1] - gap / 2, base, st.color,
                                       "right")
                            break
            placed = True
            if ruled:  # extra room so the rule sits clear of descenders and the next row
                extra = int(size * 0.4) + 2
                self.y += extra
                self._rule(x0, x1, base + desc + max(2, (row[1] + extra - asc - desc) // 2))
        self._gap(rng.uniform(0.5, 1.2))
        return placed

    def short_lines(self, x0: float, x1: float) -> bool:
        st, rng = self.style, self.rng
        font = st.mono if rng.random() < 0.3 else st.body
        size = int(np.clip(st.size * rng.uniform(0.9, 1.3), self.cfg.min_font, self.cfg.max_font))
        align = rng.choice(["left", "right", "center"], p=[0.6, 0.3, 0.1])
        placed = False
        for _ in range(int(rng.integers(1, 4))):
            row = self._row(font, size)
            if row is None:
                return placed
            text = self._fit(font, size, self._clean(font, self.sampler.short_line()), x1 - x0)
            x = {"left": x0, "right": x1, "center": (x0 + x1) / 2}[align]
            self._emit(font, size, text, x, row[0], st.color, align)
            placed = True
        self._gap(rng.uniform(0.3, 1.0))
        return placed

    def tiny(self, x0: float, x1: float) -> bool:
        """A footnote in 5-8 px text: present in the image, labelled as ignore."""
        rng = self.rng
        size = int(rng.integers(5, IGNORE_FONT_PX))
        font = self.style.body
        if font.light:
            font = pick_font(rng, self.fonts, size=size)
        placed = False
        for _ in range(int(rng.integers(1, 3))):
            row = self._row(font, size)
            if row is None:
                return placed
            text = self._fit(font, size, " ".join(self.sampler.words(int(rng.integers(20, 120)))),
                             (x1 - x0) * rng.uniform(0.5, 1.0))
            self._emit(font, size, text, x0, row[0], self.style.color)
            placed = True
        self._gap(0.5)
        return placed

    def fill_column(self, x0: float, x1: float, max_blocks: int = 40) -> None:
        """Stack random blocks until the column is full."""
        kinds = ["heading", "paragraph", "listing", "fields", "table", "short_lines"]
        probs = [0.14, 0.38, 0.1, 0.14, 0.1, 0.14]
        last = ""
        for _ in range(max_blocks):
            kind = str(self.rng.choice(kinds, p=probs))
            if kind == "heading" and last == "heading":
                kind = "paragraph"
            if self.cfg.tiny_prob > 0 and self.rng.random() < self.cfg.tiny_prob / 4:
                kind = "tiny"
            if not getattr(self, kind)(x0, x1) and self.y >= self.bottom - self.style.size:
                break
            last = kind
            if self.y >= self.bottom:
                break

    def layout(self) -> _Canvas:
        """Lay out the whole page: optional title, then one or two columns."""
        rng, w = self.rng, self.canvas.w
        left = int(w * rng.uniform(0.03, 0.12))
        right = w - int(w * rng.uniform(0.03, 0.1))
        if rng.random() < 0.5:
            self.heading(left, right)
        if w >= 560 and rng.random() < 0.3:
            gutter = int(rng.uniform(0.03, 0.08) * w)
            mid = (left + right) // 2
            y0 = self.y
            self.fill_column(left, mid - gutter // 2)
            self.y = y0
            self.fill_column(mid + gutter - gutter // 2, right)
        else:
            self.fill_column(left, right)
        return self.canvas


def page_size(rng: np.random.Generator, kind: str, cfg: PageConfig) -> Tuple[int, int]:
    """(w, h): documents within the configured sides, narrow tall receipts, landscape screens."""
    if kind == "receipt":
        return int(rng.integers(280, 521)), int(rng.integers(max(cfg.min_side, 500), max(cfg.max_side, 1100) + 1))
    if kind == "screen":
        return int(rng.integers(640, 1281)), int(rng.integers(400, 901))
    return int(rng.integers(cfg.min_side, cfg.max_side + 1)), int(rng.integers(cfg.min_side, cfg.max_side + 1))


def layout_boxes(canvas: _Canvas, level: str) -> List[TextBox]:
    boxes: List[TextBox] = []
    for seg in canvas.segments:
        items = seg.line.words if level == "word" else [(seg.line.text, seg.line.ink)]
        for text, box in items:
            boxes.append(TextBox(text, box_to_quad(box), seg.ignore))
    return boxes


def draw_canvas(bg: np.ndarray, canvas: _Canvas) -> np.ndarray:
    page = Image.fromarray(bg)
    draw = ImageDraw.Draw(page)
    for x0, y0, x1, y1, fill, radius, outline in canvas.fills:
        draw.rounded_rectangle([x0, y0, x1, y1], radius=radius, fill=tuple(fill),
                               outline=tuple(outline) if outline is not None else None)
    for x0, y0, x1, y1, thick, color in canvas.rules:
        draw.line([(x0, y0), (x1, y1)], fill=color, width=thick)
    for seg in canvas.segments:
        page.paste(seg.color, seg.line.origin, seg.line.mask)
    return np.asarray(page)


def render_layout_page(layout_class, kind: str, rng: np.random.Generator, fonts: Sequence[FontInfo],
                       cfg: PageConfig, charset: str, level: str) -> Page:
    """A page laid out by ``layout_class`` (PageLayout or a subclass: receipts, screens) of size for ``kind``:
    on paper, warped and degraded; screens stay flat, axis-aligned and crisp."""
    w, h = page_size(rng, kind, cfg)
    layout = layout_class(rng, fonts, cfg, charset, level == "word", w, h)
    canvas = layout.layout()
    if kind == "screen":  # flat colours, axis-aligned, crisp: no paper, warp or blur
        bg = np.empty((h, w, 3), np.uint8)
        bg[:] = layout.background
        img = draw_canvas(bg, canvas)
        boxes = layout_boxes(canvas, level)
        quality = int(rng.integers(75, 96))
        return Page(np.ascontiguousarray(img), clip_boxes(boxes, w, h), quality, None)
    img = draw_canvas(make_background(rng, h, w), canvas)

    boxes = layout_boxes(canvas, level)
    if rng.random() < cfg.warp_prob:
        H = sample_homography(rng, w, h, cfg.max_angle, cfg.perspective)
        H, size = fit_canvas(H, w, h)
        img = warp_image(img, H, size)
        for b in boxes:
            b.points = warp_points(b.points, H)
    boxes = clip_boxes(boxes, img.shape[1], img.shape[0])

    params = None
    quality = 95
    if cfg.degrade:
        params = sample_degrade(rng, layout.style.size)
        img = apply_degrade(img, params, rng)
        quality = params.jpeg_quality
    return Page(np.ascontiguousarray(img), boxes, quality, params)
