"""DB (Differentiable Binarization) post-processing: probability map -> text quadrilaterals."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

import cv2
import numpy as np
import pyclipper

from ppocr.data.imaug.label_ops import order_points_clockwise
from ppocr.errors import ConfigError
from ppocr.utils.arrays import to_numpy
from ppocr.utils.registry import POSTPROCESS

_MIN_SIZE = 3  # boxes thinner than this (in map pixels) are noise


def min_area_box(points: np.ndarray) -> Tuple[np.ndarray, float]:
    """Minimum-area rectangle of ``points`` as clockwise corners ``[4, 2]`` and its short side."""
    rect = cv2.minAreaRect(points.reshape(-1, 2).astype(np.float32))
    return order_points_clockwise(cv2.boxPoints(rect)), float(min(rect[1]))


def polygon_mean_score(prob: np.ndarray, polygon: np.ndarray) -> float:
    """Mean of ``prob`` over the pixels covered by ``polygon`` (only its bounding box is touched)."""
    h, w = prob.shape
    pts = polygon.reshape(-1, 2)
    x0, x1 = int(np.clip(np.floor(pts[:, 0].min()), 0, w - 1)), int(np.clip(np.ceil(pts[:, 0].max()), 0, w - 1))
    y0, y1 = int(np.clip(np.floor(pts[:, 1].min()), 0, h - 1)), int(np.clip(np.ceil(pts[:, 1].max()), 0, h - 1))
    mask = np.zeros((y1 - y0 + 1, x1 - x0 + 1), dtype=np.uint8)
    cv2.fillPoly(mask, [np.round(pts - [x0, y0]).astype(np.int32)], 1)
    return float(cv2.mean(prob[y0:y1 + 1, x0:x1 + 1], mask)[0])


def unclip(box: np.ndarray, unclip_ratio: float) -> Optional[np.ndarray]:
    """Expand a (shrunk) text box by ``D = area * unclip_ratio / perimeter`` (inverse of the DB shrink)."""
    area = cv2.contourArea(box.astype(np.float32))
    perimeter = cv2.arcLength(box.astype(np.float32), True)
    if perimeter <= 0:
        return None
    offsetter = pyclipper.PyclipperOffset()
    offsetter.AddPath(np.round(box).astype(np.int64).tolist(), pyclipper.JT_ROUND, pyclipper.ET_CLOSEDPOLYGON)
    expanded = offsetter.Execute(area * unclip_ratio / perimeter)
    if not expanded:
        return None
    # A convex box expands to one polygon; keep the largest should clipper ever split it.
    return np.array(max(expanded, key=lambda p: abs(pyclipper.Area(p))), dtype=np.float32)


@POSTPROCESS.register
class DBPostProcess:
    """Turn DB probability maps into quadrilateral boxes in original-image coordinates.

    Args:
        thresh: binarisation threshold on the probability map.
        box_thresh: minimum mean probability of a candidate box.
        max_candidates: at most this many contours per image are examined.
        unclip_ratio: expansion factor undoing the training-time shrink.
        use_dilation: dilate the binary map with a 2x2 kernel (joins broken strokes).
        score_mode: "fast" scores the min-area box, "slow" the exact contour polygon.
    """

    def __init__(self, thresh: float = 0.3, box_thresh: float = 0.7, max_candidates: int = 1000,
                 unclip_ratio: float = 2.0, use_dilation: bool = False, score_mode: str = "fast"):
        if score_mode not in ("fast", "slow"):
            raise ConfigError(f"DBPostProcess.score_mode must be 'fast' or 'slow', got {score_mode!r}")
        self.thresh = float(thresh)
        self.box_thresh = float(box_thresh)
        self.max_candidates = int(max_candidates)
        self.unclip_ratio = float(unclip_ratio)
        self.use_dilation = bool(use_dilation)
        self.score_mode = score_mode

    def __call__(self, outs: Any, shape_list: Any) -> List[Dict[str, np.ndarray]]:
        maps = to_numpy(outs["maps"] if isinstance(outs, dict) else outs)
        shapes = to_numpy(shape_list).reshape(-1, 4)
        if maps.ndim != 4 or len(maps) != len(shapes):
            raise ValueError(f"DBPostProcess expects maps [N, C, H, W] and shape_list [N, 4]; "
                             f"got {maps.shape} and {shapes.shape}")
        return [self.boxes_from_map(maps[i, 0], shapes[i]) for i in range(len(maps))]

    def boxes_from_map(self, prob: np.ndarray, shape: np.ndarray) -> Dict[str, np.ndarray]:
        """Boxes of one image: ``prob`` [H, W] at network-input resolution,
        ``shape`` = (src_h, src_w, ratio_h, ratio_w)."""
        prob = prob.astype(np.float32)
        bitmap = (prob > self.thresh).astype(np.uint8)
        if self.use_dilation:
            bitmap = cv2.dilate(bitmap, np.ones((2, 2), np.uint8))
        contours, _ = cv2.findContours(bitmap, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
        src_h, src_w, ratio_h, ratio_w = (float(v) for v in shape)
        boxes, scores = [], []
        for contour in contours[: self.max_candidates]:
            box, short_side = min_area_box(contour)
            if short_side < _MIN_SIZE:
                continue
            score = polygon_mean_score(prob, box if self.score_mode == "fast" else contour)
            if score < self.box_thresh:
                continue
            expanded = unclip(box, self.unclip_ratio)
            if expanded is None:
                continue
            box, short_side = min_area_box(expanded)
            if short_side < _MIN_SIZE + 2:
                continue
            # The map is at the resized input resolution (src * ratio): divide to get back.
            box[:, 0] = np.clip(box[:, 0] / ratio_w, 0, src_w - 1)
            box[:, 1] = np.clip(box[:, 1] / ratio_h, 0, src_h - 1)
            boxes.append(box)
            scores.append(score)
        if not boxes:
            return {"points": np.zeros((0, 4, 2), np.float32), "scores": np.zeros(0, np.float32)}
        return {"points": np.stack(boxes).astype(np.float32), "scores": np.array(scores, np.float32)}
