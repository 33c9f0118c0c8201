"""Drawing results on images."""
from __future__ import annotations

from typing import Sequence

import cv2
import numpy as np


def draw_det_boxes(img: np.ndarray, boxes: Sequence[np.ndarray], color=(0, 200, 0), thickness: int = 2) -> np.ndarray:
    """A copy of ``img`` with each quad outlined."""
    out = img.copy()
    for box in boxes:
        cv2.polylines(out, [np.round(np.asarray(box)).astype(np.int32).reshape(-1, 1, 2)], True, color, thickness)
    return out
