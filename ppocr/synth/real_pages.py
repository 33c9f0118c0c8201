"""What the kinds made from real sources (PDF pages, web pages) share: drawing sources until one gives a
usable page, counting why the others were left out, and the generators' photo treatment of the result.

A source's draw function returns ``(RGB image, boxes)`` or, for a source left out, the reason as a string;
:data:`SKIPPED` counts those reasons per process (generate.py gathers them from its workers).
"""
from __future__ import annotations

import os
from collections import Counter
from typing import Callable, Iterable, List, Sequence, Tuple, TypeVar, Union

import numpy as np

from .degrade import apply_degrade, sample_degrade
from .page import Page, clip_boxes
from .render import fit_canvas, sample_homography, warp_image

MAX_DRAWS = 50  # sources drawn for one sample before giving up
# Why drawn sources were left out in this process since the last take_skipped().
SKIPPED: Counter = Counter()

Source = TypeVar("Source")
Drawn = Union[str, Tuple[np.ndarray, list]]


def find_sources(sources: Iterable[str], extensions: Tuple[str, ...]) -> List[str]:
    """The files among ``sources`` (files, or folders searched recursively) whose names end in one of
    ``extensions`` (lower case), sorted; FileNotFoundError names a source that does not exist."""
    found = set()
    for src in sources:
        if os.path.isfile(src):
            found.update([src] if src.lower().endswith(extensions) else [])
        elif os.path.isdir(src):
            for root, _, files in os.walk(src):
                found.update(os.path.join(root, f) for f in files if f.lower().endswith(extensions))
        else:
            raise FileNotFoundError(f"--src not found: {src}")
    return sorted(found)


def take_skipped() -> Counter:
    """The reasons counted since the last call, and a fresh count."""
    taken = Counter(SKIPPED)
    SKIPPED.clear()
    return taken


def shows_ink(gray: np.ndarray, quad: np.ndarray) -> bool:
    """True when the image region of ``quad`` (px) holds contrast, as printed or displayed text does."""
    x0, y0 = np.floor(quad.min(axis=0)).astype(int)
    x1, y1 = np.ceil(quad.max(axis=0)).astype(int)
    region = gray[max(y0, 0):max(y1, 0) + 1, max(x0, 0):max(x1, 0) + 1]
    return region.size > 0 and int(region.max()) - int(region.min()) > 60


def draw_usable(rng: np.random.Generator, sources: Sequence[Source], draw: Callable[[Source], Drawn],
                what: str) -> Tuple[np.ndarray, list]:
    """Draw random ``sources`` until ``draw`` gives a page; count the reasons of the others in SKIPPED.
    ``what`` names the sources in the error raised when none of MAX_DRAWS is usable."""
    if not sources:
        raise ValueError(f"no {what} to draw from (--src)")
    tried: Counter = Counter()
    for _ in range(MAX_DRAWS):
        drawn = draw(sources[int(rng.integers(len(sources)))])
        if not isinstance(drawn, str):
            return drawn
        SKIPPED[drawn] += 1
        tried[drawn] += 1
    raise ValueError(f"no usable page among {MAX_DRAWS} drawn from the {what} ({dict(tried)})")


def finish_page(rng: np.random.Generator, img: np.ndarray, boxes: List, cfg, photographed: bool):
    """The :class:`~ppocr.synth.page.Page` of a rendered real page: when ``photographed``, warped
    (with probability ``cfg.warp_prob``) and degraded like the generated kinds, the boxes moved exactly;
    otherwise only JPEG-compressed, as a screenshot is."""
    h, w = img.shape[:2]
    if photographed and rng.random() < cfg.warp_prob:
        H = sample_homography(rng, w, h, cfg.max_angle, cfg.perspective)
        H, size = fit_canvas(H, w, h)
        img = warp_image(img, H, size)
        for b in boxes:
            b.moved(H)
    boxes = clip_boxes(boxes, img.shape[1], img.shape[0])
    if not photographed:
        return Page(np.ascontiguousarray(img), boxes, int(rng.integers(75, 96)), None)
    if not cfg.degrade:
        return Page(np.ascontiguousarray(img), boxes, 95, None)
    heights = [np.linalg.norm(b.points[3] - b.points[0]) for b in boxes if not b.ignore]
    params = sample_degrade(rng, float(np.median(heights)) if heights else 24.0)
    img = apply_degrade(img, params, rng)
    return Page(np.ascontiguousarray(img), boxes, params.jpeg_quality, params)
