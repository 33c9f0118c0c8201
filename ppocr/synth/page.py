"""The page model every page kind produces: its settings, its labelled boxes, the rendered page."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from .degrade import DegradeParams
from .render import warp_points

IGNORE_TEXT = "###"


@dataclass
class PageConfig:
    """Knobs for :func:`render_page`; defaults give the documented behaviour."""

    min_side: int = 400
    max_side: int = 1000
    min_font: int = 12
    max_font: int = 40
    max_angle: float = 5.0
    perspective: float = 0.025
    warp_prob: float = 0.85
    tiny_prob: float = 0.2
    decorations: bool = True
    degrade: bool = True
    # Page kinds and their weights: "document", "receipt", "screen" (see layouts.py), "scene" and "poster"
    # (scenes.py), "chart" (charts.py), "diagram" (diagrams.py), "pdf" (pdf_pages.py: pages of real PDFs),
    # "html" (html_pages.py: screenshots of web pages).
    kinds: Dict[str, float] = field(default_factory=lambda: {"document": 1.0})
    accents: float = 0.0  # chance that a word carries a Latin accent (the charset must hold the letters)
    # The "pdf" kind: the usable (path, page index) pairs (pdf_pages.scan_pdfs), the resolution range in dpi
    # and the longest side a rendered page may have (px).
    pdf_pages: Sequence[Tuple[str, int]] = ()
    pdf_dpi: Tuple[float, float] = (72.0, 200.0)
    pdf_max_side: int = 2200
    # The "html" kind (html_pages.py): the pages, and the share of screenshots photographed (the rest stay crisp).
    html_files: Sequence[str] = ()
    html_photo: float = 0.25


@dataclass
class TextBox:
    """A labelled quad: 4 (x, y) points clockwise from top-left."""

    text: str
    points: np.ndarray
    ignore: bool = False
    # Where known exactly (PDF pages), the line's words and their quads: recognition crops of long lines take
    # a run of whole words.
    words: Sequence[Tuple[str, np.ndarray]] = ()

    def moved(self, H: np.ndarray) -> None:
        """Map the quad (and the words' quads) through the homography ``H``."""
        self.points = warp_points(self.points, H)
        self.words = [(text, warp_points(quad, H)) for text, quad in self.words]

    def to_label(self) -> Dict[str, object]:
        """PaddleOCR detection label entry with coordinates rounded to 0.1 px."""
        pts = [[round(float(x), 1), round(float(y), 1)] for x, y in self.points]
        return {"transcription": IGNORE_TEXT if self.ignore else self.text, "points": pts}


@dataclass
class Page:
    """A rendered page: RGB image, its boxes, and the JPEG quality chosen for it."""

    image: np.ndarray
    boxes: List[TextBox]
    jpeg_quality: int = 90
    degrade: Optional[DegradeParams] = None

    def labels(self) -> List[Dict[str, object]]:
        """All boxes as PaddleOCR label dicts."""
        return [b.to_label() for b in self.boxes]


def polygon_area(p: np.ndarray) -> float:
    """Area of a polygon [N, 2] (shoelace formula)."""
    pts = p.tolist()
    s = 0.0
    for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1]):
        s += x0 * y1 - x1 * y0
    return abs(s) / 2.0


def clip_boxes(boxes: List[TextBox], w: int, h: int, min_visible: float = 0.5) -> List[TextBox]:
    """Clip quads to the image; drop those mostly outside (visible area < ``min_visible``)
    and degenerate ones."""
    out = []
    for b in boxes:
        area = polygon_area(b.points)
        if area <= 1.0:
            continue
        clipped = b.points.copy()
        clipped[:, 0] = np.clip(clipped[:, 0], 0, w - 1)
        clipped[:, 1] = np.clip(clipped[:, 1], 0, h - 1)
        vis = polygon_area(clipped)
        if vis < min_visible * area or vis <= 1.0:
            continue
        out.append(TextBox(b.text, clipped, b.ignore, b.words))
    return out
