"""Scene-like pages: a few words or short lines on photo-like backgrounds (colour fields, shapes, lighting),
in large and bold fonts, coloured, sometimes outlined, shadowed or on a sign plate, each rotated by up to
+-30 degrees; then a mild perspective and camera-like degradations. One quad per item (per word with
``level="word"``)."""
from __future__ import annotations

from typing import List, Sequence, Tuple

import cv2
import numpy as np
from PIL import Image, ImageDraw

from .backgrounds import smooth_field, tiled_noise
from .corpus import TextSampler
from .degrade import apply_degrade, sample_degrade
from .fonts import FontInfo
from .layouts import contrasting_color, luminance
from .page import Page, TextBox, clip_boxes
from .render import fit_canvas, rotate_with_quad, sample_homography, warp_image, warp_points


def photo_background(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """An (h, w, 3) uint8 RGB image with the statistics of a photo rather than paper: smooth colour fields,
    a few blurred shapes, a lighting gradient and sensor-like grain."""
    low, high = sorted(rng.uniform(0, 255, 2))
    img = np.stack([smooth_field(rng, h, w, int(rng.integers(2, 8))) for _ in range(3)], axis=2)
    img = (img + 1) / 2 * (high - low + 40) + low - 20
    canvas = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(canvas)
    for _ in range(int(rng.integers(2, 9))):
        x0, x1 = sorted(rng.integers(-w // 4, w + w // 4, 2).tolist())
        y0, y1 = sorted(rng.integers(-h // 4, h + h // 4, 2).tolist())
        color = tuple(int(v) for v in rng.integers(0, 256, 3))
        if rng.random() < 0.5:
            draw.rectangle([x0, y0, x1, y1], fill=color)
        else:
            draw.ellipse([x0, y0, x1, y1], fill=color)
    img = np.asarray(canvas).astype(np.float32)
    img = cv2.GaussianBlur(img, (0, 0), float(rng.uniform(1.0, 6.0)))
    light = 1.0 + smooth_field(rng, h, w, 3)[..., None] * float(rng.uniform(0.05, 0.35))
    img = img * light + tiled_noise(rng, h, w)[..., None].astype(np.float32) * float(rng.uniform(0.05, 0.25))
    return np.clip(img, 0, 255).astype(np.uint8)


def _scene_text(rng: np.random.Generator, sampler: TextSampler, level: str) -> str:
    r = rng.random()
    if level == "word" or r < 0.45:
        text = sampler.word()
    elif r < 0.7:
        text = " ".join(sampler.word() for _ in range(int(rng.integers(2, 4))))
    elif r < 0.8:
        text = sampler.price()
    elif r < 0.9:
        text = sampler.code()
    else:
        text = sampler.short_line()
    return text.upper() if rng.random() < 0.4 else text


def _render_item(rng: np.random.Generator, font, text: str, background: np.ndarray
                 ) -> Tuple[np.ndarray, np.ndarray]:
    """RGBA patch with the text (and its plate, outline, shadow) and the text's ink quad in patch coordinates,
    already rotated."""
    plate = rng.random() < 0.3
    bg_mean = tuple(int(v) for v in background.reshape(-1, 3).mean(0))
    plate_color = tuple(int(v) for v in rng.integers(0, 256, 3)) if plate else None
    color = contrasting_color(rng, plate_color or bg_mean)
    if not plate and rng.random() < 0.4:  # a vivid colour, if it stands out from the background
        vivid = tuple(int(v) for v in rng.integers(0, 256, 3))
        if abs(luminance(vivid) - luminance(bg_mean)) > 90:
            color = vivid
    stroke = int(rng.integers(1, max(2, font.size // 12) + 1)) if rng.random() < 0.25 else 0
    stroke_color = contrasting_color(rng, color) if stroke else None
    l, t, r, b = font.getbbox(text, anchor="ls", stroke_width=stroke)
    pad = int(font.size * (0.6 if plate else 0.3)) + 4
    w, h = int(r - l) + 2 * pad, int(b - t) + 2 * pad
    patch = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(patch)
    if plate:
        draw.rounded_rectangle([pad // 3, pad // 3, w - pad // 3, h - pad // 3], radius=int(rng.integers(0, pad)),
                               fill=plate_color + (255,))
    origin = (pad - l, pad - t)
    if rng.random() < 0.25:  # drop shadow
        off = max(1, font.size // 15)
        draw.text((origin[0] + off, origin[1] + off), text, font=font, anchor="ls", fill=(0, 0, 0, 150))
    mask = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask).text(origin, text, font=font, anchor="ls", fill=255, stroke_width=stroke)
    x0, y0, x1, y1 = mask.getbbox() or (0, 0, w, h)
    draw.text(origin, text, font=font, anchor="ls", fill=color + (255,), stroke_width=stroke,
              stroke_fill=(stroke_color + (255,)) if stroke else None)
    quad = np.array([[x0 - 0.5, y0 - 0.5], [x1 - 0.5, y0 - 0.5], [x1 - 0.5, y1 - 0.5], [x0 - 0.5, y1 - 0.5]],
                    np.float32)
    angle = float(rng.normal(0, 8)) if rng.random() < 0.7 else float(rng.uniform(-30, 30))
    angle = float(np.clip(angle, -30, 30))
    return rotate_with_quad(np.asarray(patch), quad, angle)


def _text_size(rng: np.random.Generator, page_h: int, big: bool) -> int:
    """Text height in px: mostly 16-60 on scenes; on posters (``big``) most items are headline-sized, log-uniform
    from 40 px up to a third of the page (at most 260), since a detector that never saw such text splits it."""
    if big and rng.random() < 0.6:
        top = max(41, min(260, page_h // 3))
        return int(np.exp(rng.uniform(np.log(40), np.log(top))))
    return int(np.clip(rng.gamma(2.5, 12) + 16, 16, min(110, page_h // 3)))


def render_scene(rng: np.random.Generator, fonts: Sequence[FontInfo], cfg, charset: str, level: str = "line",
                 big: bool = False):
    """A scene-like :class:`~ppocr.synth.page.Page`; ``big``: a poster, most text headline-sized."""
    w = int(rng.integers(max(cfg.min_side, 320), max(cfg.max_side, 640) + 1))
    h = int(rng.integers(max(cfg.min_side, 320), max(cfg.max_side, 640) + 1))
    img = photo_background(rng, h, w)
    sampler = TextSampler(rng, charset, cfg.accents)
    allowed = set(charset)
    placed: List[Tuple[int, int, int, int]] = []
    boxes: List[TextBox] = []
    for _ in range(int(rng.integers(1, 8))):
        font_info = scene_font(rng, fonts)
        text = font_info.filter_text(_scene_text(rng, sampler, level), allowed)
        if not text:
            continue
        size = _text_size(rng, h, big)
        if big and size > 60:  # a headline: a word or two, or it will not fit at that size
            text = " ".join(text.split()[:1 + int(rng.random() < 0.3)])
        font = font_info.get(size)
        for _attempt in range(8):
            if big:  # rendered first, then put where it fits: a headline seldom fits at a random spot
                rgba, quad = _render_item(rng, font, text, img)
                ph, pw = rgba.shape[:2]
                if pw > w or ph > h:  # smaller next time
                    size = max(16, int(size * 0.7))
                    font = font_info.get(size)
                    continue
                x, y = int(rng.integers(0, w - pw + 1)), int(rng.integers(0, h - ph + 1))
            else:
                x, y = int(rng.integers(0, max(1, w - 40))), int(rng.integers(0, max(1, h - 20)))
                region = img[y:y + size * 2, x:x + size * 4]
                rgba, quad = _render_item(rng, font, text, region if region.size else img)
                ph, pw = rgba.shape[:2]
            box = (x, y, x + pw, y + ph)
            if x + pw > w or y + ph > h or any(_overlaps(box, other) for other in placed):
                continue
            alpha = rgba[..., 3:4].astype(np.float32) / 255
            area = img[y:y + ph, x:x + pw].astype(np.float32)
            img[y:y + ph, x:x + pw] = (area * (1 - alpha) + rgba[..., :3] * alpha).astype(np.uint8)
            placed.append(box)
            boxes.append(TextBox(text, quad + np.array([x, y], np.float32), size < 9))
            break
    if rng.random() < cfg.warp_prob:
        H = sample_homography(rng, w, h, cfg.max_angle, cfg.perspective * 2)
        H, size_wh = fit_canvas(H, w, h)
        img = warp_image(img, H, size_wh)
        for b in boxes:
            b.points = warp_points(b.points, H)
    boxes = clip_boxes(boxes, img.shape[1], img.shape[0])
    params = sample_degrade(rng, 30.0) if cfg.degrade else None
    if params is not None:
        img = apply_degrade(img, params, rng)
    return Page(np.ascontiguousarray(img), boxes, params.jpeg_quality if params else 95, params)


def scene_font(rng: np.random.Generator, fonts: Sequence[FontInfo]) -> FontInfo:
    """Half the time a bold face (signs and shop fronts favour them), else any."""
    bold = [f for f in fonts if f.bold]
    pool = bold if bold and rng.random() < 0.5 else list(fonts)
    return pool[int(rng.integers(len(pool)))]


def _overlaps(a: Tuple[int, int, int, int], b: Tuple[int, int, int, int], margin: int = 4) -> bool:
    return not (a[2] + margin <= b[0] or b[2] + margin <= a[0] or a[3] + margin <= b[1] or b[3] + margin <= a[1])
