"""Drawing results on images."""
from __future__ import annotations

from typing import Optional, Sequence

import cv2
import numpy as np


def draw_det_boxes(img: np.ndarray, boxes: Sequence[np.ndarray], color=(0, 200, 0), thickness: int = 2,
                   in_place: bool = False) -> np.ndarray:
    """``img`` (a copy, unless ``in_place``) with each quad outlined."""
    out = img if in_place else img.copy()
    for box in boxes:
        cv2.polylines(out, [np.round(np.asarray(box)).astype(np.int32).reshape(-1, 1, 2)], True, color, thickness)
    return out


def default_font_path() -> str:
    """The font bundled with the toolkit (doc/fonts/DejaVuSans.ttf, see ppocr/resources.py)."""
    from ppocr.resources import bundled_font_dir

    return str(bundled_font_dir() / "DejaVuSans.ttf")


def load_font(font_path: Optional[str], size: int):
    """A PIL font; a missing or unreadable file falls back to PIL's built-in font with a warning."""
    import logging

    from PIL import ImageFont

    path = font_path or default_font_path()
    try:
        return ImageFont.truetype(path, size)
    except OSError:
        logging.getLogger("ppocr").warning(f"font {path} cannot be loaded: using PIL's default font "
                                           f"(set --vis_font_path to a .ttf covering your text)")
        return ImageFont.load_default()


def draw_ocr_result(img: np.ndarray, results: Sequence, font_path: Optional[str] = None) -> np.ndarray:
    """The image with numbered boxes, beside a white panel listing ``n: text (score)`` for each result
    (objects with ``text``, ``score`` and ``points``, such as the system's TextLine).

    Drawn into one canvas allocated once: a scanned page at 300 dpi is 25 MB, and copies per step (boxes,
    panel, colour order, side by side) added 140 MB to the peak memory of predict_system."""
    from PIL import Image, ImageDraw

    h, w = img.shape[:2]
    canvas = np.full((h, w + max(w, 400), 3), 255, np.uint8)
    boxed = canvas[:, :w]
    boxed[:] = img
    draw_det_boxes(boxed, [np.asarray(r.points) for r in results], color=(0, 0, 255), in_place=True)
    size = max(12, min(24, h // max(len(results) + 1, 20)))
    font = load_font(font_path, size)
    for i, r in enumerate(results, 1):
        x, y = np.asarray(r.points).min(axis=0).astype(int)
        cv2.putText(boxed, str(i), (int(x), max(int(y) - 2, 10)), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (0, 0, 255), 1)
    # The panel is white with black and grey text only, so drawing it in RGB order on the BGR canvas is exact.
    panel = Image.fromarray(canvas[:, w:])  # a copy: the text is drawn there, then pasted back once
    draw = ImageDraw.Draw(panel)
    for i, r in enumerate(results, 1):
        y = 4 + (i - 1) * (size + 4)
        if y + size > h:
            draw.text((4, y), f"... {len(results) - i + 1} more", fill=(128, 128, 128), font=font)
            break
        draw.text((4, y), f"{i}: {r.text} ({r.score:.2f})", fill=(0, 0, 0), font=font)
    canvas[:, w:] = np.asarray(panel)
    return canvas
