"""Losses, registered in ``ppocr.utils.registry.LOSSES``."""
from __future__ import annotations

from typing import Any, Dict

from ppocr.losses import cls_loss, det_db_loss, det_east_loss, rec_att_loss, rec_ctc_loss  # noqa: F401  (registers)
from ppocr.utils.registry import LOSSES


def build_loss(cfg: Dict[str, Any]):
    return LOSSES.build(cfg, "Loss")
