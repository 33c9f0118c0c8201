"""EAST post-processing: score map + QUAD geometry -> text quadrilaterals in original-image coordinates."""
from __future__ import annotations

from typing import Any, Dict, List

import numpy as np

from ppocr.data.imaug.label_ops import order_points_clockwise
from ppocr.postprocess.db_postprocess import polygon_mean_score
from ppocr.postprocess.locality_aware_nms import locality_aware_nms
from ppocr.utils.arrays import to_numpy
from ppocr.utils.registry import POSTPROCESS

_MIN_SIDE = 3.0  # quads thinner than this (original pixels) are noise


def restore_quads(score: np.ndarray, geo: np.ndarray, score_thresh: float, stride: int = 4):
    """Every map pixel above ``score_thresh`` proposes the quad its geometry points to: ``[K, 4, 2]`` in
    network-input pixels, row-major order, and the pixels' scores (inverse of MakeEastMap)."""
    rows, cols = np.nonzero(score > score_thresh)
    origin = stride * np.stack([cols, rows], axis=1).astype(np.float32)
    quads = geo[:8, rows, cols].T.reshape(-1, 4, 2) + origin[:, None, :]
    return quads.astype(np.float32), score[rows, cols].astype(np.float32)


@POSTPROCESS.register
class EASTPostProcess:
    """Args:
        score_thresh: score-map threshold for a pixel to propose a quad.
        cover_thresh: minimum mean score map inside a final quad (it becomes the quad's score).
        nms_thresh: IoU above which quads are merged (row by row) and then suppressed.
        stride: output stride of the score and geometry maps.
        max_candidates: most merged quads that enter the standard NMS (highest scores first).
    """

    def __init__(self, score_thresh: float = 0.8, cover_thresh: float = 0.1, nms_thresh: float = 0.2,
                 stride: int = 4, max_candidates: int = 2000):
        self.score_thresh = float(score_thresh)
        self.cover_thresh = float(cover_thresh)
        self.nms_thresh = float(nms_thresh)
        self.stride = int(stride)
        self.max_candidates = int(max_candidates)

    def __call__(self, outs: Dict[str, Any], shape_list: Any) -> List[Dict[str, np.ndarray]]:
        scores, geos = to_numpy(outs["f_score"]), to_numpy(outs["f_geo"])
        shapes = to_numpy(shape_list).reshape(-1, 4)
        if scores.ndim != 4 or geos.shape[1] != 8 or len(scores) != len(shapes):
            raise ValueError(f"EASTPostProcess expects f_score [N, 1, H, W], f_geo [N, 8, H, W] and shape_list "
                             f"[N, 4]; got {scores.shape}, {geos.shape} and {shapes.shape}")
        return [self.boxes_from_maps(scores[i, 0], geos[i], shapes[i]) for i in range(len(scores))]

    def boxes_from_maps(self, score: np.ndarray, geo: np.ndarray, shape: np.ndarray) -> Dict[str, np.ndarray]:
        """Boxes of one image: maps at 1/stride of the network input, ``shape`` = (src_h, src_w, ratio_h, ratio_w)."""
        score = score.astype(np.float32)
        quads, pixel_scores = restore_quads(score, geo, self.score_thresh, self.stride)
        quads, _ = locality_aware_nms(quads, pixel_scores, self.nms_thresh, self.max_candidates)
        src_h, src_w, ratio_h, ratio_w = (float(v) for v in shape)
        boxes, box_scores = [], []
        for quad in quads:
            cover = polygon_mean_score(score, quad / self.stride)
            if cover <= self.cover_thresh:
                continue
            quad = quad / np.array([ratio_w, ratio_h], np.float32)
            quad[:, 0] = quad[:, 0].clip(0, src_w - 1)
            quad[:, 1] = quad[:, 1].clip(0, src_h - 1)
            quad = order_points_clockwise(quad)
            if np.linalg.norm(quad - np.roll(quad, -1, axis=0), axis=1).min() < _MIN_SIDE:
                continue
            boxes.append(quad)
            box_scores.append(cover)
        if not boxes:
            return {"points": np.zeros((0, 4, 2), np.float32), "scores": np.zeros(0, np.float32)}
        return {"points": np.stack(boxes).astype(np.float32), "scores": np.array(box_scores, np.float32)}
