"""Receipt and screenshot layouts, built from the document layout's primitives.

Labels follow the same rule as documents: one box per contiguous run of text that a reader would call
a line or a field (an item name and its price, apart on a receipt row, are two boxes).
"""
from __future__ import annotations

from typing import Tuple

import numpy as np

from .document import PageLayout, pick_font

RGB = Tuple[int, int, int]


def luminance(color) -> float:
    r, g, b = color[:3]
    return 0.299 * r + 0.587 * g + 0.114 * b


def contrasting_color(rng: np.random.Generator, background: RGB) -> RGB:
    """A text colour that reads well on ``background``: dark on light, light on dark."""
    if luminance(background) > 140:
        base = int(rng.integers(0, 70))
        tint = rng.integers(-15, 16, 3)
    else:
        base = int(rng.integers(215, 256))
        tint = rng.integers(-20, 1, 3)
    return tuple(int(np.clip(base + t, 0, 255)) for t in tint)


class ReceiptLayout(PageLayout):
    """A till receipt: centred shop header, item rows with right-aligned prices, totals and a footer,
    mostly in a monospaced font."""

    def layout(self):
        rng = self.rng
        left = int(self.canvas.w * rng.uniform(0.04, 0.1))
        right = self.canvas.w - int(self.canvas.w * rng.uniform(0.04, 0.1))
        centre = (left + right) / 2
        font = self.style.mono if rng.random() < 0.7 else self.style.body
        size = int(np.clip(self.style.size * rng.uniform(0.8, 1.1), self.cfg.min_font, 24))
        color = self.style.color
        sampler = self.sampler

        def row(text, x, align="left", f=font, s=size, c=color):
            r = self._row(f, s)
            if r is None:
                return False
            self._emit(f, s, self._fit(f, s, self._clean(f, text), right - left), x, r[0], c, align)
            return True

        def pair(key, value, f=font, s=size):
            r = self._row(f, s)
            if r is None:
                return False
            fl = f.get(s)
            value = self._clean(f, value)
            key = self._fit(f, s, self._clean(f, key), right - left - fl.getlength(value) - 2 * s)
            self._emit(f, s, key, left, r[0], color)
            self._emit(f, s, value, right, r[0], color, "right")
            return True

        shop = " ".join(sampler.word() for _ in range(int(rng.integers(1, 3))))
        header_font = pick_font(rng, self.fonts, "bold", size) if rng.random() < 0.6 else font
        row(shop.upper() if rng.random() < 0.7 else shop.title(), centre, "center", header_font,
            int(size * rng.uniform(1.1, 1.6)))
        for _ in range(int(rng.integers(1, 4))):
            row(sampler.short_line() if rng.random() < 0.5 else
                f"{int(rng.integers(1, 999))} {sampler.word().title()} {rng.choice(['St', 'Rd', 'Ave', 'Blvd'])}",
                centre, "center")
        row(f"{sampler.date()} {sampler.date() if rng.random() < 0.5 else ''}".strip(), left)
        self._rule(left, right, self.y - size // 3)
        self._gap(0.4)
        total = 0.0
        for _ in range(int(rng.integers(3, 14))):
            name = " ".join(sampler.word() for _ in range(int(rng.integers(1, 4))))
            name = name.upper() if rng.random() < 0.6 else name
            price = float(rng.uniform(0.2, 90))
            qty = int(rng.integers(1, 5)) if rng.random() < 0.25 else 1
            total += qty * price
            if qty > 1 and rng.random() < 0.5:
                row(f"{qty} x {price:.2f}", left + size * 2)
            if not pair(name, f"{qty * price:.2f}"):
                break
        self._rule(left, right, self.y - size // 3)
        self._gap(0.4)
        tax = total * float(rng.choice([0.05, 0.07, 0.08, 0.1, 0.2]))
        for key, value in (("SUBTOTAL", total), (f"TAX {rng.integers(5, 21)}%", tax), ("TOTAL", total + tax)):
            pair(key if rng.random() < 0.7 else key.title(), f"{sampler._pick(['$', '', 'EUR '])}{value:.2f}")
        if rng.random() < 0.6:
            pair(str(rng.choice(["CASH", "VISA", "CARD", "CHANGE"])), f"{float(rng.uniform(0, 200)):.2f}")
        self._gap(0.8)
        for _ in range(int(rng.integers(1, 3))):
            row(str(rng.choice(["THANK YOU", "Thank you for shopping!", "PLEASE COME AGAIN", sampler.code(),
                                sampler.email()])), centre, "center")
        return self.canvas


class ScreenLayout(PageLayout):
    """A screenshot of an application: a coloured title bar, an optional side menu, then headings,
    form rows with input boxes, buttons with centred labels and small text, on a flat light or dark
    background. Sizes follow screen text (11-18 px)."""

    def __init__(self, rng, fonts, cfg, charset, words, w, h):
        super().__init__(rng, fonts, cfg, charset, words, w, h)
        self.dark = rng.random() < 0.25
        self.background = tuple(int(v) for v in (rng.integers(20, 50, 3) if self.dark else rng.integers(235, 256, 3)))
        self.accent = tuple(int(v) for v in rng.integers(30, 200, 3))
        sans = [f for f in fonts if not f.serif and not f.mono and not f.light] or list(fonts)
        self.ui_font = sans[int(rng.integers(len(sans)))]
        self.size = int(rng.integers(max(self.cfg.min_font, 11), 19))
        self.text_color = contrasting_color(rng, self.background)

    def _label(self, text, x, baseline, color, size=None, align="left", font=None):
        font, size = font or self.ui_font, size or self.size
        return self._emit(font, size, text, x, baseline, color, align)

    def _box(self, x0, y0, x1, y1, fill, radius=0, outline=None):
        self.canvas.fills.append((int(x0), int(y0), int(x1), int(y1), fill, int(radius), outline))

    def layout(self):
        rng, w, s = self.rng, self.canvas.w, self.size
        f = self.ui_font.get(s)
        asc, desc = f.getmetrics()
        bar_h = int(s * rng.uniform(2.2, 3.2))
        self._box(0, 0, w, bar_h, self.accent)
        title_color = contrasting_color(rng, self.accent)
        self._label(self.sampler.heading(), s, (bar_h + asc - desc) // 2, title_color, int(s * 1.15))
        x = w - s
        for _ in range(int(rng.integers(0, 4))):
            item = self._clean(self.ui_font, self.sampler.word().title())
            x -= f.getlength(item) + s
            if x < w / 2:
                break
            self._label(item, x, (bar_h + asc - desc) // 2, title_color)
        left = s
        if w >= 600 and rng.random() < 0.6:  # side menu
            menu_w = int(w * rng.uniform(0.16, 0.26))
            menu_bg = tuple(int(np.clip(c + (18 if self.dark else -14), 0, 255)) for c in self.background)
            self._box(0, bar_h, menu_w, self.canvas.h, menu_bg)
            y = bar_h + int(s * 1.8)
            for _ in range(int(rng.integers(3, 10))):
                if y + s * 2 > self.canvas.h:
                    break
                self._label(self._fit(self.ui_font, s, self.sampler.word().title(), menu_w - 2 * s), s, y,
                            contrasting_color(rng, menu_bg))
                y += int(s * rng.uniform(1.9, 2.6))
            left = menu_w + s
        self.y = bar_h + int(s * 1.5)
        right = w - s
        while self.y < self.bottom - 3 * s:
            kind = rng.choice(["heading", "form", "buttons", "text"], p=[0.15, 0.35, 0.2, 0.3])
            getattr(self, f"_ui_{kind}")(left, right)
        return self.canvas

    def _ui_heading(self, x0, x1):
        size = int(self.size * self.rng.uniform(1.3, 1.9))
        font = self.ui_font.get(size)
        self.y += font.getmetrics()[0]
        self._label(self._fit(self.ui_font, size, self.sampler.heading(), x1 - x0), x0, self.y, self.text_color,
                    size)
        self.y += int(size * 0.9)

    def _ui_form(self, x0, x1):
        rng, s = self.rng, self.size
        f = self.ui_font.get(s)
        asc, desc = f.getmetrics()
        field_bg = self.background if rng.random() < 0.5 else tuple(
            int(np.clip(c + (25 if self.dark else -8), 0, 255)) for c in self.background)
        outline = tuple(int(np.clip(c + (60 if self.dark else -60), 0, 255)) for c in self.background)
        label_w = int((x1 - x0) * rng.uniform(0.2, 0.35))
        for _ in range(int(rng.integers(2, 6))):
            box_h = int(s * rng.uniform(1.8, 2.4))
            if self.y + box_h > self.bottom:
                return
            baseline = self.y + (box_h + asc - desc) // 2
            self._label(self._fit(self.ui_font, s, self.sampler.field_key(), label_w - s), x0, baseline,
                        self.text_color)
            bx0, bx1 = x0 + label_w, min(x1, x0 + label_w + int((x1 - x0) * rng.uniform(0.35, 0.6)))
            self._box(bx0, self.y, bx1, self.y + box_h, field_bg, int(rng.integers(0, 6)), outline)
            value = self._fit(self.ui_font, s, self.sampler.field_value(), bx1 - bx0 - s)
            if value:
                self._label(value, bx0 + s // 2, baseline, contrasting_color(rng, field_bg))
            self.y += int(box_h * rng.uniform(1.2, 1.5))
        self.y += s

    def _ui_buttons(self, x0, x1):
        rng, s = self.rng, self.size
        f = self.ui_font.get(s)
        asc, desc = f.getmetrics()
        box_h = int(s * rng.uniform(2.0, 2.6))
        if self.y + box_h > self.bottom:
            self.y = self.bottom
            return
        x = x0
        for _ in range(int(rng.integers(1, 4))):
            text = self._clean(self.ui_font, str(rng.choice(["OK", "Cancel", "Save", "Submit", "Next", "Back",
                                                             "Apply", "Delete", "Sign in", "Continue"]))
                               if rng.random() < 0.6 else self.sampler.word().title())
            bw = f.getlength(text) + 2 * s
            if x + bw > x1:
                break
            fill = self.accent if rng.random() < 0.6 else tuple(int(v) for v in rng.integers(0, 256, 3))
            self._box(x, self.y, x + bw, self.y + box_h, fill, int(rng.integers(0, box_h // 2)))
            self._label(text, x + bw / 2, self.y + (box_h + asc - desc) // 2, contrasting_color(rng, fill),
                        align="center")
            x += bw + s
        self.y += box_h + s

    def _ui_text(self, x0, x1):
        rng, s = self.rng, self.size
        size = max(self.cfg.min_font, int(s * rng.uniform(0.85, 1.0)))
        for _ in range(int(rng.integers(1, 5))):
            r = self._row(self.ui_font, size)
            if r is None:
                return
            text = " ".join(self.sampler.words(int(rng.integers(10, 90))))
            self._label(self._fit(self.ui_font, size, text, x1 - x0), x0, r[0], self.text_color, size)
        self.y += s
