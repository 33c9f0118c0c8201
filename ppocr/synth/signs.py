"""Words photographed on signs and shop fronts (rec kind ``sign``), in the style of the ICDAR2015 and
IIIT5K word crops: display faces with 3D extrusion, outlines, glow, emboss or gradient fills, letter
spacing, on photo-like or plate backgrounds, then taken by a camera: small (10-40 px high), motion or
focus blur, low contrast, colour casts, noise and strong JPEG, cut tightly (letters may touch the edge).

The page kind ``scene`` places clean words on a page; these crops are the hard end of the same text.
"""
from __future__ import annotations

from typing import Sequence

import cv2
import numpy as np
from PIL import Image, ImageDraw

from .corpus import TextSampler
from .fonts import FontInfo
from .layouts import contrasting_color, luminance
from .rec_crops import Crop, choose_text
from .scenes import photo_background, scene_font

_RENDER_PX = 64  # glyphs are drawn large, then the camera makes them small


def _sign_text(rng: np.random.Generator, sampler: TextSampler) -> str:
    r = rng.random()
    if r < 0.6:
        text = sampler.word()
    elif r < 0.75:
        text = " ".join(sampler.word() for _ in range(2))
    elif r < 0.85:
        text = sampler.price() if rng.random() < 0.5 else sampler.integer()
    elif r < 0.92:
        text = sampler.code()
    else:
        text = sampler.email()
    case = rng.random()
    return text.upper() if case < 0.5 else text.capitalize() if case < 0.8 else text


def _text_mask(font, text: str, tracking: float, stroke: int) -> Image.Image:
    """An "L" mask of ``text`` with ``tracking`` extra ems between letters (signs are often spaced out)."""
    pad = _RENDER_PX
    advance = [font.getlength(c) + tracking * font.size for c in text]
    w = int(sum(advance)) + 2 * pad
    h = int(font.size * 1.6) + 2 * pad
    mask = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(mask)
    x = float(pad)
    for c, a in zip(text, advance):
        draw.text((x, pad + font.size), c, font=font, anchor="ls", fill=255, stroke_width=stroke, stroke_fill=255)
        x += a
    return mask


def _shifted(mask: np.ndarray, dx: int, dy: int) -> np.ndarray:
    return np.roll(np.roll(mask, dy, axis=0), dx, axis=1)


def _compose(rng: np.random.Generator, font, text: str) -> np.ndarray:
    """The sign: background, effects and text, as a float32 RGB image around the text."""
    tracking = float(rng.uniform(0.05, 0.4)) if rng.random() < 0.3 else 0.0
    glyphs = np.asarray(_text_mask(font, text, tracking, 0), np.float32) / 255
    h, w = glyphs.shape
    plate = rng.random() < 0.5
    bg = (np.tile(rng.integers(0, 256, 3).astype(np.float32), (h, w, 1)) if plate
          else photo_background(rng, h, w).astype(np.float32))
    if plate and rng.random() < 0.5:  # a plate lit from one side
        bg *= np.linspace(float(rng.uniform(0.6, 1.0)), float(rng.uniform(0.8, 1.2)), w)[None, :, None]
    bg_mean = tuple(int(v) for v in np.clip(bg.reshape(-1, 3).mean(0), 0, 255))
    color = np.float32(contrasting_color(rng, bg_mean))
    if rng.random() < 0.4:
        vivid = rng.integers(0, 256, 3)
        if abs(luminance(tuple(int(v) for v in vivid)) - luminance(bg_mean)) > 80:
            color = vivid.astype(np.float32)
    img = bg.copy()

    def paint(mask: np.ndarray, rgb) -> None:
        img[:] = img * (1 - mask[..., None]) + np.float32(rgb) * mask[..., None]

    effect = rng.random()
    unit = max(1, font.size // 20)
    if effect < 0.2:  # 3D extrusion: the letters' sides in a darker shade
        dx, dy = (int(v) for v in rng.choice([-1, 1], 2))
        side = color * 0.45
        for i in range(int(rng.integers(2, 6)), 0, -1):
            paint(_shifted(glyphs, dx * i * unit, dy * i * unit), side)
    elif effect < 0.35:  # outline
        stroke = int(rng.integers(2, 5))
        outline = np.asarray(_text_mask(font, text, tracking, stroke), np.float32) / 255
        paint(outline, contrasting_color(rng, tuple(int(v) for v in color)))
    elif effect < 0.5:  # drop shadow
        blur = float(rng.uniform(1, 4))
        paint(cv2.GaussianBlur(_shifted(glyphs, 3 * unit, 3 * unit), (0, 0), blur) * 0.7, (0, 0, 0))
    elif effect < 0.6:  # backlit letters with a glow
        paint(np.clip(cv2.GaussianBlur(glyphs, (0, 0), font.size / 8) * 1.5, 0, 1), color * 0.8 + 50)
    elif effect < 0.7:  # embossed in the plate: same colour, lit edges
        paint(_shifted(glyphs, -unit, -unit) * 0.6, np.minimum(np.float32(bg_mean) + 70, 255))
        paint(_shifted(glyphs, unit, unit) * 0.6, np.float32(bg_mean) * 0.4)
        color = np.float32(bg_mean)
    if rng.random() < 0.25:  # gradient fill (gold, chrome, neon)
        other = color * 0.5 + rng.integers(0, 256, 3).astype(np.float32) * 0.5
        t = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
        fill = color * (1 - t) + other * t
        img[:] = img * (1 - glyphs[..., None]) + fill * glyphs[..., None]
    else:
        paint(glyphs, color)
    ys, xs = np.nonzero(glyphs > 0.3)
    if len(xs) == 0:
        return img
    # A tight, uneven cut: up to a quarter of the height around the ink, sometimes into the letters.
    th = ys.max() - ys.min() + 1
    m = rng.uniform(-0.06, 0.3, 4) * th
    y0, y1 = int(max(0, ys.min() - m[0])), int(min(h, ys.max() + 1 + m[1]))
    x0, x1 = int(max(0, xs.min() - m[2])), int(min(w, xs.max() + 1 + m[3]))
    return img[y0:y1, x0:x1]


def _camera(rng: np.random.Generator, img: np.ndarray) -> np.ndarray:
    """Small tilt and perspective, a low-resolution take with motion or focus blur, low contrast, a colour
    cast and sensor noise; returns uint8 RGB at the final (small) size."""
    h, w = img.shape[:2]
    j = 0.06 * h
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = src + rng.uniform(-j, j, (4, 2)).astype(np.float32)
    dst -= dst.min(0)
    size = (int(dst[:, 0].max()) + 1, int(dst[:, 1].max()) + 1)
    img = cv2.warpPerspective(img, cv2.getPerspectiveTransform(src, dst), size, borderMode=cv2.BORDER_REPLICATE)
    if rng.random() < 0.3:
        k = int(rng.integers(3, 9))
        kernel = np.zeros((k, k), np.float32)
        kernel[k // 2] = 1.0 / k
        rot = cv2.getRotationMatrix2D((k / 2 - 0.5, k / 2 - 0.5), float(rng.uniform(0, 180)), 1.0)
        kernel = cv2.warpAffine(kernel, rot, (k, k))
        img = cv2.filter2D(img, -1, kernel / max(kernel.sum(), 1e-6))
    target_h = float(np.exp(rng.uniform(np.log(10), np.log(40))))
    s = target_h / img.shape[0]
    img = cv2.resize(img, (max(4, round(img.shape[1] * s)), max(4, round(target_h))), interpolation=cv2.INTER_AREA)
    if rng.random() < 0.5:
        img = cv2.GaussianBlur(img, (0, 0), float(rng.uniform(0.3, 1.2)))
    if rng.random() < 0.5:  # haze, glare or a dim shot: contrast pulled towards the mean
        a = float(rng.uniform(0.5, 0.9))
        img = img * a + img.mean((0, 1), keepdims=True) * (1 - a) + float(rng.uniform(-30, 30))
    img = img * rng.uniform(0.8, 1.2, 3).astype(np.float32)  # white balance
    img = img + rng.normal(0, float(rng.uniform(0, 10)), img.shape).astype(np.float32)
    return np.clip(img, 0, 255).astype(np.uint8)


def render_sign_crop(rng: np.random.Generator, fonts: Sequence[FontInfo], max_len: int, charset: str) -> Crop:
    """One photographed sign word (or short field), 10..40 px high."""
    font_info = scene_font(rng, fonts)
    sampler = TextSampler(rng, charset)
    text = choose_text(rng, lambda: _sign_text(rng, sampler)[:max_len].strip(), font_info, charset, max_len)
    font = font_info.get(_RENDER_PX)
    img = _camera(rng, _compose(rng, font, text))
    return Crop(img, text, int(rng.integers(20, 81)))
