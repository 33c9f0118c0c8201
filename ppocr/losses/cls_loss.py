"""Cross-entropy over the directions for the direction classifier."""
from __future__ import annotations

from typing import Dict, List

import paddle
import paddle.nn as nn
import paddle.nn.functional as F

from ppocr.utils.registry import LOSSES


@LOSSES.register
class ClsLoss(nn.Layer):
    """``batch = [image, label int64 [N]]`` (index into label_list); loss = mean cross-entropy."""

    def forward(self, preds: Dict[str, paddle.Tensor], batch: List[paddle.Tensor]) -> Dict[str, paddle.Tensor]:
        label = batch[1].astype("int64").reshape([-1])
        return {"loss": F.cross_entropy(preds["logits"], label)}
