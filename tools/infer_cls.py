"""Classify the direction of text crops with a training checkpoint (same pipeline and output as
tools/infer/predict_cls.py):
python3 tools/infer_cls.py -c configs/cls/cls_mv3.yml -o Global.checkpoints=./output/cls/mv3/best_accuracy \\
    Global.infer_img=CROP_OR_DIR"""
import os
import sys

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))
from ppocr.utils.cli import config_from_args, config_parser, run_cli  # noqa: E402


def main():
    parser = config_parser(__doc__)
    parser.add_argument("--output_dir", default="./inference_results")
    parser.add_argument("--cls_batch_num", type=int, default=6)
    args = parser.parse_args()
    config = config_from_args(args)
    from ppocr.engine.runtime import checkpoint_inputs
    from ppocr.infer.cls import TextClassifier, classify_images
    from ppocr.utils.logging import get_logger

    get_logger()
    contract, backend, paths = checkpoint_inputs(config)
    return 0 if classify_images(TextClassifier(contract, backend, args.cls_batch_num), paths, args.output_dir) else 1


if __name__ == "__main__":
    run_cli(main)
