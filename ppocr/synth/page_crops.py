"""Recognition crops cut from rendered pages (documents, receipts, screens, scenes), the way the OCR system
cuts them from a detector's boxes: the labelled quad, grown by a random margin, rectified upright. A
recognizer trained on them sees the neighbourhood, skew and margins it will meet behind a detector.

Pages are rendered once per group of ``CROPS_PER_PAGE`` consecutive samples; sample ``i`` takes a line of
page ``i // CROPS_PER_PAGE`` chosen by its own generator, so the output still depends only on (seed, i).
"""
from __future__ import annotations

from typing import Dict, Optional, Sequence, Tuple

import numpy as np

from ppocr.utils.geometry import crop_quad

from .fonts import FontInfo
from .page import Page, PageConfig
from .pages import render_page
from .seeds import sample_rng

CROPS_PER_PAGE = 8
# Pages of real documents (pdf, html) hold more lines and cost more to draw (a browser, a PDF renderer).
REAL_CROPS_PER_PAGE = 24
_cache: Dict[Tuple, Page] = {}


def grow_quad(quad: np.ndarray, grow_x: float, grow_y: float) -> np.ndarray:
    """Move the quad's edges outwards along its own axes by ``grow_x`` / ``grow_y`` times its height."""
    quad = np.asarray(quad, np.float32)
    along = (quad[1] - quad[0] + quad[2] - quad[3]) / 2
    across = (quad[3] - quad[0] + quad[2] - quad[1]) / 2
    height = max(float(np.linalg.norm(across)), 1.0)
    ux = along / max(float(np.linalg.norm(along)), 1e-6) * grow_x * height
    uy = across / height * grow_y * height
    return np.array([quad[0] - ux - uy, quad[1] + ux - uy, quad[2] + ux + uy, quad[3] - ux + uy], np.float32)


def word_run(rng: np.random.Generator, words: Sequence[Tuple[str, np.ndarray]], max_len: int
             ) -> Tuple[str, np.ndarray]:
    """A random run of consecutive whole ``words`` (text, quad) of at most ``max_len`` characters with spaces,
    and its quad: a line too long for the recognizer still gives crops whose box is exact."""
    starts = [i for i, (w, _) in enumerate(words) if 0 < len(w) <= max_len]
    first = starts[int(rng.integers(len(starts)))]
    last, length = first, len(words[first][0])
    while last + 1 < len(words) and length + 1 + len(words[last + 1][0]) <= max_len and rng.random() < 0.9:
        last += 1
        length += 1 + len(words[last][0])
    run = [w for w, _ in words[first:last + 1]]
    head, tail = words[first][1], words[last][1]
    return " ".join(w for w in run if w), np.array([head[0], tail[1], tail[2], head[3]], np.float32)


def page_for(fonts: Sequence[FontInfo], seed: int, group: int, config: PageConfig, charset: str) -> Page:
    key = (seed, group, tuple(sorted(config.kinds.items())), charset)
    if key not in _cache:
        _cache.clear()  # consecutive samples share a page; older pages are not needed again
        # A generator of its own (a third key) keeps page groups apart from per-sample generators.
        _cache[key] = render_page(sample_rng(seed, group, 1), fonts, "line", config, charset)
    return _cache[key]


def render_page_crop(rng: np.random.Generator, fonts: Sequence[FontInfo], seed: int, index: int,
                     config: PageConfig, charset: str, max_len: int) -> Optional[Tuple[np.ndarray, str]]:
    """``(RGB crop, text)`` for sample ``index``, or None when its page has fewer usable lines (at most
    ``max_len`` characters) than the sample's place in its group: the crops of a group are distinct lines,
    except on pages whose lines carry word boxes, whose lines are cut again (other runs of words)."""
    per_page = REAL_CROPS_PER_PAGE if {"pdf", "html"} & set(config.kinds) else CROPS_PER_PAGE
    group = index // per_page
    page = page_for(fonts, seed, group, config, charset)
    usable = [b for b in page.boxes if not b.ignore and (0 < len(b.text) <= max_len
                                                         or any(0 < len(w) <= max_len for w, _ in b.words))]
    slot = index % per_page
    if slot >= len(usable) and any(b.words for b in usable):
        slot %= len(usable)  # lines with word boxes (PDF pages) give other runs of their words again
    elif slot >= len(usable):
        return None
    box = usable[int(sample_rng(seed, group, 2).permutation(len(usable))[slot])]
    text, quad = (box.text, box.points) if len(box.text) <= max_len else word_run(rng, box.words, max_len)
    # From the tight line box up to the generous margins of a detector with a large unclip ratio.
    quad = grow_quad(quad, float(rng.uniform(0.0, 0.25)), float(rng.uniform(0.0, 0.45)))
    h, w = page.image.shape[:2]
    quad[:, 0] = quad[:, 0].clip(0, w - 1)
    quad[:, 1] = quad[:, 1].clip(0, h - 1)
    crop = crop_quad(page.image, quad)
    if crop.shape[0] < 4 or crop.shape[1] < 4:
        return None
    return crop, text
