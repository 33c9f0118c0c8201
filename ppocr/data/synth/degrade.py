"""Mild photometric degradations and JPEG encoding.

Strengths are kept low on purpose: labels are exact, so the image must stay readable
at the labelled positions (no heavy blur that smears neighbouring lines together).
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .backgrounds import tiled_noise


@dataclass
class DegradeParams:
    """Per-image degradation settings (all drawn by :func:`sample_degrade`)."""

    contrast: float = 1.0
    brightness: float = 0.0
    blur_sigma: float = 0.0
    noise: float = 0.0
    jpeg_quality: int = 90


def sample_degrade(rng: np.random.Generator, text_height: float = 24.0) -> DegradeParams:
    """Draw mild random settings; blur is capped relative to the text height."""
    p = DegradeParams()
    p.contrast = float(rng.uniform(0.82, 1.12))
    p.brightness = float(rng.uniform(-18, 14))
    if rng.random() < 0.55:
        p.blur_sigma = float(rng.uniform(0.3, min(1.2, 0.3 + text_height / 40.0)))
    if rng.random() < 0.6:
        p.noise = float(rng.uniform(0.05, 0.3))
    p.jpeg_quality = int(rng.integers(60, 96))
    return p


def apply_degrade(img: np.ndarray, params: DegradeParams, rng: np.random.Generator) -> np.ndarray:
    """Apply contrast/brightness, blur and grain to an (h, w, 3) uint8 image."""
    out = img
    if params.contrast != 1.0 or params.brightness != 0.0:
        # Contrast pivots around mid-grey so paper stays light and ink stays dark.
        lut = np.clip((np.arange(256, dtype=np.float32) - 128.0) * params.contrast + 128.0
                      + params.brightness, 0, 255).astype(np.uint8)
        out = cv2.LUT(out, lut)
    if params.blur_sigma > 0:
        out = cv2.GaussianBlur(out, (0, 0), params.blur_sigma)
    if params.noise > 0:
        n = tiled_noise(rng, out.shape[0], out.shape[1])
        n = (n.astype(np.float32) * np.float32(params.noise)).astype(np.int16)
        # Same grain on all channels (luminance noise); cv2.add saturates to uint8.
        out = cv2.add(out, cv2.merge([n, n, n]), dtype=cv2.CV_8U)
    return out


def encode_jpeg(img_rgb: np.ndarray, quality: int) -> bytes:
    """Encode an RGB uint8 image as JPEG bytes (deterministic for the same input)."""
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(img_rgb, cv2.COLOR_RGB2BGR),
                           [int(cv2.IMWRITE_JPEG_QUALITY), int(quality)])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    return buf.tobytes()
