"""DB head: probability and threshold maps, and their differentiable binarization during training."""
from __future__ import annotations

import paddle
import paddle.nn as nn
import paddle.nn.functional as F

from ppocr.modeling.common import ConvBNLayer
from ppocr.utils.registry import HEADS


class MapBranch(nn.Layer):
    """3x3 conv then two stride-2 transposed convs: stride-4 features -> one full-resolution map in (0, 1)."""

    def __init__(self, in_channels: int):
        super().__init__()
        mid = in_channels // 4
        self.conv = ConvBNLayer(in_channels, mid, 3, act="relu")
        self.up1 = nn.Conv2DTranspose(mid, mid, 2, stride=2)
        self.bn = nn.BatchNorm2D(mid)
        self.up2 = nn.Conv2DTranspose(mid, 1, 2, stride=2)

    def forward(self, x):
        x = F.relu(self.bn(self.up1(self.conv(x))))
        return F.sigmoid(self.up2(x))


@HEADS.register
class DBHead(nn.Layer):
    """Outputs ``{"maps": P}`` at inference and ``{"maps": [P, T, B]}`` stacked on channels in training,
    where B = 1 / (1 + exp(-k (P - T))) is the approximate binary map of the DB paper."""

    OUTPUTS = ("maps",)  # names of the exported model's outputs, in order
    TRAINING_ONLY = ("thresh",)  # the threshold branch: not in exported models, not needed to evaluate

    def __init__(self, in_channels: int, k: int = 50):
        super().__init__()
        self.k = k
        self.binarize = MapBranch(in_channels)
        self.thresh = MapBranch(in_channels)

    def forward(self, x, targets=None):
        shrink = self.binarize(x)
        if not self.training:
            return {"maps": shrink}
        threshold = self.thresh(x)
        binary = F.sigmoid(self.k * (shrink - threshold))
        return {"maps": paddle.concat([shrink, threshold, binary], axis=1)}
