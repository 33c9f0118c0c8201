"""Shared rendering primitives: rasterising a text line with exact ink boxes, text colours
and the random homography applied to whole pages and crops.

Coordinates follow OpenCV's convention (pixel centres at integers), so the box of ink
pixels ``l..r-1`` is the rectangle ``[l-0.5, r-0.5]`` and maps exactly through the same
homography that ``cv2.warpPerspective`` applies to the image.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Tuple

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

Box = Tuple[int, int, int, int]  # left, top, right (exclusive), bottom (exclusive)

# Dark ink colours (RGB); every one has luminance < 90 so ink is always darker than paper.
TEXT_COLORS = [
    (0, 0, 0), (20, 20, 20), (35, 35, 40), (50, 50, 50), (60, 55, 50),   # blacks/greys
    (10, 25, 80), (20, 40, 110), (0, 50, 100),                         # blues
    (110, 15, 15), (130, 20, 30),                                      # reds
    (10, 70, 30), (30, 80, 40),                                        # greens
    (80, 45, 15), (70, 30, 80),                                        # brown, purple
]


def sample_text_color(rng: np.random.Generator, black_bias: float = 0.6) -> Tuple[int, int, int]:
    """A dark text colour, black-ish with probability ``black_bias``, jittered slightly."""
    if rng.random() < black_bias:
        base = TEXT_COLORS[int(rng.integers(5))]
    else:
        base = TEXT_COLORS[int(rng.integers(5, len(TEXT_COLORS)))]
    jit = rng.integers(-8, 9, 3).tolist()
    r, g, b = (min(120, max(0, c + j)) for c, j in zip(base, jit))
    return int(r), int(g), int(b)


@dataclass
class RenderedLine:
    """One rasterised text segment placed on a page.

    ``mask`` is an 'L' image whose top-left corner sits at page position ``origin``;
    ``ink`` is the tight box of nonzero mask pixels in page coordinates, and ``words``
    holds (word, tight box) pairs when word boxes were requested.
    """

    text: str
    mask: Image.Image
    origin: Tuple[int, int]
    ink: Box
    words: List[Tuple[str, Box]] = field(default_factory=list)


def rasterize_line(font: ImageFont.FreeTypeFont, text: str, x: int, baseline: int,
                   words: bool = False) -> Optional[RenderedLine]:
    """Render ``text`` with its left baseline point at page position (x, baseline).

    Returns None when nothing visible is drawn. Word boxes are found by splitting the
    line mask at the middle of each inter-word space and taking the tight ink box of
    each slice, so they are exact even with kerning.
    """
    l, t, r, b = font.getbbox(text, anchor="ls")
    pad = 4 + max(1, font.size // 8)  # slack for overhangs (italics) beyond the metric bbox
    w, h = int(r - l) + 2 * pad, int(b - t) + 2 * pad
    if w <= 2 * pad or h <= 2 * pad:
        return None
    mask = Image.new("L", (w, h), 0)
    ox, oy = pad - int(l), pad - int(t)  # mask position of the (x, baseline) anchor
    ImageDraw.Draw(mask).text((ox, oy), text, fill=255, font=font, anchor="ls")
    bbox = mask.getbbox()
    if bbox is None:
        return None
    px, py = x - ox, baseline - oy
    line = RenderedLine(text, mask, (px, py),
                        (bbox[0] + px, bbox[1] + py, bbox[2] + px, bbox[3] + py))
    if words:
        arr = np.asarray(mask)
        space = font.getlength(" ")
        pos = 0
        parts = text.split(" ")
        for i, word in enumerate(parts):
            start, end = pos, pos + len(word)
            pos = end + 1
            if not word:
                continue
            c0 = 0 if i == 0 else int(round(ox + font.getlength(text[:start]) - space / 2))
            c1 = w if i == len(parts) - 1 else int(round(ox + font.getlength(text[:end])
                                                          + space / 2))
            sub = arr[:, max(c0, 0):max(c1, 0)]
            cols = np.flatnonzero(sub.any(axis=0))
            rows = np.flatnonzero(sub.any(axis=1))
            if cols.size == 0:
                continue
            c0 = max(c0, 0)
            line.words.append((word, (int(c0 + cols[0] + px), int(rows[0] + py),
                                      int(c0 + cols[-1] + 1 + px), int(rows[-1] + 1 + py))))
    return line


def box_to_quad(box: Box) -> np.ndarray:
    """(4, 2) float32 corners of the pixel area of ``box``, clockwise from top-left."""
    l, t, r, b = box
    x0, y0, x1, y1 = l - 0.5, t - 0.5, r - 0.5, b - 0.5
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32)


def fit_to_width(font: ImageFont.FreeTypeFont, text: str, width: float, cut_words: bool = False) -> str:
    """``text`` with trailing words dropped until it fits ``width`` pixels; a single word that is still too
    wide is cut letter by letter with ``cut_words``, else dropped (the result is then empty)."""
    while text and font.getlength(text) > width:
        if " " in text:
            text = text.rsplit(" ", 1)[0].rstrip()
        elif cut_words:
            text = text[:-1]
        else:
            text = ""
    return text.strip()


def rotate_with_quad(img: np.ndarray, quad: np.ndarray, angle: float) -> Tuple[np.ndarray, np.ndarray]:
    """Turn ``img`` (a mask or an RGBA patch, transparent where zero) and the quad on it counter-clockwise
    by ``angle`` degrees about the image centre, onto a canvas large enough to hold it."""
    h, w = img.shape[:2]
    rot = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(rot[0, 0]), abs(rot[0, 1])
    nw, nh = int(h * sin + w * cos) + 2, int(h * cos + w * sin) + 2
    rot[0, 2] += nw / 2 - w / 2
    rot[1, 2] += nh / 2 - h / 2
    out = cv2.warpAffine(img, rot, (nw, nh), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                         borderValue=(0,) * (img.shape[2] if img.ndim == 3 else 1))
    return out, np.hstack([quad, np.ones((4, 1), np.float32)]) @ rot.T.astype(np.float32)


def sample_homography(rng: np.random.Generator, w: int, h: int, max_angle: float = 5.0,
                      perspective: float = 0.03) -> np.ndarray:
    """A 3x3 homography: rotation up to ``max_angle`` degrees about the centre combined with
    a slight perspective (corners moved by up to ``perspective`` * size)."""
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    jitter = rng.uniform(-perspective, perspective, (4, 2)) * np.array([w, h])
    persp = cv2.getPerspectiveTransform(src, (src + jitter).astype(np.float32))
    ang = np.deg2rad(rng.uniform(-max_angle, max_angle))
    c, s = np.cos(ang), np.sin(ang)
    cx, cy = w / 2.0, h / 2.0
    rot = np.array([[c, -s, cx - c * cx + s * cy], [s, c, cy - s * cx - c * cy], [0, 0, 1]])
    return rot @ persp


def fit_canvas(H: np.ndarray, w: int, h: int) -> Tuple[np.ndarray, Tuple[int, int]]:
    """Shift ``H`` so the whole warped (w, h) image lands on a canvas; return (H', (W', H'))."""
    corners = np.array([[[-0.5, -0.5]], [[w - 0.5, -0.5]], [[w - 0.5, h - 0.5]], [[-0.5, h - 0.5]]],
                       np.float64)
    warped = cv2.perspectiveTransform(corners, H).reshape(-1, 2)
    mn = np.floor(warped.min(axis=0) + 0.5)
    mx = np.ceil(warped.max(axis=0) + 0.5)
    shift = np.array([[1, 0, -mn[0]], [0, 1, -mn[1]], [0, 0, 1]], np.float64)
    size = (int(mx[0] - mn[0]), int(mx[1] - mn[1]))
    return shift @ H, size


def warp_image(img: np.ndarray, H: np.ndarray, size: Tuple[int, int]) -> np.ndarray:
    """Warp an image with ``H`` onto a canvas of ``size`` (w, h), replicating the border
    so the exposed corners continue the paper rather than showing black wedges."""
    return cv2.warpPerspective(img, H, size, flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REPLICATE)


def warp_points(points: np.ndarray, H: np.ndarray) -> np.ndarray:
    """Map (N, 2) points through ``H``."""
    pts = np.asarray(points, np.float64).reshape(-1, 1, 2)
    return cv2.perspectiveTransform(pts, H).reshape(-1, 2)


class TextCanvas:
    """Drawn graphics (an RGB array) with text pasted on as masks; collects the labelled quads. Charts and
    diagrams use it: their text is placed by its ink box (centred in a box, hanging from a tick)."""

    def __init__(self, graphics: Image.Image):
        self.img = np.array(graphics)
        self.boxes: List[Tuple[str, np.ndarray]] = []

    def text(self, font, text: str, anchor_xy, color, angle: float = 0.0, align: str = "left",
             valign: str = "middle") -> bool:
        """Paste ``text`` with its ink box aligned at ``anchor_xy``; False (nothing drawn) if it would leave
        the image. A text turned counter-clockwise by ``angle`` degrees is anchored at the middle of its
        right end (a slanted axis label hangs from its tick) or, with ``align="center"``, at its centre."""
        if not text:
            return False
        line = rasterize_line(font, text, 0, 0)
        if line is None:
            return False
        mask = np.asarray(line.mask)
        quad = box_to_quad(line.ink) - np.float32(line.origin)
        if angle:
            mask, quad = rotate_with_quad(mask, quad, angle)
            ref = quad.mean(0) if align == "center" else (quad[1] + quad[2]) / 2
        else:
            x0, y0, x1, y1 = quad[0, 0], quad[0, 1], quad[2, 0], quad[2, 1]
            rx = {"left": x0, "right": x1, "center": (x0 + x1) / 2}[align]
            ry = {"top": y0, "bottom": y1, "middle": (y0 + y1) / 2}[valign]
            ref = np.array([rx, ry], np.float32)
        ox, oy = int(round(anchor_xy[0] - ref[0])), int(round(anchor_xy[1] - ref[1]))
        h, w = mask.shape
        H, W = self.img.shape[:2]
        placed = quad + np.array([ox, oy], np.float32)
        if ox < 0 or oy < 0 or ox + w > W or oy + h > H:
            return False
        alpha = mask[..., None].astype(np.float32) / 255
        region = self.img[oy:oy + h, ox:ox + w].astype(np.float32)
        self.img[oy:oy + h, ox:ox + w] = (region * (1 - alpha) + np.float32(color) * alpha).astype(np.uint8)
        self.boxes.append((text, placed))
        return True
