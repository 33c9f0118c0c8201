"""Font discovery, loading and glyph-coverage checks for the synthetic data generator.

Coverage is checked by rendering: Pillow exposes no cmap, so a character counts as
missing when it renders to nothing or to the same bitmap as a codepoint that no font maps
(U+FFFF, a Unicode noncharacter), i.e. the font's ``.notdef`` "tofu" box.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Container, Dict, Iterable, List, Optional, Sequence, Tuple

from PIL import ImageFont

from ppocr.resources import bundled_font_dir

from .hermetic import hermetic

FONT_EXTENSIONS = (".ttf", ".otf", ".ttc")
# Fonts whose glyphs are pictograms or math symbols rather than readable text.
SKIP_NAME_PARTS = ("math", "symbol", "emoji", "dingbat", "wingding", "webding", "icon",
                   "braille", "ornament", "cursor")
BUNDLED_FONT_DIR = bundled_font_dir()
SYSTEM_FONT_DIR = Path("/usr/share/fonts")
_MISSING_PROBE = "\uffff"
_PROBE_SIZE = 24


class FontError(RuntimeError):
    """No usable font could be found or loaded."""


def default_font_dirs() -> List[Path]:
    """Directories searched when no ``--fonts`` directory is given (only the bundled one when hermetic)."""
    return [BUNDLED_FONT_DIR] if hermetic() else [BUNDLED_FONT_DIR, SYSTEM_FONT_DIR]


def _skip_by_name(path: Path) -> bool:
    name = path.name.lower()
    return any(part in name for part in SKIP_NAME_PARTS)


def find_font_files(dirs: Iterable[os.PathLike]) -> List[Path]:
    """Recursively list font files under ``dirs``, sorted, without duplicates or symbol fonts.

    The same font shipped twice (e.g. bundled copy and system copy) is kept once, by file
    name, so that the font mix does not depend on which directories happen to exist.
    """
    seen: Dict[str, Path] = {}
    for d in dirs:
        d = Path(d)
        if not d.is_dir():
            continue
        for root, _dirs, files in os.walk(d, followlinks=True):
            for fn in sorted(files):
                p = Path(root) / fn
                if p.suffix.lower() in FONT_EXTENSIONS and not _skip_by_name(p):
                    seen.setdefault(fn.lower(), p)
    return sorted(seen.values(), key=lambda p: (p.name.lower(), str(p)))


@dataclass
class FontInfo:
    """A loadable font file plus cached sizes and glyph coverage."""

    path: str
    name: str
    bold: bool = False
    italic: bool = False
    mono: bool = False
    serif: bool = False
    light: bool = False
    _sizes: Dict[int, ImageFont.FreeTypeFont] = field(default_factory=dict, repr=False)
    _coverage: Dict[str, bool] = field(default_factory=dict, repr=False)
    _notdef: Optional[Tuple[Tuple[int, int], bytes]] = field(default=None, repr=False)

    def get(self, size: int) -> ImageFont.FreeTypeFont:
        """The font at pixel ``size`` (cached); uses Pillow's basic layout for speed."""
        size = int(size)
        font = self._sizes.get(size)
        if font is None:
            font = ImageFont.truetype(self.path, size, layout_engine=ImageFont.Layout.BASIC)
            self._sizes[size] = font
        return font

    def _mask_key(self, ch: str) -> Tuple[Tuple[int, int], bytes]:
        mask = self.get(_PROBE_SIZE).getmask(ch)
        return mask.size, bytes(mask)

    def has_glyph(self, ch: str) -> bool:
        """True if ``ch`` draws a real glyph (a space counts if it has a positive advance)."""
        hit = self._coverage.get(ch)
        if hit is not None:
            return hit
        if ch.isspace():
            hit = ch == " " and self.get(_PROBE_SIZE).getlength(" ") > 0
        else:
            if self._notdef is None:
                self._notdef = self._mask_key(_MISSING_PROBE)
            key = self._mask_key(ch)
            hit = key != self._notdef and any(key[1])
        self._coverage[ch] = hit
        return hit

    def covers(self, text: str) -> bool:
        """True if every character of ``text`` has a glyph."""
        return all(self.has_glyph(c) for c in text)

    def filter_text(self, text: str, charset: Optional[Container[str]] = None) -> str:
        """Drop characters this font cannot draw (and, given ``charset``, those outside it), then collapse
        repeated/edge spaces."""
        kept = "".join(c for c in text if (charset is None or c in charset) and self.has_glyph(c))
        return " ".join(kept.split())


def load_font(path: os.PathLike) -> Optional[FontInfo]:
    """Load ``path`` as a FontInfo, or return None if it is unusable for Latin text."""
    try:
        font = ImageFont.truetype(str(path), _PROBE_SIZE, layout_engine=ImageFont.Layout.BASIC)
        family, style = font.getname()
    except (OSError, ValueError):
        return None
    family = family or Path(path).stem
    style = (style or "").lower()
    lname = (family + " " + Path(path).stem).lower()
    info = FontInfo(path=str(path), name=f"{family} {style}".strip(),
                    bold="bold" in style or "black" in style or "heavy" in style,
                    italic="italic" in style or "oblique" in style,
                    mono="mono" in lname or "courier" in lname,
                    serif="serif" in lname and "sans" not in lname,
                    light=any(w in style for w in ("light", "thin", "hairline")))
    info._sizes[_PROBE_SIZE] = font
    if any(p in family.lower() for p in SKIP_NAME_PARTS):
        return None
    # A text font must at least draw the basic Latin letters and digits, as letters.
    if not all(info.has_glyph(c) for c in "AaEeMmZz09") or not draws_latin_letters(font):
        return None
    return info


def draws_latin_letters(font: ImageFont.FreeTypeFont) -> bool:
    """False for fonts that put pictograms where the letters should be (e.g. URW's D050000L, a Dingbats
    clone whose name says nothing): in a Latin font, "x" is shorter than "X" or "p" descends below "x"."""
    x, big_x, p = font.getbbox("x"), font.getbbox("X"), font.getbbox("p")
    cap_height = max(big_x[3] - big_x[1], 1)
    return (x[3] - x[1]) < 0.9 * cap_height or (p[3] - x[3]) > 0.1 * cap_height


def discover_fonts(font_dir: Optional[os.PathLike] = None) -> List[FontInfo]:
    """Load all usable fonts under ``font_dir`` (or the default directories).

    Raises FontError with a clear message when nothing usable is found.
    """
    dirs: Sequence[os.PathLike] = [font_dir] if font_dir is not None else default_font_dirs()
    if font_dir is not None and not Path(font_dir).is_dir():
        raise FontError(f"font directory not found: {font_dir}")
    fonts = [f for f in (load_font(p) for p in find_font_files(dirs)) if f is not None]
    if not fonts:
        where = ", ".join(str(d) for d in dirs)
        raise FontError(f"no usable .ttf/.otf/.ttc fonts found under {where}; "
                        "pass --fonts DIR pointing at a folder of text fonts")
    return fonts
