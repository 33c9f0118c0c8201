"""Detect and recognize text with exported models (flags: --help):
python3 tools/infer/predict_system.py --image_dir=IMG_OR_DIR --det_model_dir=./inference/det/ --rec_model_dir=./inference/rec/"""
import os
import sys

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
from ppocr.infer.cli import system_main  # noqa: E402
from ppocr.utils.cli import run_cli  # noqa: E402

if __name__ == "__main__":
    run_cli(system_main)
