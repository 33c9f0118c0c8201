"""Label encoders: turn the text labels of a dataset line into arrays the losses can use."""
from __future__ import annotations

import json
from typing import Any, Dict, List

import cv2
import numpy as np

from ppocr.utils.registry import TRANSFORMS

# Transcriptions that mark "don't care" regions (ICDAR uses ###, some datasets use *).
IGNORE_TEXTS = ("###", "*")


def order_points_clockwise(pts: np.ndarray) -> np.ndarray:
    """Order quadrilateral corners clockwise (in image coordinates, y down) starting at top-left.

    Accepts one quad ``[4, 2]`` or a batch ``[..., 4, 2]``. Points are sorted by their angle around
    the centroid, which stays correct for rotated boxes where "two leftmost points" tricks break;
    the start is the corner with the smallest ``x + y`` (the one nearest the image origin).
    """
    pts = np.asarray(pts, dtype=np.float32)
    if pts.shape[-2:] != (4, 2):
        raise ValueError(f"expected points of shape [..., 4, 2], got {pts.shape}")
    if pts.size == 0:
        return pts.copy()
    centre = pts.mean(axis=-2, keepdims=True)
    # With y pointing down, increasing atan2(dy, dx) walks clockwise on screen.
    angles = np.arctan2(pts[..., 1] - centre[..., 1], pts[..., 0] - centre[..., 0])
    idx = np.argsort(angles, axis=-1, kind="stable")
    ordered = np.take_along_axis(pts, idx[..., None], axis=-2)
    start = np.argmin(ordered.sum(axis=-1), axis=-1)
    roll = (start[..., None] + np.arange(4)) % 4
    return np.take_along_axis(ordered, roll[..., None], axis=-2)


def quad_from_points(points: np.ndarray) -> np.ndarray:
    """Reduce a polygon to 4 corners: 4-point polygons are kept, others use their min-area rect.

    The detector and its targets work on quadrilaterals; a curved text polygon is approximated
    by its minimum-area rectangle rather than dropped, so no labelled text is lost from training.
    """
    if len(points) == 4:
        return points.astype(np.float32)
    return cv2.boxPoints(cv2.minAreaRect(points.astype(np.float32))).astype(np.float32)


@TRANSFORMS.register
class DetLabelEncode:
    """Parse a detection label (JSON list of ``{"transcription", "points"}``).

    Produces ``data["polys"]`` float32 ``[N, 4, 2]`` (clockwise from top-left; polygons with other
    than 4 points become their min-area rectangle), ``data["texts"]`` (list of str) and
    ``data["ignore_tags"]`` bool ``[N]`` (True for "###"/"*" transcriptions). An empty list gives
    ``N = 0`` (a background-only sample stays usable). Malformed labels raise ``ValueError``.
    """

    def __call__(self, data: Dict[str, Any]) -> Dict[str, Any]:
        path = data.get("img_path", "<unknown image>")
        entries = _parse_label(data["label"], path)
        polys: List[np.ndarray] = []
        texts: List[str] = []
        for i, entry in enumerate(entries):
            polys.append(quad_from_points(_parse_points(entry, i, path)))
            texts.append(str(entry.get("transcription", "")))
        poly_arr = np.stack(polys) if polys else np.zeros((0, 4, 2), np.float32)
        data["polys"] = order_points_clockwise(poly_arr)
        data["texts"] = texts
        data["ignore_tags"] = np.array([t in IGNORE_TEXTS for t in texts], dtype=bool)
        return data


def _parse_label(label: Any, path: str) -> list:
    if isinstance(label, (bytes, bytearray)):
        label = label.decode("utf-8")
    if isinstance(label, str):
        try:
            label = json.loads(label)
        except json.JSONDecodeError as exc:
            raise ValueError(f"malformed label JSON for image {path}: {exc}") from None
    if not isinstance(label, list):
        raise ValueError(f"label for image {path} must be a JSON list of boxes, got {type(label).__name__}")
    return label


def _parse_points(entry: Any, index: int, path: str) -> np.ndarray:
    where = f"label of image {path}, box {index}"
    if not isinstance(entry, dict) or "points" not in entry:
        raise ValueError(f"{where}: expected an object with 'points' and 'transcription', got {entry!r}")
    try:
        pts = np.array(entry["points"], dtype=np.float32)
    except (TypeError, ValueError):
        raise ValueError(f"{where}: points must be a list of [x, y] numbers, got {entry['points']!r}") from None
    if pts.ndim != 2 or pts.shape[1] != 2 or len(pts) < 3:
        raise ValueError(f"{where}: points must be at least 3 [x, y] pairs, got {entry['points']!r}")
    if not np.all(np.isfinite(pts)):
        raise ValueError(f"{where}: points contain NaN/inf: {entry['points']!r}")
    return pts
