"""Recognition image ops: resize-and-normalise to the model's input height, and crop augmentation.

Images arrive as HWC uint8 (BGR from :class:`DecodeImage`); ``RecResizeImg`` outputs CHW float32.
"""
from __future__ import annotations

import math
from functools import partial
from typing import Any, Dict, Optional, Sequence, Tuple

import cv2
import numpy as np

from ppocr.data.imaug.operators import to_three_channels
from ppocr.errors import ConfigError
from ppocr.utils.registry import TRANSFORMS


def check_image_shape(image_shape: Sequence[int], where: str) -> Tuple[int, int, int]:
    try:
        c, h, w = (int(v) for v in image_shape)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}.image_shape must be [channels, height, width], got {image_shape!r}") from None
    if c not in (1, 3) or h <= 0 or w <= 0:
        raise ConfigError(f"{where}.image_shape must be [1 or 3, height > 0, width > 0], got {image_shape!r}")
    return c, h, w


def resize_norm_img(img: np.ndarray, image_shape: Sequence[int], padding: bool = True) -> Tuple[np.ndarray, float]:
    """Resize a text crop to ``image_shape = [C, H, W]`` and normalise it to [-1, 1].

    With ``padding`` the aspect ratio is kept: the crop becomes ``H x min(W, ceil(H * w / h))`` and is
    right-padded with zeros (mid-grey after normalisation) up to ``W``; without it the crop is stretched
    to ``H x W``. Returns ``(CHW float32 array, valid_ratio)`` where ``valid_ratio`` is the fraction of the
    width holding image content (attention decoders use it to ignore the padding).

    Inference calls this with a per-batch width (``[3, 32, W_batch]``) so long lines are not squeezed.
    """
    c, h_out, w_out = check_image_shape(image_shape, "RecResizeImg")
    img = np.asarray(img)
    if img.ndim not in (2, 3) or img.shape[0] == 0 or img.shape[1] == 0:
        raise ValueError(f"resize_norm_img: expected a non-empty HW or HWC image, got shape {img.shape}")
    img = _to_channels(img, c)
    h, w = img.shape[:2]
    resized_w = min(w_out, max(1, int(math.ceil(h_out * w / float(h))))) if padding else w_out
    resized = cv2.resize(img, (resized_w, h_out))  # bilinear, as the pretrained PaddleOCR models saw
    if resized.ndim == 2:
        resized = resized[:, :, None]
    out = np.zeros((c, h_out, w_out), dtype=np.float32)
    # (x / 255 - 0.5) / 0.5 folded into one multiply-add, written straight into the padded buffer.
    np.multiply(resized.transpose(2, 0, 1), np.float32(1.0 / 127.5), out=out[:, :, :resized_w], casting="unsafe")
    out[:, :, :resized_w] -= 1.0
    return out, resized_w / float(w_out)


def natural_width(height: int, width: int, out_height: int) -> int:
    """The width a ``height x width`` crop gets at ``out_height`` with its aspect ratio kept, rounded up to a
    multiple of 4 (one CTC time step per 4 pixels)."""
    return int(math.ceil(out_height * width / float(max(height, 1)) / 4.0)) * 4


def _to_channels(img: np.ndarray, channels: int) -> np.ndarray:
    """Make an HW/HWC uint8 image have ``channels`` (1 -> HW gray, 3 -> HWC BGR)."""
    if img.dtype != np.uint8:
        img = np.clip(img, 0, 255).astype(np.uint8)
    if channels == 1:
        if img.ndim == 3 and img.shape[2] == 3:
            return cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
        if img.ndim == 3 and img.shape[2] == 4:
            return cv2.cvtColor(img, cv2.COLOR_BGRA2GRAY)
        return img.reshape(img.shape[:2])
    return to_three_channels(img)


@TRANSFORMS.register
class RecResizeImg:
    """Resize + normalise a recognition crop (see :func:`resize_norm_img`); sets ``data["valid_ratio"]``.

    Args:
        image_shape: ``[C, H, W]`` model input; C is 3 (BGR) or 1 (grayscale).
        padding: keep the aspect ratio and right-pad (default) instead of stretching to W.
        max_width: variable width: each crop keeps its aspect ratio at height H and gets a width between W
            and ``max_width`` (squeezed only beyond it), so long lines are not squeezed into W. Batches are
            then padded to their widest crop (``loader.bucket_by_length`` keeps widths alike in a batch).
        infer_mode, character_dict_path, character_type: accepted so PaddleOCR 2.0 configs load;
            they selected a Chinese-specific resize there and have no effect here.
    """

    def __init__(self, image_shape: Sequence[int] = (3, 32, 100), infer_mode: bool = False,
                 character_dict_path: Optional[str] = None, padding: bool = True,
                 character_type: Optional[str] = None, max_width: Optional[int] = None):
        self.image_shape = list(check_image_shape(image_shape, "RecResizeImg"))
        self.padding = bool(padding)
        self.max_width = int(max_width) if max_width else None
        if self.max_width is not None and self.max_width < self.image_shape[2]:
            raise ConfigError(f"RecResizeImg.max_width ({max_width}) must be at least the image_shape width "
                              f"({self.image_shape[2]})")

    def __call__(self, data: Dict[str, Any]) -> Dict[str, Any]:
        shape = self.image_shape
        if self.max_width:
            h, w = np.asarray(data["image"]).shape[:2]
            shape = [shape[0], shape[1], min(self.max_width, max(shape[2], natural_width(h, w, shape[1])))]
        data["image"], ratio = resize_norm_img(data["image"], shape, self.padding)
        data["valid_ratio"] = np.float32(ratio)
        return data


# ---------------------------------------------------------------------------------------------------
# Augmentation. Every random draw uses the global np.random state, which the dataset seeds per sample,
# so an epoch is reproducible whatever the number of workers.

def _u(lo: float, hi: float) -> float:
    return float(np.random.uniform(lo, hi))


def gaussian_blur(img: np.ndarray) -> np.ndarray:
    # A 3x3 kernel is enough at 32 px text height; larger ones erase thin strokes.
    return cv2.GaussianBlur(img, (3, 3), _u(0.4, 1.1))


def gaussian_noise(img: np.ndarray) -> np.ndarray:
    # Luminance noise: one draw per pixel shared by the channels. That is how sensor grain looks, and
    # normal draws are the slowest part of RecAug, so drawing 1/3 of them matters.
    noise = np.random.standard_normal(img.shape[:2]).astype(np.float32) * np.float32(_u(2.0, 12.0))
    out = img.astype(np.float32)
    out += noise if img.ndim == 2 else noise[:, :, None]
    return np.clip(out, 0, 255, out=out).astype(np.uint8)


def perspective_warp(img: np.ndarray, strength: float = 0.05) -> np.ndarray:
    """Squeeze the crop into a quad whose corners lie inwards by up to ``strength`` of the width (x)
    and 2x that of the height (y); the border is replicated. Shrinking (rather than zooming) never
    cuts off the first or last character, so the label stays exact."""
    h, w = img.shape[:2]
    src = np.float32([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]])
    dx, dy = strength * w, 2 * strength * h
    jitter = np.random.uniform(0, 1, (4, 2)).astype(np.float32) * np.float32([dx, dy])
    sign = np.float32([[1, 1], [-1, 1], [-1, -1], [1, -1]])  # inwards for each corner
    dst = src + sign * jitter
    m = cv2.getPerspectiveTransform(src, dst)
    return cv2.warpPerspective(img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def crop_jitter(img: np.ndarray, max_frac: float = 0.04) -> np.ndarray:
    """Trim up to ``max_frac`` of each edge (never below 1 px), imitating a loose/tight detector box."""
    h, w = img.shape[:2]
    top, bottom = (int(np.random.randint(0, max(1, int(h * max_frac)) + 1)) for _ in range(2))
    left, right = (int(np.random.randint(0, max(1, int(w * max_frac)) + 1)) for _ in range(2))
    if h - top - bottom < 1 or w - left - right < 1:
        return img
    return img[top:h - bottom, left:w - right]


def border_colour(img: np.ndarray) -> Tuple[int, ...]:
    """The median of the crop's outermost rows and columns: the background a wider box would show."""
    edges = np.concatenate([img[0], img[-1], img[:, 0], img[:, -1]]).reshape(-1, 1 if img.ndim == 2 else img.shape[2])
    return tuple(int(v) for v in np.median(edges, axis=0))


def margin_jitter(img: np.ndarray, max_side: float = 0.6, max_vertical: float = 0.3) -> np.ndarray:
    """Add a random margin of background: up to ``max_side`` x height on the left and on the right, up to
    ``max_vertical`` x height above and below. Real detector boxes are looser than generated crops; a model
    that only saw tight crops reads smaller text badly (the text shrinks when such a crop is resized to the
    model height)."""
    h = img.shape[0]
    left, right = (int(np.random.uniform(0, max_side) * h) for _ in range(2))
    top, bottom = (int(np.random.uniform(0, max_vertical) * h) for _ in range(2))
    return cv2.copyMakeBorder(img, top, bottom, left, right, cv2.BORDER_CONSTANT, value=border_colour(img))


def stretch_width(img: np.ndarray, factor: float) -> np.ndarray:
    """``img`` with its width scaled by ``factor``, its height kept."""
    h, w = img.shape[:2]
    new_w = max(1, int(round(w * factor)))
    return cv2.resize(img, (new_w, h), interpolation=cv2.INTER_AREA if new_w < w else cv2.INTER_LINEAR)


def aspect_jitter(img: np.ndarray, low: float = 0.6, high: float = 1.2) -> np.ndarray:
    """Scale the width by a random factor in [low, high]: condensed and narrow fonts (Times in a scan, a
    receipt printer) have fewer pixels per character than most generated ones."""
    return stretch_width(img, _u(low, high))


def tia_stretch(img: np.ndarray, segments: int = 4, strength: float = 0.3) -> np.ndarray:
    """Text-image-augmentation style local stretch: split the width into ``segments`` pieces and scale
    each by a random factor (total width unchanged), so characters get unevenly wide as in real fonts."""
    h, w = img.shape[:2]
    widths = np.random.uniform(1 - strength, 1 + strength, segments)
    knots_dst = np.concatenate([[0.0], np.cumsum(widths)]) / widths.sum() * (w - 1)
    knots_src = np.linspace(0, w - 1, segments + 1)
    map_x = np.interp(np.arange(w, dtype=np.float32), knots_dst, knots_src).astype(np.float32)
    map_x = np.broadcast_to(map_x, (h, w))
    map_y = np.broadcast_to(np.arange(h, dtype=np.float32)[:, None], (h, w))
    return cv2.remap(img, np.ascontiguousarray(map_x), np.ascontiguousarray(map_y), cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_REPLICATE)


def color_jitter(img: np.ndarray) -> np.ndarray:
    """Hue/saturation/value jitter for colour crops; brightness/contrast only for grayscale."""
    if img.ndim == 3 and img.shape[2] == 3:
        hsv = cv2.cvtColor(img, cv2.COLOR_BGR2HSV)
        lut = np.arange(256, dtype=np.float32)
        hue = ((lut + _u(-8, 8)) % 180).astype(np.uint8)  # OpenCV hue wraps at 180
        sat = np.clip(lut * _u(0.6, 1.3), 0, 255).astype(np.uint8)
        val = np.clip(lut * _u(0.7, 1.2) + _u(-25, 25), 0, 255).astype(np.uint8)
        h, s, v = cv2.split(hsv)
        hsv = cv2.merge([cv2.LUT(h, hue), cv2.LUT(s, sat), cv2.LUT(v, val)])
        return cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR)
    lut = np.clip((np.arange(256, dtype=np.float32) - 128) * _u(0.7, 1.2) + 128 + _u(-25, 25), 0, 255)
    return cv2.LUT(img, lut.astype(np.uint8))


def reverse_color(img: np.ndarray) -> np.ndarray:
    # Light-on-dark text is common in signs and UI; the model must read both polarities.
    return 255 - img


@TRANSFORMS.register
class RecAug:
    """Random augmentation of an HWC (or HW) uint8 recognition crop, before ``RecResizeImg``.

    With probability ``aug_prob`` the crop is augmented; each enabled operation then applies
    independently with probability ``op_prob`` (geometric ones first, then photometric, noise last so
    it is not blurred away). Geometric operations are skipped for crops under 8 px on a side.

    Args:
        use_tia: allow the uneven horizontal stretch (PaddleOCR's "TIA" text-image augmentation).
        aug_prob: probability of augmenting a sample at all (PaddleOCR 2.0 default 0.4).
        op_prob: probability of each enabled operation once a sample is augmented.
        crop, perspective, blur, noise, color, reverse: enable the individual operations.
        margin: add a random background margin around the crop (off by default, as in PaddleOCR 2.0).
        aspect: scale the crop's width by a factor drawn from ``aspect_range`` (off by default).
        aspect_range: ``[low, high]`` of that factor, default [0.6, 1.2]. A wider range teaches a model
            condensed and stretched text (a CRNN trained on natural widths misreads both: stretching
            generated lines by 1.3 at inference cost the shipped model 6 points of accuracy).
    """

    def __init__(self, use_tia: bool = True, aug_prob: float = 0.4, op_prob: float = 0.5, crop: bool = True,
                 perspective: bool = True, blur: bool = True, noise: bool = True, color: bool = True,
                 reverse: bool = True, margin: bool = False, aspect: bool = False,
                 aspect_range: Sequence[float] = (0.6, 1.2)):
        for name, p in (("aug_prob", aug_prob), ("op_prob", op_prob)):
            if not 0.0 <= float(p) <= 1.0:
                raise ConfigError(f"RecAug.{name} must be in [0, 1], got {p!r}")
        if len(aspect_range) != 2 or not 0 < float(aspect_range[0]) <= float(aspect_range[1]):
            raise ConfigError(f"RecAug.aspect_range must be [low, high] with 0 < low <= high, got {aspect_range!r}")
        self.aug_prob = float(aug_prob)
        self.op_prob = float(op_prob)
        low, high = (float(v) for v in aspect_range)
        aspect_op = partial(aspect_jitter, low=low, high=high)  # a partial, not a lambda: loader workers pickle it
        self.geometric = [f for f, on in ((crop_jitter, crop), (aspect_op, aspect), (tia_stretch, use_tia),
                                          (perspective_warp, perspective), (margin_jitter, margin)) if on]
        self.photometric = [f for f, on in ((color_jitter, color), (gaussian_blur, blur),
                                            (reverse_color, reverse), (gaussian_noise, noise)) if on]

    def __call__(self, data: Dict[str, Any]) -> Dict[str, Any]:
        if np.random.random() >= self.aug_prob:
            return data
        data["image"] = self.augment(np.asarray(data["image"]))
        return data

    def augment(self, img: np.ndarray) -> np.ndarray:
        """Apply a random subset of the enabled operations (always, ignoring ``aug_prob``)."""
        if img.dtype != np.uint8:
            raise ValueError(f"RecAug expects a uint8 image (put it before RecResizeImg), got {img.dtype}")
        if min(img.shape[:2]) >= 8:
            for fn in self.geometric:
                if np.random.random() < self.op_prob:
                    img = fn(img)
        for fn in self.photometric:
            if np.random.random() < self.op_prob:
                img = fn(img)
        return np.ascontiguousarray(img)
