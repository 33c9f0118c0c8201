"""Synthetic OCR training data: document pages for detection, line crops for recognition.

Entry points: :func:`generate` (whole datasets, used by ``tools/gen_data.py``),
:func:`render_page` and :func:`render_crop` (single samples), :func:`discover_fonts`.
Importing this package only defines names; fonts are discovered when asked for.
"""
from .corpus import DEFAULT_CHARSET, TextSampler
from .fonts import FontError, FontInfo, discover_fonts, find_font_files, load_font
from .generate import GenConfig, GenStats, generate, make_det_sample, make_rec_sample, resources_line, summary_line
from .page import IGNORE_TEXT, Page, PageConfig, TextBox, clip_boxes
from .pages import render_page
from .rec_crops import Crop, CropConfig, render_crop
from .seeds import sample_rng

__all__ = [
    "DEFAULT_CHARSET", "TextSampler", "IGNORE_TEXT", "Page", "PageConfig", "TextBox",
    "clip_boxes", "render_page", "FontError", "FontInfo", "discover_fonts", "find_font_files",
    "load_font", "GenConfig", "GenStats", "generate", "make_det_sample", "make_rec_sample",
    "resources_line", "sample_rng", "summary_line", "Crop", "CropConfig", "render_crop",
]
