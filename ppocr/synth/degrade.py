"""Photometric degradations (contrast, blur, grain, shadows, ink bleed, low resolution) and JPEG encoding.

Strengths are kept low on purpose: labels are exact, so the image must stay readable
at the labelled positions (no heavy blur that smears neighbouring lines together).
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .backgrounds import smooth_field, tiled_noise


@dataclass
class DegradeParams:
    """Per-image degradation settings (all drawn by :func:`sample_degrade`)."""

    contrast: float = 1.0
    brightness: float = 0.0
    blur_sigma: float = 0.0
    noise: float = 0.0
    jpeg_quality: int = 90
    downscale: float = 1.0  # < 1: shrink, then scale back up (a low-resolution capture)
    shadow: float = 0.0  # depth of a soft shadow / uneven lighting (multiplicative, 0..0.5)
    bleed: int = 0  # +k: ink spreads by k px (dark strokes thicken); -k: ink fades (strokes thin)


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
    smallest = max(0.4, 10.0 / max(text_height, 1.0))  # text stays >= 10 px high at the low resolution
    if rng.random() < 0.25 and smallest < 0.85:
        p.downscale = float(rng.uniform(smallest, 0.85))
    if rng.random() < 0.3:
        p.shadow = float(rng.uniform(0.1, 0.45))
    if rng.random() < 0.15 and text_height >= 14:
        p.bleed = int(rng.choice([-1, 1]))
    return p


def apply_degrade(img: np.ndarray, params: DegradeParams, rng: np.random.Generator) -> np.ndarray:
    """Apply contrast/brightness, blur and grain to an (h, w, 3) uint8 image."""
    out = img
    if params.bleed:  # grey-level morphology: erosion spreads dark ink, dilation thins it
        kernel = np.ones((2, 2), np.uint8)
        out = cv2.erode(out, kernel) if params.bleed > 0 else cv2.dilate(out, kernel)
    if params.shadow > 0:
        h, w = out.shape[:2]
        shade = 1.0 - params.shadow * (smooth_field(rng, h, w, int(rng.integers(2, 5))) + 1) / 2
        out = np.clip(out.astype(np.float32) * shade[..., None], 0, 255).astype(np.uint8)
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
    if params.downscale < 1.0:
        h, w = out.shape[:2]
        small = cv2.resize(out, (max(1, int(w * params.downscale)), max(1, int(h * params.downscale))),
                           interpolation=cv2.INTER_AREA)
        out = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    return out


def encode_jpeg(img_rgb: np.ndarray, quality: int) -> bytes:
    """Encode an RGB uint8 image as JPEG bytes (deterministic for the same input)."""
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(img_rgb, cv2.COLOR_RGB2BGR),
                           [int(cv2.IMWRITE_JPEG_QUALITY), int(quality)])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    return buf.tobytes()
