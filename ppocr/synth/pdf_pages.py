"""Pages of real PDFs as exactly labelled OCR data: the page rendered with pdfium at a random resolution, each
text line's text and quadrilateral taken from the PDF's text layer.

Characters come in content order from pdfium's text page; a line ends at a line break, where the baseline
moves, where the writing direction turns, or at a gap wider than a few character heights (the next column).
A line's box is the tightest rectangle, along its direction, around its characters' glyph boxes: the ink, as
the generated kinds label it. Spaces are those of the text layer (pdfium adds them where words are set
apart). Text is NFKC-normalised (ligatures such as "\ufb01" become "fi"); typographic quotes and dashes become
their ASCII forms where the dictionary lacks them. Lines with other characters outside the dictionary, or
too small to read, are kept as ignore regions ("###").

A page drawn for a sample is left out, and another one drawn, when it has no text layer, when its text is
invisible (render mode 3: the OCR layer of a scan, whose boxes need not match the ink), or when its text does
not match the ink where it claims to be (most lines over blank paper); real_pages.SKIPPED counts why.
"""
from __future__ import annotations

import logging
import unicodedata
from typing import Dict, Iterable, List, Sequence, Tuple

import numpy as np

from .page import TextBox
from .real_pages import draw_usable, find_sources, finish_page, shows_ink

PDF_EXTENSION = ".pdf"
# Typographic marks and their ASCII forms, used when the dictionary has no glyph of its own for them.
ASCII_FORMS = {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u201c": '"',
               "\u201d": '"', "\u201e": '"', "\u2033": '"', "\u2010": "-", "\u2011": "-", "\u2012": "-",
               "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00ad": "-", "\u2022": "*", "\u2217": "*", "\u00a0": " ",
               "\x02": "-"}  # pdfium reports a hyphen that breaks a word at a line end as U+0002
INVISIBLE_MODE = 3  # PDF text render mode "neither fill nor stroke"
MAX_INVISIBLE_SHARE = 0.3  # a page whose text is more than this invisible is a scan's OCR layer
MIN_INKED_SHARE = 0.6  # a page is kept when at least this share of its lines shows ink where it claims to
MIN_TEXT_PX = 8  # lines lower than this (px, as rendered) are ignore regions
LINE_GAP = 2.5  # a gap wider than this many character heights starts a new line (another column)
SKIP_REASONS = ("no text layer", "invisible text (a scan's OCR layer)", "text without ink")


def find_pdfs(sources: Iterable[str]) -> List[str]:
    """Every .pdf among ``sources`` (files, or folders searched recursively), sorted."""
    return find_sources(sources, (PDF_EXTENSION,))


def normalise_text(text: str, charset: str) -> str:
    """NFKC (ligatures, full-width forms), typographic marks to ASCII where ``charset`` lacks them, and white
    space collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ASCII_FORMS[c] if c in ASCII_FORMS and c not in charset else c for c in text)
    return " ".join(text.split())


def _text_object_mode(textpage, index: int) -> int:
    import pypdfium2.raw as pdfium_c

    obj = pdfium_c.FPDFText_GetTextObject(textpage, index)
    return int(pdfium_c.FPDFTextObj_GetTextRenderMode(obj)) if obj else 0


class _LineBuilder:
    """Collects characters into lines (see the module doc)."""

    def __init__(self, page_height: float):
        self.page_height = page_height
        self.lines: List[Tuple[List[str], List[np.ndarray], float]] = []
        self.text: List[str] = []
        self.boxes: List[np.ndarray] = []
        self.angle = 0.0
        self.pending_space = False
        self.last_span = np.zeros((4, 2))

    def _frame(self):
        c, s = np.cos(self.angle), np.sin(self.angle)
        return np.array([c, -s]), np.array([s, c])  # along the text, and down across it (image axes)

    def close(self) -> None:
        if self.boxes:
            self.lines.append((self.text, self.boxes, self.angle))
        self.text, self.boxes, self.pending_space = [], [], False

    def _corners(self, box: Tuple[float, float, float, float]) -> np.ndarray:
        left, bottom, right, top = box
        y_top, y_bottom = self.page_height - top, self.page_height - bottom
        return np.array([[left, y_top], [right, y_top], [right, y_bottom], [left, y_bottom]], np.float64)

    def add(self, char: str, box: Tuple[float, float, float, float], loose: Tuple[float, float, float, float],
            angle: float) -> None:
        """``box``: the glyph's ink box; ``loose``: its advance box over the font's full height, which
        decides line breaks (ink boxes of "e" and "l" differ in height and leave uneven gaps)."""
        corners, span = self._corners(box), self._corners(loose)
        if self.boxes:
            along, down = self._frame()
            height = max(float(np.ptp(self.last_span @ down)), 1e-3)
            gap = float(np.min(span @ along) - np.max(self.last_span @ along))
            shift = abs(float(np.mean(span @ down) - np.mean(self.last_span @ down)))
            if abs(angle - self.angle) > 0.05 or shift > 0.5 * height or not -height < gap < LINE_GAP * height:
                self.close()
        if not self.boxes:
            self.angle = angle
        elif self.pending_space:
            self.text.append(" ")
        self.pending_space = False
        self.text.append(char)
        self.boxes.append(corners)
        self.last_span = span

    def space(self) -> None:
        if self.boxes:
            self.pending_space = True

    def _quad(self, boxes: Sequence[np.ndarray]) -> np.ndarray:
        """The tightest rectangle along the text direction around ``boxes``' corners, clockwise from top-left."""
        along, down = self._frame()
        points = np.concatenate(boxes)
        u, v = points @ along, points @ down
        return np.array([along * a + down * b for a, b in ((u.min(), v.min()), (u.max(), v.min()),
                                                           (u.max(), v.max()), (u.min(), v.max()))], np.float32)

    def quads(self) -> List[Tuple[str, np.ndarray, List[Tuple[str, np.ndarray]]]]:
        """Each line as (text, quad, [(word, quad), ...]); ``text`` holds one character per glyph box, spaces
        between."""
        out = []
        for chars, boxes, angle in self.lines:
            self.angle = angle
            words, word_chars, word_boxes, glyphs = [], [], [], iter(boxes)
            for char in chars + [" "]:
                if char != " ":
                    word_chars.append(char)
                    word_boxes.append(next(glyphs))
                elif word_chars:
                    words.append(("".join(word_chars), self._quad(word_boxes)))
                    word_chars, word_boxes = [], []
            out.append(("".join(chars), self._quad(boxes), words))
        return out


def _loose_box(textpage, index: int) -> Tuple[float, float, float, float]:
    """(left, bottom, right, top) of the character's advance over the font's ascent and descent."""
    import pypdfium2.raw as pdfium_c

    rect = pdfium_c.FS_RECTF()
    pdfium_c.FPDFText_GetLooseCharBox(textpage, index, rect)
    return rect.left, rect.bottom, rect.right, rect.top


def read_lines(page) -> Tuple[List[Tuple[str, np.ndarray, List[Tuple[str, np.ndarray]]]], int, int]:
    """``(lines, characters, invisible characters)`` of a pypdfium2 page: each line as raw text, quad (PDF
    points, y down) and words with their quads. Characters in invisible render mode are counted and left out
    of the lines."""
    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        builder = _LineBuilder(page.get_height())
        invisible = 0
        for i in range(count):
            char = chr(pdfium_c.FPDFText_GetUnicode(textpage, i))
            if char in "\r\n":
                builder.close()
                continue
            if char.isspace() and char != "\u00a0":
                builder.space()
                continue
            if _text_object_mode(textpage, i) == INVISIBLE_MODE:
                invisible += 1
                continue
            box = textpage.get_charbox(i)
            if box[2] - box[0] <= 0 or box[3] - box[1] <= 0:
                continue  # no glyph box (a zero-width mark): nothing to locate
            builder.add(char, box, _loose_box(textpage, i), float(pdfium_c.FPDFText_GetCharAngle(textpage, i)))
        builder.close()
        return builder.quads(), count, invisible
    finally:
        textpage.close()


def list_pages(paths: Sequence[str]) -> Tuple[List[Tuple[str, int]], List[str]]:
    """``(pages, unreadable)``: every (path, page index) of the readable ``paths``, and the files pdfium could
    not open (logged)."""
    import pypdfium2 as pdfium

    pages, unreadable = [], []
    for path in paths:
        try:
            doc = pdfium.PdfDocument(path)
        except (pdfium.PdfiumError, OSError) as e:
            logging.getLogger("ppocr").warning(f"skipping {path}: {e}")
            unreadable.append(path)
            continue
        pages += [(path, i) for i in range(len(doc))]
        doc.close()
    return pages, unreadable


_open_docs: Dict[str, object] = {}


def _document(path: str):
    """Open documents, kept per process (samples come back to the same files)."""
    import pypdfium2 as pdfium

    if path not in _open_docs:
        if len(_open_docs) >= 16:
            _open_docs.pop(next(iter(_open_docs))).close()
        _open_docs[path] = pdfium.PdfDocument(path)
    return _open_docs[path]


def _draw_page(rng: np.random.Generator, path: str, index: int, cfg, charset: str):
    """``(RGB image, boxes)`` of one page at a random resolution, or the reason it is left out."""
    page = _document(path)[index]
    try:
        lines, count, invisible = read_lines(page)
        if count == 0 or (not lines and not invisible):
            return SKIP_REASONS[0]
        if invisible > MAX_INVISIBLE_SHARE * count:
            return SKIP_REASONS[1]
        width, height = page.get_size()
        scale = min(float(rng.uniform(*cfg.pdf_dpi)) / 72.0, cfg.pdf_max_side / max(width, height))
        img = np.array(page.render(scale=scale).to_pil().convert("RGB"))
    finally:
        page.close()
    gray = img.min(axis=2)
    boxes = []
    for raw, quad, words in lines:
        quad = quad * scale
        if not shows_ink(gray, quad):
            continue  # white or hidden text: neither a label nor an ignore region
        text = normalise_text(raw, charset)
        low = min(np.linalg.norm(quad[3] - quad[0]), np.linalg.norm(quad[2] - quad[1])) < MIN_TEXT_PX
        ignore = not text or low or any(c not in charset for c in text)
        words = [] if ignore else [(normalise_text(w, charset), q * scale) for w, q in words]
        boxes.append(TextBox(text, quad, ignore, words))
    if len(boxes) < MIN_INKED_SHARE * len(lines):  # boxes: the lines that show ink
        return SKIP_REASONS[2]
    return img, boxes


def render_pdf_page(rng: np.random.Generator, pages: Sequence[Tuple[str, int]], cfg, charset: str):
    """A :class:`~ppocr.synth.page.Page` (one box per line) from a random usable page of ``pages``,
    rendered at a random resolution in ``cfg.pdf_dpi`` (the longer side kept within ``cfg.pdf_max_side``),
    then warped and degraded like the generated kinds, the boxes moved exactly."""
    img, boxes = draw_usable(rng, pages, lambda page: _draw_page(rng, *page, cfg, charset), "--src PDFs")
    return finish_page(rng, img, boxes, cfg, photographed=True)
