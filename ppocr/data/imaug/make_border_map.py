"""DB threshold-map target: a ramp that peaks on the text border and fades out over distance D."""
from __future__ import annotations

from typing import Any, Dict

import cv2
import numpy as np

from ppocr.data.imaug.make_shrink_map import offset_polygon, shrink_distance
from ppocr.utils.registry import TRANSFORMS


def distance_to_polygon_edges(poly: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Euclidean distance from every grid point ``(xs[j], ys[i])`` to the nearest polygon edge.

    Vectorised over all edges and pixels at once (shape ``[edges, len(ys), len(xs)]``), which is
    what keeps the per-sample target generation cheap. Returns ``[len(ys), len(xs)]`` float32.
    """
    start = poly.astype(np.float32)
    edge = np.roll(start, -1, axis=0) - start
    length2 = np.maximum((edge ** 2).sum(axis=1), 1e-6)           # guard repeated vertices
    rel_x = xs[None, None, :].astype(np.float32) - start[:, 0, None, None]   # [E, 1, W]
    rel_y = ys[None, :, None].astype(np.float32) - start[:, 1, None, None]   # [E, H, 1]
    ex, ey = edge[:, 0, None, None], edge[:, 1, None, None]
    # Projection parameter of each pixel onto each segment, clamped to the segment.
    t = np.clip((rel_x * ex + rel_y * ey) / length2[:, None, None], 0.0, 1.0)
    dist2 = (rel_x - t * ex) ** 2 + (rel_y - t * ey) ** 2
    return np.sqrt(dist2.min(axis=0))


@TRANSFORMS.register
class MakeBorderMap:
    """Build ``threshold_map`` and ``threshold_mask`` for DB's threshold branch.

    For every non-ignored polygon (offset ``D = A (1 - r^2) / L``), the pixels within the polygon
    dilated by D get ``1 - dist_to_edge / D`` (clipped to [0, 1]; overlapping polygons keep the
    max); the map is then rescaled to ``[thresh_min, thresh_max]``. ``threshold_mask`` is 1 inside
    the dilated polygons, where the threshold loss applies.
    """

    def __init__(self, shrink_ratio: float = 0.4, thresh_min: float = 0.3, thresh_max: float = 0.7):
        self.shrink_ratio = float(shrink_ratio)
        self.thresh_min = float(thresh_min)
        self.thresh_max = float(thresh_max)

    def __call__(self, data: Dict[str, Any]) -> Dict[str, Any]:
        h, w = data["image"].shape[:2]
        polys = np.asarray(data.get("polys", np.zeros((0, 4, 2))), dtype=np.float32)
        ignore = np.asarray(data.get("ignore_tags", np.zeros(len(polys), bool)), dtype=bool)
        canvas = np.zeros((h, w), dtype=np.float32)
        mask = np.zeros((h, w), dtype=np.float32)
        for poly, ignored in zip(polys, ignore):
            if not ignored:
                self._draw_border(poly, canvas, mask)
        data["threshold_map"] = canvas * (self.thresh_max - self.thresh_min) + self.thresh_min
        data["threshold_mask"] = mask
        return data

    def _draw_border(self, poly: np.ndarray, canvas: np.ndarray, mask: np.ndarray) -> None:
        distance = shrink_distance(poly, self.shrink_ratio)
        if distance <= 0:
            return
        dilated = offset_polygon(poly, distance)
        if not dilated:
            return
        cv2.fillPoly(mask, dilated, 1.0)
        # Only the bounding box of the dilated polygon can get a non-zero value.
        pts = np.concatenate(dilated)
        h, w = canvas.shape
        x0, y0 = max(int(pts[:, 0].min()), 0), max(int(pts[:, 1].min()), 0)
        x1, y1 = min(int(pts[:, 0].max()), w - 1), min(int(pts[:, 1].max()), h - 1)
        if x0 > x1 or y0 > y1:
            return  # entirely outside the image
        dist = distance_to_polygon_edges(poly, np.arange(x0, x1 + 1), np.arange(y0, y1 + 1))
        ramp = 1.0 - np.clip(dist / distance, 0.0, 1.0)
        region = canvas[y0:y1 + 1, x0:x1 + 1]
        np.maximum(region, ramp, out=region)
