"""Locality-aware NMS (EAST): merge the many per-pixel quads of one text row by row, then standard NMS.

Both passes are vectorized: polygon IoUs are computed by shapely over arrays of quads, and the standard NMS
only measures pairs whose bounding boxes overlap (found with an R-tree).
"""
from __future__ import annotations

from typing import Tuple

import numpy as np
import shapely


def _polygons(quads: np.ndarray) -> np.ndarray:
    # Predicted quads may self-intersect; their convex hull is always a valid polygon for GEOS.
    return shapely.convex_hull(shapely.polygons(quads.astype(np.float64)))


def quad_iou_pairs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU of ``a[i]`` with ``b[i]`` for quads ``[K, 4, 2]``."""
    if len(a) == 0:
        return np.zeros(0)
    pa, pb = _polygons(a), _polygons(b)
    inter = shapely.area(shapely.intersection(pa, pb))
    union = shapely.area(pa) + shapely.area(pb) - inter
    return np.where(union > 0, inter / np.maximum(union, 1e-12), 0.0)


def merge_adjacent(quads: np.ndarray, scores: np.ndarray, iou_thresh: float) -> Tuple[np.ndarray, np.ndarray]:
    """Merge runs of consecutive quads (candidates come row by row, left to right) whose IoU with the previous
    one exceeds ``iou_thresh``: each run becomes its score-weighted mean quad with the sum of the scores.

    lanms compares each candidate with the running merge; comparing with the previous candidate instead gives
    the same runs for the dense, smoothly varying quads of one text row, in a single vectorized IoU call.
    """
    if len(quads) == 0:
        return quads.reshape(0, 4, 2), scores
    iou = quad_iou_pairs(quads[:-1], quads[1:])
    starts = np.concatenate([[0], np.nonzero(iou <= iou_thresh)[0] + 1])
    totals = np.add.reduceat(scores, starts)
    merged = np.add.reduceat(quads * scores[:, None, None], starts, axis=0) / totals[:, None, None]
    return merged.astype(np.float32), totals.astype(np.float32)


def standard_nms(quads: np.ndarray, scores: np.ndarray, iou_thresh: float) -> np.ndarray:
    """Indices kept by greedy NMS (highest score first) with polygon IoU."""
    n = len(quads)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    # Only pairs whose bounding boxes touch can overlap: an R-tree finds them in O(n log n), so a page
    # with tens of thousands of candidates (an undertrained model) stays fast and small in memory.
    lo, hi = quads.min(axis=1), quads.max(axis=1)
    boxes = shapely.box(lo[:, 0], lo[:, 1], hi[:, 0], hi[:, 1])
    i, j = shapely.STRtree(boxes).query(boxes, predicate="intersects")
    i, j = i[i < j], j[i < j]
    iou = quad_iou_pairs(quads[i], quads[j])
    i, j = i[iou > iou_thresh], j[iou > iou_thresh]
    neighbours = [[] for _ in range(n)]
    for a, b in zip(i.tolist(), j.tolist()):
        neighbours[a].append(b)
        neighbours[b].append(a)
    removed = np.zeros(n, dtype=bool)
    keep = []
    for k in np.argsort(-scores, kind="stable").tolist():
        if removed[k]:
            continue
        keep.append(k)
        removed[neighbours[k]] = True
    return np.array(keep, dtype=np.int64)


def locality_aware_nms(quads: np.ndarray, scores: np.ndarray, iou_thresh: float = 0.2,
                       max_candidates: int = 2000) -> Tuple[np.ndarray, np.ndarray]:
    """``quads`` [N, 4, 2] in row-major candidate order and their scores -> the surviving quads and scores.

    At most ``max_candidates`` merged quads (the highest-scoring) enter the standard NMS: a trained model
    leaves a few per word, while an undertrained one can leave thousands of unrelated, overlapping quads whose
    pairwise IoUs would take minutes."""
    merged, totals = merge_adjacent(np.asarray(quads, np.float32), np.asarray(scores, np.float32), iou_thresh)
    if len(merged) > max_candidates:
        top = np.sort(np.argsort(-totals, kind="stable")[:max_candidates])
        merged, totals = merged[top], totals[top]
    keep = standard_nms(merged, totals, iou_thresh)
    return merged[keep], totals[keep]
