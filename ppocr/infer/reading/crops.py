"""Crop preparation and the tests the retries make (TextRecognizer): inference only."""
import cv2
import numpy as np

from ppocr.data.imaug.rec_img_aug import border_colour


def side_margin(img: np.ndarray, fraction: float) -> np.ndarray:
    """``img`` with ``fraction`` x its height of background added on the left and on the right."""
    m = int(round(fraction * img.shape[0]))
    return cv2.copyMakeBorder(img, 0, 0, m, m, cv2.BORDER_CONSTANT, value=border_colour(img)) if m > 0 else img


def light_on_dark(img: np.ndarray) -> bool:
    """Whether the crop looks like light text on a darker background: after an Otsu split of its gray
    levels, most of its outermost rows and columns (the background) fall in the dark class."""
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY) if img.ndim == 3 else img
    _, bright = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    edges = np.concatenate([bright[0], bright[-1], bright[:, 0], bright[:, -1]])
    return bool(edges.mean() < 0.5)
