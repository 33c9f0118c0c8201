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
    from ppocr.engine.checkpoint import load_checkpoint
    from ppocr.engine.runtime import build_components, setup_runtime
    from ppocr.infer.backends import DygraphBackend
    from ppocr.infer.contract import contract_from_config
    from ppocr.infer.det import TextDetector, detect_images
    from ppocr.infer.images import list_images
    from ppocr.utils.logging import get_logger
    from ppocr.utils.registry import ConfigError

    get_logger()
    g = config["Global"]
    weights = g.get("checkpoints") or g.get("pretrained_model")
    if not weights or not g.get("infer_img"):
        raise ConfigError("set -o Global.checkpoints=OUTPUT_DIR/best_accuracy Global.infer_img=IMAGE_OR_DIR")
    setup_runtime(config)
    model = build_components(config)[0]
    load_checkpoint(weights, model)
    detector = TextDetector(contract_from_config(config), DygraphBackend(model))
    return 0 if detect_images(detector, list_images(g["infer_img"]), args.output_dir) else 1


if __name__ == "__main__":
    run_cli(main)
