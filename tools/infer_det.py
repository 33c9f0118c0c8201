"""Detect text with a training checkpoint (same pipeline and output as tools/infer/predict_det.py):
python3 tools/infer_det.py -c configs/det/det_mv3_db.yml -o Global.checkpoints=./output/db_mv3/best_accuracy \\
    Global.infer_img=doc/imgs/"""
import os
import sys

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))
from ppocr.utils.cli import config_from_args, config_parser, run_cli  # noqa: E402


def main():
    parser = config_parser(__doc__)
    parser.add_argument("--output_dir", default="./inference_results")
    args = parser.parse_args()
    config = config_from_args(args)
    from ppocr.engine.runtime import load_trained_model
    from ppocr.infer.backends import DygraphBackend
    from ppocr.infer.contract import contract_from_config
    from ppocr.infer.det import TextDetector, detect_images
    from ppocr.infer.images import list_images
    from ppocr.utils.logging import get_logger

    get_logger()
    model, _ = load_trained_model(config)
    detector = TextDetector(contract_from_config(config), DygraphBackend(model))
    return 0 if detect_images(detector, list_images(config["Global"]["infer_img"]), args.output_dir) else 1


if __name__ == "__main__":
    run_cli(main)
