"""Train a detector or recognizer: python3 tools/train.py -c configs/det/det_mv3_db.yml [-o Key=value ...]"""
import os
import sys

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))
from ppocr.utils.cli import config_from_args, config_parser, run_cli  # noqa: E402


def main():
    parser = config_parser(__doc__ + "\n\nResume: -o Global.checkpoints=OUTPUT_DIR/latest ; start from weights: "
                                     "-o Global.pretrained_model=PATH")
    args = parser.parse_args()
    config = config_from_args(args)
    from ppocr.engine.trainer import train
    from ppocr.utils.logging import get_logger
    get_logger(os.path.join(config["Global"].get("save_model_dir") or "./output", "train.log"))
    train(config)


if __name__ == "__main__":
    run_cli(main)
