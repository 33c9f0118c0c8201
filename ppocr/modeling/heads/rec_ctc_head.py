"""CTC head: one class score vector per time step (class 0 is the CTC blank)."""
from __future__ import annotations

import math
from typing import Dict, Optional

import paddle
import paddle.nn as nn
import paddle.nn.functional as F

from ppocr.utils.registry import HEADS


def _linear(in_features: int, out_features: int, decay: float) -> nn.Linear:
    # Uniform(+-1/sqrt(fan_in)) init with L2 decay on both weight and bias, as PaddleOCR's CTC FC uses.
    bound = 1.0 / math.sqrt(in_features)

    def attr() -> paddle.ParamAttr:
        return paddle.ParamAttr(regularizer=paddle.regularizer.L2Decay(decay),
                                initializer=nn.initializer.Uniform(-bound, bound))

    return nn.Linear(in_features, out_features, weight_attr=attr(), bias_attr=attr())


@HEADS.register
class CTCHead(nn.Layer):
    """[N, T, in_channels] -> training ``{"logits": [N, T, C]}``, eval ``{"probs": softmax}``.

    ``mid_channels`` inserts a narrower Linear first (fewer parameters when C is a large dictionary).
    """

    def __init__(self, in_channels: int, out_channels: int, fc_decay: float = 0.0004,
                 mid_channels: Optional[int] = None):
        super().__init__()
        if mid_channels:
            self.fc = nn.Sequential(_linear(in_channels, mid_channels, fc_decay),
                                    _linear(mid_channels, out_channels, fc_decay))
        else:
            self.fc = _linear(in_channels, out_channels, fc_decay)
        self.out_channels = out_channels

    def forward(self, x: paddle.Tensor, targets=None) -> Dict[str, paddle.Tensor]:
        logits = self.fc(x)
        if self.training:
            return {"logits": logits}
        return {"probs": F.softmax(logits, axis=2)}
