"""Cross-entropy for the attention head's teacher-forced logits."""
from __future__ import annotations

from typing import Dict, List

import paddle
import paddle.nn as nn
import paddle.nn.functional as F

from ppocr.utils.registry import LOSSES


@LOSSES.register
class AttentionLoss(nn.Layer):
    """``batch = [image, label [N, L+2] (sos, chars, eos, eos...), length [N] (number of chars)]``.

    Step t of the logits [N, L+1, C] predicts label[:, t + 1]. Steps t <= length (the chars and the first
    eos) count; the eos padding after it does not, so short words are not rewarded for predicting padding.
    The loss is the mean over counted steps, which keeps its scale independent of batch size and length.
    """

    def forward(self, preds: Dict[str, paddle.Tensor], batch: List[paddle.Tensor]) -> Dict[str, paddle.Tensor]:
        logits = preds["logits"]
        target = batch[1].astype("int64")[:, 1:]
        steps = logits.shape[1]
        target = target[:, :steps]
        length = batch[2].astype("int64").reshape([-1, 1])
        positions = paddle.arange(steps, dtype="int64").unsqueeze(0)
        mask = (positions < length + 1).astype(logits.dtype)  # [N, L+1]
        per_step = F.cross_entropy(logits, target.unsqueeze(-1), reduction="none", axis=-1).squeeze(-1)
        loss = (per_step * mask).sum() / paddle.clip(mask.sum(), min=1.0)
        return {"loss": loss}
