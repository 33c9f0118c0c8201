"""Average the weights of checkpoints of one architecture into a new checkpoint (a "model soup").

  python3 tools/average_checkpoints.py --checkpoints ./output/rec_a/latest ./output/rec_b/latest --out ./output/rec_soup/soup
  python3 tools/average_checkpoints.py --checkpoints A B C --weights 1 1 2 --out ./output/rec_soup/soup

Fine-tunings that start from the same model stay close to each other, and the mean of their weights often
reads better than each of them, at no cost in size or speed. Only the weights are written
(OUT.pdparams): export it with tools/export_model.py -o Global.checkpoints=OUT, evaluate it with
tools/eval.py -o Global.checkpoints=OUT, or fine-tune from it with Global.pretrained_model=OUT. Choose
between the soup and its ingredients on your evaluation data.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))
from ppocr.utils.cli import run_cli, tool_parser  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    p = tool_parser(__doc__)
    p.add_argument("--checkpoints", nargs="+", required=True, metavar="PREFIX",
                   help="checkpoint prefixes (PREFIX.pdparams), e.g. ./output/rec/latest")
    p.add_argument("--weights", nargs="+", type=float, default=None, metavar="W",
                   help="one weight per checkpoint (normalised to sum to 1; default: equal)")
    p.add_argument("--out", required=True, metavar="PREFIX", help="where to write PREFIX.pdparams")
    args = p.parse_args(argv)
    if args.weights is not None and len(args.weights) != len(args.checkpoints):
        p.error(f"--weights: give one per checkpoint ({len(args.checkpoints)}), got {len(args.weights)}")
    if args.weights is not None and (min(args.weights) < 0 or sum(args.weights) <= 0):
        p.error("--weights must be non-negative and not all zero")
    return args


def main() -> int:
    args = parse_args()
    from ppocr.engine.checkpoint import average_checkpoints, save_weights
    from ppocr.utils.logging import get_logger

    save_weights(args.out, average_checkpoints(args.checkpoints, args.weights))
    get_logger().info(f"wrote {args.out}.pdparams: the mean of {len(args.checkpoints)} checkpoints"
                      + (f" weighted {args.weights}" if args.weights else ""))
    return 0


if __name__ == "__main__":
    run_cli(main)
