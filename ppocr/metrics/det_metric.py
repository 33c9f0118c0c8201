"""Text-detection metric following the ICDAR2015 protocol (precision / recall / hmean)."""
from __future__ import annotations

from typing import Any, Dict, List, Sequence

import numpy as np
from shapely.geometry import Polygon

from ppocr.utils.arrays import to_numpy
from ppocr.utils.registry import METRICS

IOU_THRESHOLD = 0.5          # a detection matches a ground truth at IoU >= 0.5
IGNORE_OVERLAP_THRESHOLD = 0.5  # a detection covered > 50% by a "###" region is not counted


def _polygon(points: Any) -> Polygon:
    """Shapely polygon from ``[K, 2]`` points; self-intersecting ones are repaired with buffer(0)."""
    poly = Polygon(np.asarray(points, dtype=np.float64).reshape(-1, 2))
    return poly if poly.is_valid else poly.buffer(0)


def _iou(a: Polygon, b: Polygon) -> float:
    inter = a.intersection(b).area
    union = a.area + b.area - inter
    return inter / union if union > 0 else 0.0


def match_image(preds: Sequence[Any], gts: Sequence[Any], ignore_tags: Sequence[bool]) -> Dict[str, int]:
    """Evaluate one image: returns counts ``gt_care``, ``det_care`` and ``matched``.

    Detections lying more than 50% (of their own area) inside one ignored region are dropped;
    the rest are matched one-to-one with cared-for ground truths, greedily by decreasing IoU,
    at IoU >= 0.5.
    """
    gt_polys = [_polygon(g) for g in gts]
    ignored = [bool(t) for t in ignore_tags]
    # Zero-area ground truths are the padding of batched pages (see loader.collate_batch), not text.
    care_gts = [p for p, ign in zip(gt_polys, ignored) if not ign and p.area > 0]
    ignore_gts = [p for p, ign in zip(gt_polys, ignored) if ign]
    dets = [d for d in (_polygon(p) for p in preds) if not _inside_ignore(d, ignore_gts)]
    pairs = sorted(((_iou(g, d), gi, di) for gi, g in enumerate(care_gts) for di, d in enumerate(dets)),
                   reverse=True)
    used_gt, used_det = set(), set()
    for iou, gi, di in pairs:
        if iou < IOU_THRESHOLD:
            break
        if gi not in used_gt and di not in used_det:
            used_gt.add(gi)
            used_det.add(di)
    return {"gt_care": len(care_gts), "det_care": len(dets), "matched": len(used_gt)}


def _inside_ignore(det: Polygon, ignore_gts: List[Polygon]) -> bool:
    if det.area <= 0:
        return False
    return any(det.intersection(g).area / det.area > IGNORE_OVERLAP_THRESHOLD for g in ignore_gts)


@METRICS.register
class DetMetric:
    """Accumulates ICDAR2015 detection counts over a dataset (micro average).

    ``__call__(preds, batch)`` takes the post-process output (list of ``{"points": [K, 4, 2]}``)
    and the eval batch in KeepKeys order ``[image, shape, polys, ignore_tags]``.
    ``get_metric()`` returns ``{"precision", "recall", "hmean"}`` and, like PaddleOCR, resets the
    counts so the next evaluation starts fresh (pass ``reset=False`` to peek).
    """

    def __init__(self, main_indicator: str = "hmean"):
        self.main_indicator = main_indicator
        self.reset()

    def reset(self) -> None:
        self.gt_care = 0
        self.det_care = 0
        self.matched = 0

    def update(self, pred_boxes_per_image: Sequence[Any], gt_polys_per_image: Sequence[Any],
               ignore_tags_per_image: Sequence[Any]) -> None:
        """Add images: predicted boxes, ground-truth polygons and their ignore flags, per image."""
        if not len(pred_boxes_per_image) == len(gt_polys_per_image) == len(ignore_tags_per_image):
            raise ValueError("DetMetric.update: predictions, ground truths and ignore tags must cover "
                             "the same number of images")
        for preds, gts, tags in zip(pred_boxes_per_image, gt_polys_per_image, ignore_tags_per_image):
            counts = match_image(list(preds), list(gts), list(tags))
            self.gt_care += counts["gt_care"]
            self.det_care += counts["det_care"]
            self.matched += counts["matched"]

    def __call__(self, preds: Sequence[Dict[str, Any]], batch: Sequence[Any]) -> None:
        gt_polys = to_numpy(batch[2])
        ignore_tags = to_numpy(batch[3])
        self.update([to_numpy(p["points"]) for p in preds], list(gt_polys), list(ignore_tags))

    def get_metric(self, reset: bool = True) -> Dict[str, float]:
        precision = self.matched / self.det_care if self.det_care else 0.0
        recall = self.matched / self.gt_care if self.gt_care else 0.0
        hmean = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
        if reset:
            self.reset()
        return {"precision": precision, "recall": recall, "hmean": hmean}
