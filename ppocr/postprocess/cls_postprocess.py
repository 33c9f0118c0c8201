"""Direction classifier decoding: class probabilities -> ``(label, score)`` per crop."""
from __future__ import annotations

from typing import Any, List, Sequence, Tuple

import numpy as np

from ppocr.postprocess.rec_postprocess import probs_from
from ppocr.utils.directions import parse_label_list
from ppocr.utils.registry import POSTPROCESS

LabelScore = Tuple[str, float]


@POSTPROCESS.register
class ClsPostProcess:
    """``probs [N, len(label_list)]`` -> ``[(label, probability), ...]``; with ``label`` (class indices, as in
    training-time evaluation) returns ``(predictions, ground truth)``."""

    def __init__(self, label_list: Sequence = ("0", "180")):
        self.label_list = parse_label_list(label_list, "PostProcess")

    def __call__(self, preds: Any, label: Any = None):
        probs = probs_from(preds, ndim=2)
        idx = probs.argmax(axis=1)
        decoded: List[LabelScore] = [(self.label_list[i], float(probs[n, i])) for n, i in enumerate(idx)]
        if label is None:
            return decoded
        truth = [(self.label_list[int(i)], 1.0) for i in np.asarray(label).reshape(-1)]
        return decoded, truth
