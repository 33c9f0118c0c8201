"""Light paper-like backgrounds: plain, gradient, blotchy noise and fine texture.

Full-resolution random noise is the slowest part of a page, so fine grain comes from a
fixed noise tile (built once per process from a constant seed, hence identical in every
worker) read at a random offset chosen by the page's own generator.
"""
from __future__ import annotations

from typing import Optional

import cv2
import numpy as np

_TILE = 512
_noise_tile: Optional[np.ndarray] = None


def noise_tile() -> np.ndarray:
    """A (2*_TILE, 2*_TILE) int16 zero-mean noise tile in about [-64, 64], built lazily.

    Stored twice in each direction so any _TILE x _TILE window is a plain slice.
    """
    global _noise_tile
    if _noise_tile is None:
        g = np.random.default_rng(20240611)
        base = np.clip(g.normal(0.0, 21.0, (_TILE, _TILE)), -64, 64).astype(np.int16)
        _noise_tile = np.tile(base, (2, 2))
    return _noise_tile


def tiled_noise(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """(h, w) int16 noise cut from the shared tile at random offsets/flips."""
    tile = noise_tile()
    out = np.empty((h, w), np.int16)
    for y in range(0, h, _TILE):
        for x in range(0, w, _TILE):
            oy, ox = (int(v) for v in rng.integers(0, _TILE, 2))
            hh, ww = min(_TILE, h - y), min(_TILE, w - x)
            out[y:y + hh, x:x + ww] = tile[oy:oy + hh, ox:ox + ww]
    if rng.random() < 0.5:
        out = out[:, ::-1]
    return out


def smooth_field(rng: np.random.Generator, h: int, w: int, cells: int) -> np.ndarray:
    """(h, w) float32 low-frequency field in [-1, 1] (random grid upsampled bicubically)."""
    gh = max(2, int(round(cells * h / max(h, w))))
    gw = max(2, int(round(cells * w / max(h, w))))
    grid = rng.uniform(-1.0, 1.0, (gh, gw)).astype(np.float32)
    return cv2.resize(grid, (w, h), interpolation=cv2.INTER_CUBIC)


def paper_color(rng: np.random.Generator) -> np.ndarray:
    """A light RGB paper tone: white, cream, grey-ish or faintly tinted."""
    base = rng.uniform(222, 254)
    tint = rng.normal(0.0, 4.0, 3)
    if rng.random() < 0.3:  # cream / yellowed paper
        tint += np.array([4.0, 2.0, -8.0])
    return np.clip(base + tint, 205, 255).astype(np.float32)


def make_background(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """A light (h, w, 3) uint8 RGB background; every pixel stays at or above 170."""
    color = paper_color(rng)
    kind = rng.choice(4, p=[0.3, 0.25, 0.25, 0.2])
    lum: Optional[np.ndarray] = None  # additive luminance offset, float32 (h, w)
    if kind == 1:  # linear gradient (uneven lighting)
        ang = rng.uniform(0, 2 * np.pi)
        amp = np.float32(rng.uniform(8, 30))
        ys = np.linspace(-0.5, 0.5, h, dtype=np.float32)[:, None] * np.float32(np.sin(ang)) * amp
        xs = np.linspace(-0.5, 0.5, w, dtype=np.float32)[None, :] * np.float32(np.cos(ang)) * amp
        lum = ys + xs
    elif kind == 2:  # blotchy low-frequency noise (stains, uneven print)
        lum = smooth_field(rng, h, w, int(rng.integers(3, 10))) * np.float32(rng.uniform(4, 14))
    elif kind == 3:  # fibres / grain: anisotropic blurred noise
        n = tiled_noise(rng, h, w).astype(np.float32)
        k = int(rng.integers(1, 4)) * 2 + 1
        n = cv2.blur(n, (k * 3, k) if rng.random() < 0.5 else (k, k))
        lum = n * np.float32(rng.uniform(0.2, 0.45))
    if rng.random() < 0.5:  # faint fine grain on top of any kind
        grain = tiled_noise(rng, h, w).astype(np.float32) * np.float32(rng.uniform(0.03, 0.12))
        lum = grain if lum is None else lum + grain
    if lum is None:
        img = np.empty((h, w, 3), np.uint8)
        img[:] = np.round(color).astype(np.uint8)
        return img
    # cv2 per-channel affine+saturate is ~40x faster than numpy broadcasting here.
    img = cv2.merge([cv2.convertScaleAbs(lum, alpha=1.0, beta=float(c)) for c in color])
    return np.maximum(img, 170, out=img)
