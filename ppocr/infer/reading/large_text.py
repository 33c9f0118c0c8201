"""The large-text pass: a detector with a small receptive field splits or misses a line taller than about
60 px (a headline, a sign photographed close), and finds it at half the size. So the image is detected a
second time at ``LARGE_TEXT_SCALE`` of the input scale (a quarter of the work), and lines found there that are
at least ``LARGE_TEXT_HEIGHT`` px tall at the input scale replace the boxes they cover."""
from __future__ import annotations

import time
from typing import Callable, Dict, Tuple

import cv2
import numpy as np

# The image at this fraction of the detector's input scale, and
# the line height (px at the input scale) from which its boxes are trusted over the full-scale ones.
LARGE_TEXT_SCALE = 0.5
LARGE_TEXT_HEIGHT = 80.0
# A base box belongs to a large-text box when this share of its area lies inside it.
COVERED_SHARE = 0.5


def box_heights(boxes: np.ndarray) -> np.ndarray:
    """Text height of each quad [K, 4, 2] (clockwise from top-left): the mean length of its shorter pair of
    opposite edges, so that a vertical line (an axis title) is as high as its letters, not as its length."""
    boxes = np.asarray(boxes, np.float32).reshape(-1, 4, 2)

    def edge(a: int, b: int) -> np.ndarray:
        return np.linalg.norm(boxes[:, b] - boxes[:, a], axis=1)

    return np.minimum(edge(0, 3) + edge(1, 2), edge(0, 1) + edge(3, 2)) / 2


def merge_large_text(boxes: np.ndarray, scores: np.ndarray, large: np.ndarray, large_scores: np.ndarray
                     ) -> Tuple[np.ndarray, np.ndarray]:
    """``boxes`` with each box of ``large`` (tall lines found at a smaller scale) put in place of the boxes it
    covers (the pieces into which the full scale split that line), unless one of those lies wholly above
    another: then it merged several lines, which the full-scale boxes keep apart."""
    from shapely.geometry import Polygon

    boxes = np.asarray(boxes, np.float32).reshape(-1, 4, 2)
    scores = np.asarray(scores, np.float32).reshape(-1)
    large = np.asarray(large, np.float32).reshape(-1, 4, 2)
    polygons = [Polygon(b).buffer(0) for b in boxes]
    tops, bottoms = boxes[:, :, 1].min(axis=1), boxes[:, :, 1].max(axis=1)
    dropped, added = set(), []
    for j, quad in enumerate(large):
        big = Polygon(quad).buffer(0)
        covered = [i for i, p in enumerate(polygons)
                   if p.area > 0 and p.intersection(big).area >= COVERED_SHARE * p.area]
        if (bottoms[covered][:, None] <= tops[covered][None, :]).any():
            continue
        dropped.update(covered)
        added.append(j)
    keep = [i for i in range(len(boxes)) if i not in dropped]
    return (np.concatenate([boxes[keep], large[added]]),
            np.concatenate([scores[keep], np.asarray(large_scores, np.float32).reshape(-1)[added]]))


def large_text_pass(detect: Callable[[np.ndarray], Tuple[np.ndarray, np.ndarray]], img: np.ndarray, scale: float,
                    boxes: np.ndarray, scores: np.ndarray, timings: Dict[str, float]) -> Tuple[np.ndarray, np.ndarray]:
    """``(boxes, scores)`` of ``img`` (found at input ``scale``) with the tall lines that ``detect`` (boxes and
    scores of an image resized only to the network's stride) finds at half that scale put in place of the boxes
    they cover. Time spent is added to ``timings``."""
    if min(img.shape[:2]) * scale < LARGE_TEXT_HEIGHT:  # no room for such a line
        return boxes, scores
    t0 = time.perf_counter()
    factor = scale * LARGE_TEXT_SCALE
    # Area averaging, then the op only rounds to the stride: resizing once with the op's linear
    # interpolation read generated posters worse (end-to-end F1 0.892 against 0.911).
    small = cv2.resize(img, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    timings["pre"] += time.perf_counter() - t0
    large, large_scores = detect(small)
    t0 = time.perf_counter()
    large = np.asarray(large, np.float32).reshape(-1, 4, 2) / factor
    tall = box_heights(large) * scale >= LARGE_TEXT_HEIGHT
    if tall.any():
        boxes, scores = merge_large_text(boxes, scores, large[tall], np.asarray(large_scores)[tall])
    timings["post"] += time.perf_counter() - t0
    return boxes, scores
