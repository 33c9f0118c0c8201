"""Quadrilateral helpers: rectifying a text quad into an upright crop (the OCR system's crop step, and the
generator's crops cut from pages), and quads as rounded JSON-ready point lists."""
from __future__ import annotations

from typing import Tuple

import cv2
import numpy as np

TALL_RATIO = 1.5  # the crop step turns crops at least this much taller than wide by 90 degrees


def is_tall(height: int, width: int) -> bool:
    """Whether the crop step (:func:`crop_quad`) turns a crop of this size by 90 degrees."""
    return height >= TALL_RATIO * width


def quad_size(quad: np.ndarray) -> Tuple[int, int]:
    """``(width, height)`` of the crop :func:`crop_quad` cuts from the quad: its longer horizontal and its
    longer vertical edge, in whole pixels (at least 1)."""
    quad = np.asarray(quad, dtype=np.float32)
    width = int(round(max(np.linalg.norm(quad[0] - quad[1]), np.linalg.norm(quad[2] - quad[3]))))
    height = int(round(max(np.linalg.norm(quad[0] - quad[3]), np.linalg.norm(quad[1] - quad[2]))))
    return max(width, 1), max(height, 1)


def turned_by_crop_step(quad: np.ndarray) -> bool:
    """Whether :func:`crop_quad` turns the crop of this quad by 90 degrees (counter-clockwise)."""
    width, height = quad_size(quad)
    return is_tall(height, width)


def crop_quad(img: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """Warp the quad (clockwise from top-left) to an upright rectangle; crops much taller than wide
    (vertical text or a box found sideways) are turned 90 degrees so the recognizer reads along x."""
    quad = np.asarray(quad, dtype=np.float32)
    width, height = quad_size(quad)
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
