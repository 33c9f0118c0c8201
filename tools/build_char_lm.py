"""Build the character language model a recognizer decodes with (see ppocr/infer/reading/char_lm.py).

  python3 tools/build_char_lm.py -c configs/rec/rec_mv3_crnn_en.yml --out ./inference/rec/char_lm.json.gz
  python3 tools/build_char_lm.py --lmdb ./train_data/rec_a/train ./train_data/rec_b/train --out ...
  python3 tools/build_char_lm.py --text my_texts.txt --out ./inference/rec/char_lm.json.gz
  python3 tools/build_char_lm.py --text my_texts.txt --add_to ./inference/rec_mv3_crnn_en/char_lm.json.gz --out ...

The words come from the Train labels of a recognition config (label files or LMDB, as training reads them),
from LMDB datasets, and/or from plain text files (one line each; e.g. text of the kind of documents you
read). Count only text the model may meet: not the labels you evaluate on. Saved as
char_lm.json.gz in an exported recognizer's folder, the model is used by predict_rec.py, predict_system.py
and the Python API (--rec_char_lm auto); --rec_char_lm none turns it off.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))
from ppocr.utils.cli import run_cli, tool_parser  # noqa: E402
from ppocr.utils.config import OVERRIDE_EXAMPLE  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    p = tool_parser(__doc__)
    p.add_argument("-c", "--config", help="recognition config whose Train labels are counted")
    p.add_argument("-o", "--opt", nargs="+", action="extend", default=[], metavar="Section.key=value",
                   help=f"override config values, e.g. {OVERRIDE_EXAMPLE}")
    p.add_argument("--lmdb", nargs="+", action="extend", default=[], metavar="DIR",
                   help="LMDB datasets (searched for data.mdb below each DIR) whose labels are counted too")
    p.add_argument("--text", nargs="+", action="extend", default=[], metavar="FILE",
                   help="plain text files whose lines are counted too")
    p.add_argument("--add_to", metavar="LM", default=None,
                   help="an existing model (char_lm.json.gz) whose counts the new text's are added to: e.g. the "
                        "shipped model's, to teach it your words without forgetting the words it knows")
    p.add_argument("--out", required=True, help="where to write the model (char_lm.json.gz beside inference.yml)")
    p.add_argument("--order", type=int, default=5, help="characters per n-gram, the predicted one included")
    p.add_argument("--min_count", type=int, default=2,
                   help="contexts seen fewer times are dropped (a smaller file; they fall back to shorter ones)")
    args = p.parse_args(argv)
    if not (args.config or args.lmdb or args.text):
        p.error("give a recognition config (-c), --lmdb datasets and/or --text files")
    return args


def read_lines(args: argparse.Namespace) -> list:
    from ppocr.data.lmdb_dataset import find_lmdb_dirs, lmdb_labels
    from ppocr.data.loader import scan_config_section
    from ppocr.engine.runtime import build_shared
    from ppocr.utils.config import load_merged_config
    from ppocr.utils.logging import get_logger

    logger = get_logger()
    lines = []
    if args.config:
        config = load_merged_config(args.config, args.opt)
        report = scan_config_section(config, "Train", build_shared(config))
        lines += [sample.label for sample in report.samples]
        logger.info(f"{len(report.samples)} Train labels of {args.config}")
    for root in args.lmdb:
        dirs = find_lmdb_dirs(root) if os.path.isdir(root) else []
        if not dirs:
            raise FileNotFoundError(f"--lmdb: no LMDB (data.mdb) found under {root}")
        before = len(lines)
        lines += [label for d in dirs for _, label in lmdb_labels(d)]
        logger.info(f"{len(lines) - before} labels under {root}")
    for path in args.text:
        if not os.path.isfile(path):
            raise FileNotFoundError(f"--text: file not found: {path}")
        with open(path, encoding="utf-8", errors="replace") as f:
            before = len(lines)
            lines += f.read().splitlines()
        logger.info(f"{len(lines) - before} lines of {path}")
    return lines


def main() -> int:
    args = parse_args()
    from ppocr.errors import ConfigError
    from ppocr.infer.reading.char_lm import CharNGramLM
    from ppocr.utils.logging import get_logger

    try:
        lm = CharNGramLM.fit(read_lines(args), order=args.order, min_count=args.min_count)
        if args.add_to:
            lm = CharNGramLM.load(args.add_to).merged(lm)
    except ValueError as e:
        raise ConfigError(f"{e} (config {args.config}, LMDBs {args.lmdb}, text files {args.text})") from e
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    lm.save(args.out)
    get_logger().info(f"wrote {args.out}: order {lm.order}, {len(lm.counts)} contexts, "
                      f"{os.path.getsize(args.out) / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    run_cli(main)
