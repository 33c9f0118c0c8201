"""Direction classifier head: global average pool -> one linear layer over the directions."""
from __future__ import annotations

from typing import Dict

import paddle
import paddle.nn as nn
import paddle.nn.functional as F

from ppocr.utils.registry import HEADS


@HEADS.register
class ClsHead(nn.Layer):
    """[N, C, H, W] -> training ``{"logits": [N, class_dim]}``, eval ``{"probs": softmax}``.

    ``class_dim`` is the number of directions (``len(label_list)``; the toolkit checks they agree).
    """

    OUTPUTS = ("probs",)

    def __init__(self, in_channels: int, class_dim: int = 2):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2D(1)
        self.fc = nn.Linear(in_channels, int(class_dim))
        self.out_channels = int(class_dim)

    def forward(self, x: paddle.Tensor, targets=None) -> Dict[str, paddle.Tensor]:
        logits = self.fc(paddle.flatten(self.pool(x), start_axis=1))
        if self.training:
            return {"logits": logits}
        return {"probs": F.softmax(logits, axis=1)}
