"""Direction classifier accuracy."""
from __future__ import annotations

from typing import Any, Dict, Sequence, Tuple

from ppocr.utils.registry import METRICS


@METRICS.register
class ClsMetric:
    """``acc``: the fraction of crops whose predicted direction is the labelled one."""

    def __init__(self, main_indicator: str = "acc"):
        self.main_indicator = main_indicator
        self.reset()

    def reset(self) -> None:
        self.correct, self.total = 0, 0

    def __call__(self, pred_label: Tuple[Sequence[Tuple[str, float]], Sequence[Tuple[str, float]]],
                 batch: Any = None) -> Dict[str, float]:
        preds, labels = pred_label
        correct = sum(p == t for (p, _), (t, _) in zip(preds, labels))
        self.correct += correct
        self.total += len(preds)
        return {"acc": correct / max(len(preds), 1)}

    def get_metric(self, reset: bool = True) -> Dict[str, float]:
        out = {"acc": self.correct / self.total if self.total else 0.0}
        if reset:
            self.reset()
        return out
