"""Where the files the package uses but does not hold are found: the shipped models (``inference/``) and the
bundled fonts (``doc/fonts/``).

In a checkout or an editable install (``pip install -e .``) that is the repository root. A regular install
(``pip install .``) copies them to ``<prefix>/share/ppocr-lite/``, beside the ``lib/pythonX.Y/site-packages``
that holds the package. ``PPOCR_HOME`` names another folder with the same layout.
"""
import os
from pathlib import Path

HOME_ENV = "PPOCR_HOME"
SHARE_NAME = "ppocr-lite"


def resource_root() -> Path:
    """The folder holding ``inference/`` and ``doc/fonts/`` (see the module docstring)."""
    if os.environ.get(HOME_ENV):
        return Path(os.environ[HOME_ENV])
    package_parent = Path(__file__).resolve().parents[1]
    if (package_parent / "inference").is_dir():  # a checkout or an editable install
        return package_parent
    # <prefix>/lib/pythonX.Y/site-packages/ppocr/resources.py -> <prefix>/share/ppocr-lite
    return Path(__file__).resolve().parents[4] / "share" / SHARE_NAME


def bundled_font_dir() -> Path:
    return resource_root() / "doc" / "fonts"
