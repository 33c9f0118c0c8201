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
    from ppocr.engine.runtime import checkpoint_inputs
    from ppocr.infer.det import TextDetector, detect_images
    from ppocr.utils.logging import get_logger

    get_logger()
    contract, backend, paths = checkpoint_inputs(config)
    return 0 if detect_images(TextDetector(contract, backend), paths, args.output_dir) else 1


if __name__ == "__main__":
    run_cli(main)
