"""Every page kind by name, and :func:`render_page`, which draws a page of a kind chosen by weight."""
from __future__ import annotations

import functools
from typing import Callable, Dict, Optional, Sequence

import numpy as np

from .charts import render_chart
from .corpus import DEFAULT_CHARSET
from .diagrams import render_diagram
from .document import PageLayout, render_layout_page
from .fonts import FontInfo
from .html_pages import font_families, render_html_page
from .layouts import ReceiptLayout, ScreenLayout
from .page import Page, PageConfig
from .pdf_pages import render_pdf_page
from .scenes import render_scene

# (rng, fonts, config, charset, level) -> Page
PageKind = Callable[[np.random.Generator, Sequence[FontInfo], PageConfig, str, str], Page]


def _line_level(kind: str, render: Callable[..., Page]) -> PageKind:
    """A kind labelled from its source, per line only."""
    def page(rng, fonts, cfg, charset, level):
        if level != "line":
            raise ValueError(f"pages of the {kind} kind are labelled per line (--level line)")
        return render(rng, fonts, cfg, charset)
    return page


PAGE_KINDS: Dict[str, PageKind] = {
    "document": functools.partial(render_layout_page, PageLayout, "document"),
    "receipt": functools.partial(render_layout_page, ReceiptLayout, "receipt"),
    "screen": functools.partial(render_layout_page, ScreenLayout, "screen"),
    "scene": lambda rng, fonts, cfg, charset, level: render_scene(rng, fonts, cfg, charset, level, big=False),
    "poster": lambda rng, fonts, cfg, charset, level: render_scene(rng, fonts, cfg, charset, level, big=True),
    "chart": render_chart,
    "diagram": render_diagram,
    "pdf": _line_level("pdf", lambda rng, fonts, cfg, charset: render_pdf_page(rng, cfg.pdf_pages, cfg, charset)),
    "html": _line_level("html", lambda rng, fonts, cfg, charset: render_html_page(
        rng, cfg.html_files, cfg, charset, font_families(fonts))),
}


def render_page(rng: np.random.Generator, fonts: Sequence[FontInfo], level: str = "line",
                config: Optional[PageConfig] = None, charset: str = DEFAULT_CHARSET) -> Page:
    """A page of a kind drawn by the weights of ``config.kinds``, with one quad per line (``level='line'``)
    or per word (``level='word'``). Fully determined by the state of ``rng``."""
    if level not in ("line", "word"):
        raise ValueError(f"level must be 'line' or 'word', got {level!r}")
    cfg = config or PageConfig()
    names = sorted(cfg.kinds)
    weights = np.array([cfg.kinds[k] for k in names], float)
    kind = names[int(rng.choice(len(names), p=weights / weights.sum()))] if len(names) > 1 else names[0]
    if kind not in PAGE_KINDS:
        raise ValueError(f"unknown page kind {kind!r}; choose from {', '.join(PAGE_KINDS)}")
    return PAGE_KINDS[kind](rng, fonts, cfg, charset, level)
