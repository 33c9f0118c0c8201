"""Shared command-line plumbing for the tools: environment, ``-c/-o`` parsing, one-line errors."""
from __future__ import annotations

import argparse
import os
import sys
import warnings
from typing import Any, Callable, Dict, Optional

from ppocr.errors import ConfigError
from ppocr.utils.config import OVERRIDE_EXAMPLE, load_merged_config


def prepare_environment() -> None:
    """Quiet Paddle's import noise; call before paddle is imported."""
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("NO_ALBUMENTATIONS_UPDATE", "1")
    warnings.filterwarnings("ignore", message=".*ccache.*")
    # Paddle's internal notices (BatchNorm stat tracking, PIR place) are not actionable for users.
    warnings.filterwarnings("ignore", category=UserWarning, module=r"paddle(\.|$)")


def add_version_flag(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """``--version``: the toolkit's version (every tool and console script has it)."""
    from ppocr import __version__

    parser.add_argument("--version", action="version", version=f"ppocr-lite {__version__}")
    return parser


def tool_parser(description: str, **kwargs) -> argparse.ArgumentParser:
    """The argument parser of a tool: its docstring as the description, kept as written, and ``--version``."""
    return add_version_flag(argparse.ArgumentParser(description=description,
                                                    formatter_class=argparse.RawDescriptionHelpFormatter, **kwargs))


def config_parser(description: str) -> argparse.ArgumentParser:
    parser = tool_parser(description)
    parser.add_argument("-c", "--config", required=True, help="YAML config, e.g. configs/det/det_mv3_db.yml")
    # "extend": a second -o adds to the first instead of silently replacing it.
    parser.add_argument("-o", "--opt", nargs="+", action="extend", default=[], metavar="Section.key=value",
                        help=f"override config values, e.g. {OVERRIDE_EXAMPLE} (may be repeated)")
    return parser


def config_from_args(args: argparse.Namespace) -> Dict[str, Any]:
    """The validated config of ``-c``/``-o``; the log starts first, for the lines loading writes."""
    from ppocr.utils.logging import get_logger

    get_logger()
    return load_merged_config(args.config, args.opt)


def run_cli(main: Callable[[], Optional[int]]) -> None:
    """Run ``main``; user errors become one clear line on stderr and exit code 2."""
    prepare_environment()
    from ppocr.errors import (
        CheckpointMismatch,
        CheckpointWriteError,
        NonFiniteLossError,
        StopRequested,
        TooManyBadSamples,
    )

    try:
        code = main()
    except (ConfigError, FileNotFoundError, NonFiniteLossError, CheckpointMismatch, CheckpointWriteError,
            TooManyBadSamples) as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
    except StopRequested:
        sys.exit(130)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    sys.exit(code or 0)
