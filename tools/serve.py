"""Serve OCR over HTTP with PaddleOCR hubserving's API (flags: --help):
python3 tools/serve.py --port 8868"""
import os
import sys

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))
from ppocr.serving.cli import main  # noqa: E402
from ppocr.utils.cli import run_cli  # noqa: E402

if __name__ == "__main__":
    run_cli(main)
