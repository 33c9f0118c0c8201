"""DB probability-map target: text polygons shrunk by the Vatti offset of the DB paper."""
from __future__ import annotations

from typing import Any, Dict, List

import cv2
import numpy as np
import pyclipper

from ppocr.utils.registry import TRANSFORMS


def polygon_area(poly: np.ndarray) -> float:
    """Absolute area of a simple polygon ``[K, 2]`` (shoelace formula)."""
    x, y = poly[:, 0].astype(np.float64), poly[:, 1].astype(np.float64)
    return 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))


def polygon_perimeter(poly: np.ndarray) -> float:
    """Perimeter of a closed polygon ``[K, 2]``."""
    edges = np.roll(poly, -1, axis=0).astype(np.float64) - poly
    return float(np.sqrt((edges ** 2).sum(axis=1)).sum())


def shrink_distance(poly: np.ndarray, shrink_ratio: float) -> float:
    """DB paper's offset ``D = A (1 - r^2) / L``; 0 for degenerate polygons."""
    perimeter = polygon_perimeter(poly)
    if perimeter <= 0:
        return 0.0
    return polygon_area(poly) * (1.0 - shrink_ratio ** 2) / perimeter


def offset_polygon(poly: np.ndarray, distance: float) -> List[np.ndarray]:
    """Offset a polygon by ``distance`` pixels (negative shrinks) with round joins.

    pyclipper works on integer coordinates, so input points are rounded and the results are int32
    ``[K, 2]`` arrays ready for ``cv2.fillPoly``. Shrinking can split a polygon or make it vanish,
    hence the list.
    """
    offsetter = pyclipper.PyclipperOffset()
    offsetter.AddPath(np.round(poly).astype(np.int64).tolist(), pyclipper.JT_ROUND, pyclipper.ET_CLOSEDPOLYGON)
    return [np.array(p, dtype=np.int32).reshape(-1, 2) for p in offsetter.Execute(distance) if len(p) >= 3]


def min_rect_short_side(poly: np.ndarray) -> float:
    """Short side of the minimum-area rectangle: the text "height" even for rotated boxes."""
    (_, _), (rw, rh), _ = cv2.minAreaRect(poly.astype(np.float32))
    return float(min(rw, rh))


@TRANSFORMS.register
class MakeShrinkMap:
    """Build ``shrink_map`` (1 inside each polygon shrunk by D) and ``shrink_mask``.

    ``shrink_mask`` is 1 everywhere except over ignored polygons ("###"), polygons whose
    min-area-rect short side is below ``min_text_size`` and polygons that vanish when shrunk:
    the loss must neither reward nor punish predictions there.
    Polygons are clipped to the image first (augmentation can push them partly outside).
    """

    def __init__(self, min_text_size: float = 8, shrink_ratio: float = 0.4):
        self.min_text_size = float(min_text_size)
        self.shrink_ratio = float(shrink_ratio)

    def __call__(self, data: Dict[str, Any]) -> Dict[str, Any]:
        h, w = data["image"].shape[:2]
        polys = np.asarray(data.get("polys", np.zeros((0, 4, 2))), dtype=np.float32)
        ignore = np.asarray(data.get("ignore_tags", np.zeros(len(polys), bool)), dtype=bool)
        shrink_map = np.zeros((h, w), dtype=np.float32)
        shrink_mask = np.ones((h, w), dtype=np.float32)
        for poly, ignored in zip(polys, ignore):
            poly = np.stack([poly[:, 0].clip(0, w - 1), poly[:, 1].clip(0, h - 1)], axis=1)
            shrunk = [] if ignored else self._shrink(poly)
            if not shrunk:
                cv2.fillPoly(shrink_mask, [np.round(poly).astype(np.int32)], 0.0)
                continue
            cv2.fillPoly(shrink_map, shrunk, 1.0)
        data["shrink_map"] = shrink_map
        data["shrink_mask"] = shrink_mask
        return data

    def _shrink(self, poly: np.ndarray) -> List[np.ndarray]:
        """Shrunk polygon(s), or [] when the polygon is too small to be a training target."""
        if polygon_area(poly) < 1 or min_rect_short_side(poly) < self.min_text_size:
            return []
        return offset_polygon(poly, -shrink_distance(poly, self.shrink_ratio))
