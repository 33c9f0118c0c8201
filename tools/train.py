"""Train a detector or recognizer: python3 tools/train.py -c configs/det/det_mv3_db.yml [-o Key=value ...]"""
import os
import sys

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))
from ppocr.utils.cli import config_from_args, config_parser, run_cli  # noqa: E402


def main():
    parser = config_parser(__doc__ + "\n\nResume: -o Global.checkpoints=OUTPUT_DIR/latest ; start from weights: "
                                     "-o Global.pretrained_model=PATH ; several processes (data-parallel): "
                                     "python3 -m paddle.distributed.launch --nproc_per_node 2 tools/train.py -c ...")
    args = parser.parse_args()
    from ppocr.engine.trainer import setup_train_logging, train

    setup_train_logging()  # before the config loads: train.log gets the lines loading writes
    train(config_from_args(args))


if __name__ == "__main__":
    run_cli(main)
