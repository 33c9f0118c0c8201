"""Quadrilateral helpers: rectifying a text quad into an upright crop (the OCR system's crop step, and the
generator's crops cut from pages), and quads as rounded JSON-ready point lists."""
from __future__ import annotations

import cv2
import numpy as np

from ppocr.utils.directions import is_tall


def crop_quad(img: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """Warp the quad (clockwise from top-left) to an upright rectangle; crops much taller than wide
    (vertical text or a box found sideways) are turned 90 degrees so the recognizer reads along x."""
    quad = np.asarray(quad, dtype=np.float32)
    width = int(round(max(np.linalg.norm(quad[0] - quad[1]), np.linalg.norm(quad[2] - quad[3]))))
    height = int(round(max(np.linalg.norm(quad[0] - quad[3]), np.linalg.norm(quad[1] - quad[2]))))
    width, height = max(width, 1), max(height, 1)
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    crop = cv2.warpPerspective(img, cv2.getPerspectiveTransform(quad, target), (width, height),
                               borderMode=cv2.BORDER_REPLICATE, flags=cv2.INTER_CUBIC)
    if is_tall(height, width):
        crop = np.rot90(crop)
    return np.ascontiguousarray(crop)


def rounded_points(quad: np.ndarray) -> list:
    """``[[x, y], ...]`` rounded to 0.1 px, for result files (float64 first: float32 values would print as
    90.0999984741211)."""
    return np.round(np.asarray(quad, dtype=np.float64), 1).tolist()
