"""Text-recognition metric: word accuracy and normalised edit distance."""
from __future__ import annotations

from typing import Any, Dict, Sequence, Tuple

from rapidfuzz.distance import Levenshtein

from ppocr.utils.registry import METRICS

TextScore = Tuple[str, float]


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions all cost 1).

    RapidFuzz's bit-parallel implementation: page texts of thousands of characters (the e2e CER) cost
    milliseconds, where a Python dynamic programme took seconds per page.
    """
    return Levenshtein.distance(a, b)


def normalized_similarity(pred: str, gt: str) -> float:
    """``1 - edit_distance / max(len(pred), len(gt), 1)``: 1.0 for identical strings, 0.0 for disjoint ones."""
    return 1.0 - levenshtein(pred, gt) / max(len(pred), len(gt), 1)


@METRICS.register
class RecMetric:
    """Accumulates recognition results over a dataset.

    ``__call__((preds, labels), batch)`` takes the decoder output with labels, i.e. two lists of
    ``(text, score)``; ``get_metric()`` returns

    * ``acc``: fraction of samples whose prediction equals the ground truth exactly, after normalisation;
    * ``norm_edit_dis``: mean over samples of ``1 - edit_distance / max(len(pred), len(gt), 1)``
      (higher is better, 1.0 = perfect; the PaddleOCR name is kept although it is a similarity).

    Normalisation, applied to prediction and ground truth alike before both measures:

    * ``ignore_space``: remove every whitespace character, so "ab c" matches "abc" (useful when word
      spacing in the labels is inconsistent or the dictionary has no space);
    * ``ignore_case``: compare lower-cased text, so "Hello" matches "hello" (for case-insensitive
      benchmarks such as the 36-class ICDAR protocol).

    Both default to False: the exact string the model produced is what is scored.
    """

    def __init__(self, main_indicator: str = "acc", ignore_space: bool = False, ignore_case: bool = False):
        self.main_indicator = main_indicator
        self.ignore_space = bool(ignore_space)
        self.ignore_case = bool(ignore_case)
        self.reset()

    def reset(self) -> None:
        self.correct = 0
        self.total = 0
        self.similarity_sum = 0.0

    def normalize(self, text: str) -> str:
        if self.ignore_space:
            text = "".join(text.split())
        if self.ignore_case:
            text = text.lower()
        return text

    def update(self, preds: Sequence[TextScore], labels: Sequence[TextScore]) -> Dict[str, float]:
        """Add a batch; returns that batch's own ``acc`` / ``norm_edit_dis`` (for training-time logs)."""
        if len(preds) != len(labels):
            raise ValueError(f"RecMetric: {len(preds)} predictions but {len(labels)} labels")
        correct, similarity = 0, 0.0
        for (pred, _), (gt, _) in zip(preds, labels):
            pred, gt = self.normalize(pred), self.normalize(gt)
            correct += pred == gt
            similarity += normalized_similarity(pred, gt)
        self.correct += correct
        self.total += len(preds)
        self.similarity_sum += similarity
        n = max(len(preds), 1)
        return {"acc": correct / n, "norm_edit_dis": similarity / n}

    def __call__(self, pred_label: Tuple[Sequence[TextScore], Sequence[TextScore]],
                 batch: Any = None) -> Dict[str, float]:
        preds, labels = pred_label
        return self.update(preds, labels)

    def get_metric(self, reset: bool = True) -> Dict[str, float]:
        """Totals since the last reset; resets by default so the next evaluation starts fresh."""
        n = self.total
        out = {"acc": self.correct / n if n else 0.0, "norm_edit_dis": self.similarity_sum / n if n else 0.0}
        if reset:
            self.reset()
        return out
