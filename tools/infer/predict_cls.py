"""Classify the direction of text crops with an exported model (flags: --help):
python3 tools/infer/predict_cls.py --image_dir=CROP_OR_DIR --cls_model_dir=./inference/cls/"""
import os
import sys

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
from ppocr.infer.cli import cls_main  # noqa: E402
from ppocr.utils.cli import run_cli  # noqa: E402

if __name__ == "__main__":
    run_cli(cls_main)
