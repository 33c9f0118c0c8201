"""Detect text with an exported model (flags: --help)."""
import os
import sys

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
from ppocr.infer.cli import det_main  # noqa: E402
from ppocr.utils.cli import run_cli  # noqa: E402

if __name__ == "__main__":
    run_cli(det_main)
