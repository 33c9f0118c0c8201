"""PaddleOCR's ``tools/infer/utility.py`` names, kept for scripts that import them; the flags live in
:mod:`ppocr.infer.cli`."""
import os
import sys

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
from ppocr.infer.cli import det_contract, init_args, rec_contract, str2bool  # noqa: E402,F401
