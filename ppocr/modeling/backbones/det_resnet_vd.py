"""ResNet-vd for text detection: the four stages' outputs at strides 4, 8, 16 and 32 for an FPN.

"vd" (Bag of Tricks, He et al. 2019): a stem of three 3x3 convs instead of one 7x7, the stride on the 3x3
of a bottleneck rather than its first 1x1, and shortcuts that average-pool before their 1x1 projection.
The blocks are shared with the recognition ResNet (ppocr/modeling/backbones/rec_resnet_vd.py).
"""
from __future__ import annotations

from typing import List

import paddle
import paddle.nn as nn

from ppocr.modeling.backbones.rec_resnet_vd import STAGE_WIDTHS, blocks_for, vd_stem
from ppocr.modeling.common import stage_outputs
from ppocr.utils.registry import BACKBONES


@BACKBONES["det"].register(name="ResNet")
class DetResNetVd(nn.Layer):
    """``out_channels``: [64, 128, 256, 512] (18/34) or [256, 512, 1024, 2048] (50), at strides 4/8/16/32."""

    def __init__(self, in_channels: int = 3, layers: int = 50):
        super().__init__()
        depths, block = blocks_for(layers)
        self.stem = vd_stem(in_channels, first_stride=2)
        self.stages = nn.LayerList()
        self.out_channels: List[int] = []
        ch = 64
        for stage, (depth, width) in enumerate(zip(depths, STAGE_WIDTHS)):
            blocks = []
            for i in range(depth):
                blocks.append(block(ch, width, 2 if i == 0 and stage > 0 else 1))
                ch = width * block.expansion
            self.stages.append(nn.Sequential(*blocks))
            self.out_channels.append(ch)

    def forward(self, x: paddle.Tensor) -> List[paddle.Tensor]:
        return stage_outputs(self.stem(x), self.stages)
