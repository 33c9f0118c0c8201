"""Scan the Train and Eval label files of a config and list every problem with file:line.

python3 tools/check_data.py -c configs/det/det_mv3_db.yml [-o ...]   (exit code 1 if any line is bad)
"""
import os
import sys

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))
from ppocr.utils.cli import config_from_args, config_parser, run_cli  # noqa: E402


def main():
    args = config_parser(__doc__).parse_args()
    config = config_from_args(args)
    from ppocr.data.loader import scan_config_section
    from ppocr.engine.runtime import build_shared

    bad = 0
    shared = build_shared(config)  # recognition: labels are checked against the dictionary
    for mode in ("Train", "Eval"):
        if config.get(mode):
            report = scan_config_section(config, mode, shared)
            print(f"{mode}: {report.summary(max_lines=10 ** 9)}")
            bad += len(report.problems)
    return 1 if bad else 0


if __name__ == "__main__":
    run_cli(main)
