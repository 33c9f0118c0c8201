"""ppocr: train and run lightweight OCR models with PaddlePaddle.

``from ppocr import TextSystem`` gives the two-stage OCR system over exported models (its results are
``TextLine`` objects). Imports are lazy, so ``import ppocr`` has no side effects and does not load Paddle.
"""
from importlib import metadata as _metadata

try:  # one place: the package metadata, from setup.py (pip install -e . / pip install .)
    __version__ = _metadata.version("ppocr-lite")
except _metadata.PackageNotFoundError:
    __version__ = "unknown (not installed: pip install -e .)"


def __getattr__(name):
    if name in ("TextSystem", "TextLine"):
        from ppocr.infer import system

        return getattr(system, name)
    raise AttributeError(f"module 'ppocr' has no attribute {name!r}")
