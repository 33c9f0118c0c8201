"""EAST's feature-merging branch: from the deepest stage down, upsample x2, concatenate the next stage,
fuse with 1x1 then 3x3 convs; the output is at stride 4 (the stride of the score and geometry maps)."""
from __future__ import annotations

from typing import List

import paddle
import paddle.nn as nn

from ppocr.errors import ConfigError
from ppocr.modeling.common import ConvBNLayer, upsample_nearest
from ppocr.utils.registry import NECKS

WIDTHS = {"small": 64, "large": 128}  # merging-branch channels per PaddleOCR 2.0 model size


@NECKS.register
class EASTFPN(nn.Layer):
    def __init__(self, in_channels: List[int], model_name: str = "small"):
        super().__init__()
        if model_name not in WIDTHS:
            raise ConfigError(f"Architecture.Neck.model_name must be one of {list(WIDTHS)}, got {model_name!r}")
        width = WIDTHS[model_name]
        deepest_first = list(in_channels)[::-1]
        self.reduce = ConvBNLayer(deepest_first[0], width, 1, act="relu")
        self.fuse = nn.LayerList([
            nn.Sequential(ConvBNLayer(width + c, width, 1, act="relu"), ConvBNLayer(width, width, 3, act="relu"))
            for c in deepest_first[1:]])
        self.out_channels = width

    def forward(self, features: List[paddle.Tensor]) -> paddle.Tensor:
        deepest_first = features[::-1]
        x = self.reduce(deepest_first[0])
        for fuse, skip in zip(self.fuse, deepest_first[1:]):
            x = fuse(paddle.concat([upsample_nearest(x, 2), skip], axis=1))
        return x
