"""Geometric augmentation with PaddleOCR's ``IaaAugment`` YAML schema, implemented with OpenCV.

PaddleOCR 2.0 drove imgaug with ``augmenter_args: [{type: Fliplr, args: {p: 0.5}}, ...]``. Here
every augmenter contributes a 3x3 pixel-coordinate matrix; the matrices are composed and the image
is warped once (one interpolation pass, and the polygons get exactly the same transform).
Coordinates follow OpenCV's pixel-centre convention: pixel ``(i, j)`` is the point ``x=j, y=i``.
"""
from __future__ import annotations

import abc
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import cv2
import numpy as np

from ppocr.data.imaug.label_ops import order_points_clockwise
from ppocr.errors import ConfigError
from ppocr.utils.registry import TRANSFORMS, closest_hint

Range = Tuple[float, float]

DEFAULT_AUGMENTERS = [
    {"type": "Fliplr", "args": {"p": 0.5}},
    {"type": "Affine", "args": {"rotate": [-10, 10]}},
    {"type": "Resize", "args": {"size": [0.5, 3]}},
]


def _as_range(value: Union[float, Sequence[float]], where: str) -> Range:
    """A scalar is a constant; a 2-element list/tuple is a uniform range (as PaddleOCR passed to imgaug)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value), float(value)
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(isinstance(v, (int, float)) for v in value):
        return float(min(value)), float(max(value))
    raise ConfigError(f"{where} must be a number or a [low, high] range, got {value!r}")


def _uniform(r: Range) -> float:
    return r[0] if r[0] == r[1] else float(np.random.uniform(r[0], r[1]))


class _Augmenter(abc.ABC):
    """One step: ``sample(h, w)`` returns (3x3 matrix, out_h, out_w) for the current image size."""

    @abc.abstractmethod
    def sample(self, h: int, w: int) -> Tuple[np.ndarray, int, int]:
        """The step's matrix and output size for an ``h`` x ``w`` input."""


class Fliplr(_Augmenter):
    def __init__(self, p: float = 0.5):
        self.p = float(p)

    def sample(self, h: int, w: int) -> Tuple[np.ndarray, int, int]:
        if np.random.rand() >= self.p:
            return np.eye(3), h, w
        return np.array([[-1.0, 0, w - 1], [0, 1, 0], [0, 0, 1]]), h, w


class Flipud(_Augmenter):
    def __init__(self, p: float = 0.5):
        self.p = float(p)

    def sample(self, h: int, w: int) -> Tuple[np.ndarray, int, int]:
        if np.random.rand() >= self.p:
            return np.eye(3), h, w
        return np.array([[1.0, 0, 0], [0, -1, h - 1], [0, 0, 1]]), h, w


class Affine(_Augmenter):
    """imgaug-style Affine about the image centre; the output keeps the input size.

    ``rotate`` and ``shear`` in degrees (positive rotates clockwise on screen), ``scale`` as a
    factor, ``translate_percent`` as a fraction of the image side (sampled per axis).
    """

    def __init__(self, rotate: Any = 0.0, scale: Any = 1.0, shear: Any = 0.0, translate_percent: Any = 0.0):
        self.rotate = _as_range(rotate, "Affine.rotate")
        self.scale = _as_range(scale, "Affine.scale")
        self.shear = _as_range(shear, "Affine.shear")
        self.translate = _as_range(translate_percent, "Affine.translate_percent")

    def sample(self, h: int, w: int) -> Tuple[np.ndarray, int, int]:
        angle = np.deg2rad(_uniform(self.rotate))
        scale = _uniform(self.scale)
        shear = np.tan(np.deg2rad(_uniform(self.shear)))
        tx, ty = _uniform(self.translate) * w, _uniform(self.translate) * h
        cx, cy = (w - 1) / 2.0, (h - 1) / 2.0
        cos, sin = np.cos(angle) * scale, np.sin(angle) * scale
        # With y down, [[cos, -sin], [sin, cos]] turns clockwise on screen.
        linear = np.array([[cos, -sin], [sin, cos]]) @ np.array([[1.0, shear], [0.0, 1.0]])
        m = np.eye(3)
        m[:2, :2] = linear
        m[:2, 2] = np.array([cx + tx, cy + ty]) - linear @ np.array([cx, cy])
        return m, h, w


class Resize(_Augmenter):
    """Scale both sides by one factor drawn from ``size`` (number or [low, high])."""

    def __init__(self, size: Any = 1.0):
        self.size = _as_range(size, "Resize.size")
        if self.size[0] <= 0:
            raise ConfigError(f"Resize.size must be positive, got {size!r}")

    def sample(self, h: int, w: int) -> Tuple[np.ndarray, int, int]:
        factor = _uniform(self.size)
        new_h, new_w = max(1, int(round(h * factor))), max(1, int(round(w * factor)))
        sx, sy = new_w / w, new_h / h
        # cv2.resize's pixel-centre mapping: x' = (x + 0.5) * s - 0.5.
        return np.array([[sx, 0, 0.5 * sx - 0.5], [0, sy, 0.5 * sy - 0.5], [0, 0, 1]]), new_h, new_w


AUGMENTERS = {cls.__name__: cls for cls in (Fliplr, Flipud, Affine, Resize)}


def build_augmenter(spec: Dict[str, Any], where: str) -> _Augmenter:
    """Build one ``{"type": Name, "args": {...}}`` entry, with ConfigErrors naming ``where``."""
    if not isinstance(spec, dict) or "type" not in spec:
        raise ConfigError(f"{where} must be {{type: Name, args: {{...}}}}, got {spec!r}")
    name = spec["type"]
    if name not in AUGMENTERS:
        raise ConfigError(f"unknown augmenter '{name}' at {where}. Valid types: {', '.join(sorted(AUGMENTERS))}."
                          + closest_hint(name, AUGMENTERS))
    args = spec.get("args") or {}
    try:
        return AUGMENTERS[name](**args)
    except TypeError as exc:
        raise ConfigError(f"bad args for {name} at {where}: {exc}") from None


@TRANSFORMS.register
class IaaAugment:
    """Apply the augmenters in order to ``data["image"]`` and ``data["polys"]``.

    Polygons are transformed with the same matrix and re-ordered clockwise from top-left (a flip
    mirrors the vertex order).
    """

    def __init__(self, augmenter_args: Optional[List[Dict[str, Any]]] = None):
        specs = DEFAULT_AUGMENTERS if augmenter_args is None else augmenter_args
        if not isinstance(specs, list):
            raise ConfigError(f"IaaAugment.augmenter_args must be a list, got {specs!r}")
        self.augmenters = [build_augmenter(s, f"IaaAugment.augmenter_args[{i}]") for i, s in enumerate(specs)]

    def __call__(self, data: Dict[str, Any]) -> Dict[str, Any]:
        img = data["image"]
        h, w = img.shape[:2]
        matrix = np.eye(3)
        for aug in self.augmenters:
            step, h, w = aug.sample(h, w)
            matrix = step @ matrix
        if (h, w) == img.shape[:2] and np.allclose(matrix, np.eye(3)):
            return data
        data["image"] = cv2.warpAffine(img, matrix[:2], (w, h), flags=cv2.INTER_LINEAR,
                                       borderMode=cv2.BORDER_CONSTANT, borderValue=0)
        if "polys" in data and len(data["polys"]):
            data["polys"] = transform_polys(np.asarray(data["polys"], np.float32), matrix)
        return data


def transform_polys(polys: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """Apply a 3x3 affine matrix to ``[N, 4, 2]`` points and restore clockwise-from-top-left order."""
    out = polys @ matrix[:2, :2].T.astype(np.float32) + matrix[:2, 2].astype(np.float32)
    return order_points_clockwise(out)
