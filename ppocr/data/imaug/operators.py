"""Generic image ops: decoding, normalisation, layout changes and detection test-time resizing.

Every op is a callable class ``op(data: dict) -> dict | None`` registered in ``TRANSFORMS`` under its
PaddleOCR 2.0 name, so the YAML ``transforms:`` lists of PaddleOCR configs build unchanged.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import cv2
import numpy as np

from ppocr.errors import ConfigError
from ppocr.utils.numbers import parse_number
from ppocr.utils.registry import TRANSFORMS

# ImageNet statistics: PaddleOCR's pretrained backbones were trained with these.
_IMAGENET_MEAN = (0.485, 0.456, 0.406)
_IMAGENET_STD = (0.229, 0.224, 0.225)
_STRIDE = 32  # DB's backbone downsamples by 32, so detector inputs must be multiples of it.


@TRANSFORMS.register
class DecodeImage:
    """Decode ``data["image"]`` (raw file bytes) into an HWC uint8 image with 3 channels.

    Args:
        img_mode: "BGR" (OpenCV's order, the default) or "RGB".
        channel_first: return CHW instead of HWC.
    """

    def __init__(self, img_mode: str = "BGR", channel_first: bool = False):
        if str(img_mode).upper() not in ("BGR", "RGB"):
            raise ConfigError(f"DecodeImage.img_mode must be 'BGR' or 'RGB', got {img_mode!r}")
        self.img_mode = str(img_mode).upper()
        self.channel_first = bool(channel_first)

    def __call__(self, data: Dict[str, Any]) -> Dict[str, Any]:
        raw = data["image"]
        path = data.get("img_path", "<memory>")
        if isinstance(raw, np.ndarray) and raw.ndim in (2, 3) and raw.dtype == np.uint8:
            img = to_three_channels(raw)  # already decoded (e.g. handed over by inference code)
        else:
            img = decode_bytes(raw, path)
        if self.img_mode == "RGB":
            img = img[:, :, ::-1]
        if self.channel_first:
            img = img.transpose((2, 0, 1))
        data["image"] = np.ascontiguousarray(img)
        return data


# Decoding memory bound: ~190 MB as BGR. Larger JPEGs are decoded at 1/2, 1/4 or 1/8 scale (libjpeg scales
# while decoding, so the full image never exists in memory); larger images in other formats are refused.
MAX_DECODED_PIXELS = 64_000_000
_REDUCED_FLAGS = ((2, cv2.IMREAD_REDUCED_COLOR_2), (4, cv2.IMREAD_REDUCED_COLOR_4), (8, cv2.IMREAD_REDUCED_COLOR_8))


def declared_size(buf: np.ndarray, path: str) -> Tuple[Optional[Tuple[int, int]], Optional[str]]:
    """``((width, height), format)`` from the file header alone (Pillow reads no pixels here), or
    ``(None, None)`` when Pillow does not know the format (OpenCV may still decode it)."""
    import io
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():  # damaged metadata is not this function's business
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(buf.tobytes())) as im:
                return im.size, im.format
    except Image.DecompressionBombError:
        raise ValueError(f"cannot decode image {path}: its header declares more than "
                         f"{2 * Image.MAX_IMAGE_PIXELS} pixels") from None
    except Exception:
        return None, None


def decode_bytes(raw: Union[bytes, bytearray, memoryview, np.ndarray], path: str = "<memory>") -> np.ndarray:
    """Decode encoded image bytes into a BGR HWC uint8 array; raise ValueError naming ``path``.

    Images over ``MAX_DECODED_PIXELS`` are decoded downscaled (JPEG) or refused (other formats)."""
    if raw is None or len(raw) == 0:
        raise ValueError(f"cannot decode image {path}: the file is empty")
    buf = np.frombuffer(raw, dtype=np.uint8) if not isinstance(raw, np.ndarray) else raw.reshape(-1)
    size, fmt = declared_size(buf, path)
    if size is not None and size[0] * size[1] > MAX_DECODED_PIXELS:
        return _decode_reduced(buf, size, fmt, path)
    # IMREAD_UNCHANGED keeps alpha/gray so we can convert them explicitly (and handle 16-bit).
    img = cv2.imdecode(buf, cv2.IMREAD_UNCHANGED)
    if img is None or img.size == 0:
        raise ValueError(f"cannot decode image {path}: not a valid image file ({len(raw)} bytes)")
    if img.dtype != np.uint8:  # 16-bit PNG/TIFF: scale down to 8 bit
        img = (img.astype(np.float32) / (np.iinfo(img.dtype).max / 255.0)).clip(0, 255).astype(np.uint8)
    return to_three_channels(img)


def _decode_reduced(buf: np.ndarray, size: Tuple[int, int], fmt: Optional[str], path: str) -> np.ndarray:
    import logging

    w, h = size
    for factor, flag in _REDUCED_FLAGS:
        if fmt == "JPEG" and w * h <= MAX_DECODED_PIXELS * factor * factor:
            img = cv2.imdecode(buf, flag)
            if img is None or img.size == 0:
                raise ValueError(f"cannot decode image {path}: not a valid image file ({len(buf)} bytes)")
            logging.getLogger("ppocr").warning(f"{path}: {w}x{h} pixels, decoded at 1/{factor} scale "
                                               f"({img.shape[1]}x{img.shape[0]}) to bound memory")
            return img
    raise ValueError(f"cannot decode image {path}: {w}x{h} pixels is over the limit of {MAX_DECODED_PIXELS} "
                     f"pixels{'' if fmt == 'JPEG' else ' for ' + str(fmt) + ' files (JPEG can be decoded downscaled)'}")


def to_three_channels(img: np.ndarray) -> np.ndarray:
    """Convert gray (HxW / HxWx1) or BGRA images to 3-channel BGR."""
    if img.ndim == 2 or img.shape[2] == 1:
        return cv2.cvtColor(img.reshape(img.shape[:2]), cv2.COLOR_GRAY2BGR)
    if img.shape[2] == 4:
        return cv2.cvtColor(img, cv2.COLOR_BGRA2BGR)
    return img


@TRANSFORMS.register
class NormalizeImage:
    """``(image * scale - mean) / std`` per channel, output float32.

    Args:
        scale: number or fraction string such as ``"1./255."`` (default 1/255).
        mean, std: per-channel statistics (default ImageNet).
        order: layout of the *incoming* image, "hwc" (default, as in every PaddleOCR config) or
            "chw"; the output keeps the same layout.
    """

    def __init__(self, scale: Union[str, float, None] = None, mean: Optional[Sequence[float]] = None,
                 std: Optional[Sequence[float]] = None, order: str = "hwc"):
        self.scale = parse_number(scale) if scale is not None else 1.0 / 255.0
        mean_arr = np.array([parse_number(v) for v in (mean if mean is not None else _IMAGENET_MEAN)], np.float32)
        std_arr = np.array([parse_number(v) for v in (std if std is not None else _IMAGENET_STD)], np.float32)
        if mean_arr.shape != std_arr.shape or np.any(std_arr == 0):
            raise ConfigError("NormalizeImage: mean and std need the same length and std must be non-zero")
        if order not in ("hwc", "chw"):
            raise ConfigError(f"NormalizeImage.order must be 'hwc' or 'chw', got {order!r}")
        self.order = order
        shape = (1, 1, -1) if order == "hwc" else (-1, 1, 1)
        # Fold everything into one multiply-add: img * (scale/std) - mean/std.
        self._mul = (self.scale / std_arr).reshape(shape)
        self._add = (-mean_arr / std_arr).reshape(shape)

    def __call__(self, data: Dict[str, Any]) -> Dict[str, Any]:
        img = np.asarray(data["image"])
        channels = self._mul.size
        if self.order == "hwc" and img.ndim == 3 and img.shape[2] == channels and channels in (3, 4):
            # cv2.transform does the per-channel affine map in one SIMD pass; numpy broadcasting
            # over a length-3 last axis is ~10x slower and this runs on every training sample.
            affine = np.concatenate([np.diag(self._mul.ravel()), self._add.reshape(-1, 1)], axis=1)
            data["image"] = cv2.transform(img.astype(np.float32), affine)
            return data
        out = np.array(img, dtype=np.float32)  # a fresh copy we may modify in place
        out *= self._mul
        out += self._add
        data["image"] = out
        return data


@TRANSFORMS.register
class ToCHWImage:
    """HWC -> CHW (contiguous, so batching does not copy again)."""

    def __call__(self, data: Dict[str, Any]) -> Dict[str, Any]:
        data["image"] = np.ascontiguousarray(np.asarray(data["image"]).transpose((2, 0, 1)))
        return data


@TRANSFORMS.register
class KeepKeys:
    """Return ``[data[k] for k in keep_keys]``: the last op of a pipeline, fixing the batch order."""

    def __init__(self, keep_keys: Sequence[str]):
        if isinstance(keep_keys, str) or not keep_keys:
            raise ConfigError(f"KeepKeys.keep_keys must be a non-empty list of keys, got {keep_keys!r}")
        self.keep_keys = list(keep_keys)

    def __call__(self, data: Dict[str, Any]) -> List[Any]:
        missing = [k for k in self.keep_keys if k not in data]
        if missing:
            raise KeyError(f"KeepKeys: keys {missing} are not produced by the previous ops "
                           f"(available: {sorted(data)})")
        return [data[k] for k in self.keep_keys]


def _round_to_stride(length: float) -> int:
    return max(int(round(length / _STRIDE)) * _STRIDE, _STRIDE)


def resize_for_det(img: np.ndarray, limit_side_len: float = 960, limit_type: str = "max",
                   max_side_limit: float = 4000, min_side_len: float = 0, max_enlarge: float = 1.5
                   ) -> Tuple[np.ndarray, Tuple[float, float]]:
    """Resize ``img`` for the detector and return ``(resized, (ratio_h, ratio_w))``.

    ``limit_type="max"`` shrinks so the longer side is at most ``limit_side_len``, but keeps the shorter
    side at least ``min_side_len`` (0: no such floor): large images are shrunk no further, and small ones
    are enlarged toward it, by at most ``max_enlarge``. Small text in small images (chart labels, UI)
    needs pixels the detector does not get at 1x, but enlarged much further, ordinary text in a small
    image outgrows what the detector finds (the shipped one splits lines over about 60 px tall).
    ``"min"`` enlarges so the shorter side is at least ``limit_side_len``. Either way the longer side
    then stays within ``max_side_limit``, which bounds the work on wide or large images. Both sides are
    rounded to multiples of 32 (at least 32), so the final ratios differ slightly per axis.
    """
    h, w = img.shape[:2]
    if limit_type == "max":
        ratio = float(limit_side_len) / max(h, w) if max(h, w) > limit_side_len else 1.0
        ratio = max(ratio, min(float(min_side_len) / min(h, w), float(max_enlarge)))
    elif limit_type == "min":
        ratio = float(limit_side_len) / min(h, w) if min(h, w) < limit_side_len else 1.0
    else:
        raise ConfigError(f"limit_type must be 'max' or 'min', got {limit_type!r}")
    ratio = min(ratio, float(max_side_limit) / max(h, w))
    return _resize_to(img, _round_to_stride(h * ratio), _round_to_stride(w * ratio))


def _resize_to(img: np.ndarray, new_h: int, new_w: int) -> Tuple[np.ndarray, Tuple[float, float]]:
    h, w = img.shape[:2]
    out = img if (new_h, new_w) == (h, w) else cv2.resize(img, (int(new_w), int(new_h)))
    return out, (new_h / float(h), new_w / float(w))


@TRANSFORMS.register
class DetResizeForTest:
    """Resize an HWC image for detection inference/eval and record ``data["shape"]``.

    Exactly one mode applies, in this priority: ``image_shape=[h, w]`` (fixed size, rounded to
    multiples of 32), ``resize_long=L`` (longer side becomes L), else ``limit_side_len`` with
    ``limit_type``, ``min_side_len``, ``max_enlarge`` and ``max_side_limit`` (see :func:`resize_for_det`).
    ``data["shape"]`` becomes ``[src_h, src_w, ratio_h, ratio_w]`` so post-processing can map boxes back.
    """

    def __init__(self, limit_side_len: float = 960, limit_type: str = "max",
                 image_shape: Optional[Sequence[int]] = None, resize_long: Optional[float] = None,
                 max_side_limit: float = 4000, min_side_len: float = 0, max_enlarge: float = 1.5):
        if limit_type not in ("max", "min"):
            raise ConfigError(f"DetResizeForTest.limit_type must be 'max' or 'min', got {limit_type!r}")
        if image_shape is not None and len(image_shape) != 2:
            raise ConfigError(f"DetResizeForTest.image_shape must be [h, w], got {image_shape!r}")
        self.limit_side_len = float(limit_side_len)
        self.limit_type = limit_type
        self.max_side_limit = float(max_side_limit)
        self.min_side_len = float(min_side_len)
        self.max_enlarge = float(max_enlarge)
        self.image_shape = list(image_shape) if image_shape is not None else None
        self.resize_long = float(resize_long) if resize_long is not None else None

    def __call__(self, data: Dict[str, Any]) -> Dict[str, Any]:
        img = data["image"]
        src_h, src_w = img.shape[:2]
        if self.image_shape is not None:
            img, (rh, rw) = _resize_to(img, _round_to_stride(self.image_shape[0]),
                                       _round_to_stride(self.image_shape[1]))
        elif self.resize_long is not None:
            ratio = self.resize_long / max(src_h, src_w)
            img, (rh, rw) = _resize_to(img, _round_to_stride(src_h * ratio), _round_to_stride(src_w * ratio))
        else:
            img, (rh, rw) = resize_for_det(img, self.limit_side_len, self.limit_type, self.max_side_limit,
                                            self.min_side_len, self.max_enlarge)
        data["image"] = img
        data["shape"] = np.array([src_h, src_w, rh, rw], dtype=np.float32)
        return data
