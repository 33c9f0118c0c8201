"""Evaluation metrics. Importing registers every metric class."""
from __future__ import annotations

from typing import Any, Dict

from ppocr.metrics import (
    cls_metric,  # noqa: F401  (registers ClsMetric)
    det_metric,  # noqa: F401  (registers DetMetric)
    rec_metric,  # noqa: F401  (registers RecMetric)
)
from ppocr.utils.registry import METRICS

__all__ = ["build_metric"]


def build_metric(cfg: Dict[str, Any]) -> Any:
    """Build from the YAML ``Metric`` section, e.g. ``{"name": "DetMetric", "main_indicator": "hmean"}``."""
    return METRICS.build(cfg, "Metric")
