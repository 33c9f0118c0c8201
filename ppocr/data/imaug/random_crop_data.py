"""Random crops for detection training that never cut through a text box."""
from __future__ import annotations

import random
from typing import Any, Dict, Optional, Sequence, Tuple

import cv2
import numpy as np

from ppocr.errors import ConfigError
from ppocr.utils.registry import TRANSFORMS


def _occupied_axis(polys: np.ndarray, length: int, axis: int) -> np.ndarray:
    """Boolean ``[length]``: True where some polygon's projection onto ``axis`` lies."""
    occupied = np.zeros(length, dtype=bool)
    for poly in polys:
        lo = int(np.clip(np.floor(poly[:, axis].min()), 0, length - 1))
        hi = int(np.clip(np.ceil(poly[:, axis].max()), 0, length - 1))
        occupied[lo:hi + 1] = True
    return occupied


def _pick_range(free: np.ndarray) -> Tuple[int, int]:
    """Pick an inclusive pixel range [start, end] whose ends are free (text-less) positions.

    When the free positions form several runs, the two ends come from two different runs so the
    crop is likely to contain text; otherwise both are drawn from the free positions.
    """
    runs = np.split(free, np.where(np.diff(free) != 1)[0] + 1)
    if len(runs) > 1:
        first, second = random.sample(range(len(runs)), 2)
        ends = [int(random.choice(runs[first])), int(random.choice(runs[second]))]
    else:
        ends = [int(random.choice(free)), int(random.choice(free))]
    return min(ends), max(ends)


def choose_crop(shape: Tuple[int, int], polys: np.ndarray, max_tries: int,
                min_crop_side_ratio: float) -> Tuple[int, int, int, int]:
    """Return ``(x, y, w, h)`` of a crop whose borders lie in gaps between text boxes.

    A crop is accepted if it is large enough and (when there is text) fully contains at least
    one box; after ``max_tries`` failures the whole image is used.
    """
    h, w = shape
    free_x = np.where(~_occupied_axis(polys, w, 0))[0]
    free_y = np.where(~_occupied_axis(polys, h, 1))[0]
    if len(free_x) == 0 or len(free_y) == 0:
        return 0, 0, w, h
    for _ in range(max_tries):
        x0, x1 = _pick_range(free_x)
        y0, y1 = _pick_range(free_y)
        crop_w, crop_h = x1 - x0 + 1, y1 - y0 + 1
        if crop_w < min_crop_side_ratio * w or crop_h < min_crop_side_ratio * h:
            continue
        if len(polys) == 0 or _inside(polys, x0, y0, x1, y1).any():
            return x0, y0, crop_w, crop_h
    return 0, 0, w, h


def choose_window(shape: Tuple[int, int], polys: np.ndarray, size: Sequence[int]) -> Tuple[int, int]:
    """Top-left ``(x, y)`` of a ``size`` window that contains the centre of a random box (anywhere when there
    is none), kept inside the image where the image is large enough."""
    h, w = shape
    out_w, out_h = size
    if len(polys):
        cx, cy = polys[random.randrange(len(polys))].mean(axis=0)
        x, y = cx - random.uniform(0, out_w), cy - random.uniform(0, out_h)
    else:
        x, y = random.uniform(0, w - out_w), random.uniform(0, h - out_h)
    return int(np.clip(round(x), 0, max(0, w - out_w))), int(np.clip(round(y), 0, max(0, h - out_h)))


def _inside(polys: np.ndarray, x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    xs, ys = polys[..., 0], polys[..., 1]
    return (xs.min(1) >= x0) & (xs.max(1) <= x1) & (ys.min(1) >= y0) & (ys.max(1) <= y1)


def _outside(polys: np.ndarray, x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    xs, ys = polys[..., 0], polys[..., 1]
    return (xs.max(1) < x0) | (xs.min(1) > x1) | (ys.max(1) < y0) | (ys.min(1) > y1)


@TRANSFORMS.register
class EastRandomCropData:
    """Crop a random text-preserving region and scale it into ``size``.

    Args:
        size: output ``[width, height]`` (PaddleOCR's order).
        max_tries: crop attempts before falling back to the whole image.
        min_crop_side_ratio: minimum crop side as a fraction of the image side.
        keep_ratio: scale preserving aspect ratio and zero-pad bottom/right; otherwise stretch.
        keep_scale: instead, cut a ``size`` window around a random box at the image's own scale (zero-padded
            where the image is smaller); boxes that its border cuts become ignored ("###").

    Crop borders are drawn from the gaps in the projections of non-ignored boxes, so such boxes
    are either kept whole or dropped; polygons lying completely outside the crop are removed
    (with their ``texts``/``ignore_tags``). On pages dense with words there are few such gaps, so the crops
    are nearly whole pages scaled down, and small text shrinks below what a stride-4 map resolves:
    ``keep_scale`` keeps the scale that the scale augmentation chose.
    """

    def __init__(self, size: Sequence[int] = (640, 640), max_tries: int = 50,
                 min_crop_side_ratio: float = 0.1, keep_ratio: bool = True, keep_scale: bool = False):
        if len(size) != 2 or min(size) <= 0:
            raise ConfigError(f"EastRandomCropData.size must be [width, height], got {size!r}")
        self.size = (int(size[0]), int(size[1]))
        self.max_tries = int(max_tries)
        self.min_crop_side_ratio = float(min_crop_side_ratio)
        self.keep_ratio = bool(keep_ratio)
        self.keep_scale = bool(keep_scale)

    def __call__(self, data: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        polys = np.asarray(data.get("polys", np.zeros((0, 4, 2))), dtype=np.float32).reshape(-1, 4, 2)
        ignore = np.asarray(data.get("ignore_tags", np.zeros(len(polys), bool)), dtype=bool)
        if self.keep_scale:
            x, y = choose_window(data["image"].shape[:2], polys[~ignore], self.size)
            return self.crop_region(data, x, y, *self.size, ignore_cut=True)
        x, y, cw, ch = choose_crop(data["image"].shape[:2], polys[~ignore], self.max_tries, self.min_crop_side_ratio)
        return self.crop_region(data, x, y, cw, ch)

    def crop_region(self, data: Dict[str, Any], x: int, y: int, cw: int, ch: int,
                    ignore_cut: bool = False) -> Dict[str, Any]:
        """Cut ``(x, y, cw, ch)`` out, scale it into ``size`` and move the polygons along; with ``ignore_cut``
        polygons that the border cuts are kept as ignored ("###") instead of whole. Where the region reaches
        past the image, the missing part is zero padding."""
        img = data["image"]
        polys = np.asarray(data.get("polys", np.zeros((0, 4, 2))), dtype=np.float32).reshape(-1, 4, 2)
        ignore = np.asarray(data.get("ignore_tags", np.zeros(len(polys), bool)), dtype=bool)
        if ignore_cut and len(polys):
            ignore = ignore | ~_inside(polys, x, y, x + cw - 1, y + ch - 1)
        out_w, out_h = self.size
        scale_x, scale_y = out_w / cw, out_h / ch
        if self.keep_ratio:
            scale_x = scale_y = min(scale_x, scale_y)
        region = img[y:y + ch, x:x + cw]
        rh, rw = region.shape[:2]
        new_w = max(1, min(out_w, int(round(rw * scale_x))))
        new_h = max(1, min(out_h, int(round(rh * scale_y))))
        scale_x, scale_y = new_w / rw, new_h / rh  # the scale cv2.resize really applies
        resized = cv2.resize(region, (new_w, new_h))
        canvas = np.zeros((out_h, out_w) + img.shape[2:], dtype=img.dtype)
        canvas[:new_h, :new_w] = resized
        data["image"] = canvas

        keep = ~_outside(polys, x, y, x + cw - 1, y + ch - 1) if len(polys) else np.zeros(0, bool)
        # Same pixel-centre mapping as cv2.resize: x' = (x + 0.5) * s - 0.5.
        shift = np.array([x - 0.5, y - 0.5], np.float32)
        data["polys"] = (polys[keep] - shift) * np.array([scale_x, scale_y], np.float32) - 0.5
        data["ignore_tags"] = ignore[keep]
        if "texts" in data:
            data["texts"] = [t for t, k in zip(data["texts"], keep) if k]
        return data
