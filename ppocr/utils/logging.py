"""One 'ppocr' logger: stderr plus an optional file; set up by the tools, never at import time."""
from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from typing import Optional

_FORMAT = "[%(asctime)s] %(levelname)s %(message)s"


def get_logger(log_file: Optional[str] = None, level: int = logging.INFO) -> logging.Logger:
    logger = logging.getLogger("ppocr")
    if not any(getattr(h, "_ppocr_stream", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler._ppocr_stream = True
        handler.setFormatter(logging.Formatter(_FORMAT, "%Y-%m-%d %H:%M:%S"))
        logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False
    if log_file:
        path = os.path.abspath(log_file)
        if not any(getattr(h, "baseFilename", None) == path for h in logger.handlers):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            fh = logging.FileHandler(path, encoding="utf-8")
            fh.setFormatter(logging.Formatter(_FORMAT, "%Y-%m-%d %H:%M:%S"))
            logger.addHandler(fh)
    return logger


def hold_log_lines() -> None:
    """Keep the 'ppocr' logger's lines in memory until :func:`start_log_file` names their file: a run that
    fails to start (a bad path in the config) then leaves no log file behind."""
    logger = logging.getLogger("ppocr")
    if not any(isinstance(h, logging.handlers.MemoryHandler) for h in logger.handlers):
        logger.addHandler(logging.handlers.MemoryHandler(capacity=100_000, flushLevel=logging.CRITICAL + 1))


def start_log_file(log_file: str) -> None:
    """After :func:`hold_log_lines`: add ``log_file`` to the 'ppocr' logger, the held lines first (without
    it, nothing: a caller that asked for no log file gets none)."""
    logger = logging.getLogger("ppocr")
    held = [h for h in logger.handlers if isinstance(h, logging.handlers.MemoryHandler)]
    if not held:
        return
    get_logger(log_file)
    path = os.path.abspath(log_file)
    file_handler = next(h for h in logger.handlers if getattr(h, "baseFilename", None) == path)
    for handler in held:
        handler.setTarget(file_handler)
        handler.flush()
        logger.removeHandler(handler)
        handler.close()
