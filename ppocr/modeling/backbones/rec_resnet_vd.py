"""ResNet-vd for text recognition (ResNet 18/34/50 with the "vd" stem and shortcut tweaks).

Stages 2-4 downsample with stride (2, 1) so height shrinks 32 -> 1 while width only drops by 4, giving the
sequence a CTC/attention head reads. The blocks take int or tuple strides so a detection ResNet-vd can
reuse them with stride 2.
"""
from __future__ import annotations

from typing import Tuple, Union

import paddle
import paddle.nn as nn
import paddle.nn.functional as F

from ppocr.errors import ConfigError
from ppocr.modeling.common import ConvBNLayer
from ppocr.utils.registry import BACKBONES

Stride = Union[int, Tuple[int, int]]
# layers -> (blocks per stage, bottleneck?)
DEPTHS = {18: ([2, 2, 2, 2], False), 34: ([3, 4, 6, 3], False), 50: ([3, 4, 6, 3], True)}
STAGE_WIDTHS = (64, 128, 256, 512)


def _is_one(stride: Stride) -> bool:
    return stride == 1 or (isinstance(stride, (tuple, list)) and all(s == 1 for s in stride))


class Shortcut(nn.Layer):
    """vd shortcut: average-pool first, then a stride-1 1x1 conv, so the projection sees every input pixel
    (a strided 1x1 conv would drop 3 of 4). Identity when the shape does not change."""

    def __init__(self, in_channels: int, out_channels: int, stride: Stride):
        super().__init__()
        self.pool = None if _is_one(stride) else nn.AvgPool2D(kernel_size=stride, stride=stride, ceil_mode=True)
        same = self.pool is None and in_channels == out_channels
        self.conv = None if same else ConvBNLayer(in_channels, out_channels, 1)

    def forward(self, x: paddle.Tensor) -> paddle.Tensor:
        if self.pool is not None:
            x = self.pool(x)
        return x if self.conv is None else self.conv(x)


class BasicBlock(nn.Layer):
    """Two 3x3 convs (the first one strided) plus the shortcut; output width = ``out_channels``."""
    expansion = 1

    def __init__(self, in_channels: int, out_channels: int, stride: Stride = 1):
        super().__init__()
        self.conv0 = ConvBNLayer(in_channels, out_channels, 3, stride=stride, act="relu")
        self.conv1 = ConvBNLayer(out_channels, out_channels, 3)
        self.shortcut = Shortcut(in_channels, out_channels, stride)

    def forward(self, x: paddle.Tensor) -> paddle.Tensor:
        return F.relu(self.conv1(self.conv0(x)) + self.shortcut(x))


class BottleneckBlock(nn.Layer):
    """1x1 reduce -> 3x3 (strided, as in vd) -> 1x1 expand to ``4 * out_channels``, plus the shortcut."""
    expansion = 4

    def __init__(self, in_channels: int, out_channels: int, stride: Stride = 1):
        super().__init__()
        self.conv0 = ConvBNLayer(in_channels, out_channels, 1, act="relu")
        self.conv1 = ConvBNLayer(out_channels, out_channels, 3, stride=stride, act="relu")
        self.conv2 = ConvBNLayer(out_channels, out_channels * 4, 1)
        self.shortcut = Shortcut(in_channels, out_channels * 4, stride)

    def forward(self, x: paddle.Tensor) -> paddle.Tensor:
        return F.relu(self.conv2(self.conv1(self.conv0(x))) + self.shortcut(x))


def blocks_for(layers: int):
    """``(blocks per stage, block class)`` of ResNet-``layers``; ConfigError names the valid depths."""
    if layers not in DEPTHS:
        raise ConfigError(f"Architecture.Backbone.layers must be one of {sorted(DEPTHS)}, got {layers!r}")
    depths, bottleneck = DEPTHS[layers]
    return depths, (BottleneckBlock if bottleneck else BasicBlock)


def vd_stem(in_channels: int, first_stride: int) -> nn.Sequential:
    """The vd stem: three 3x3 convs instead of one 7x7 (cheaper, same receptive field), then a stride-2
    max-pool. Detection uses ``first_stride`` 2 (stem at stride 4); a 32-high text line cannot afford that,
    so recognition uses 1."""
    return nn.Sequential(
        ConvBNLayer(in_channels, 32, 3, stride=first_stride, act="relu"), ConvBNLayer(32, 32, 3, act="relu"),
        ConvBNLayer(32, 64, 3, act="relu"), nn.MaxPool2D(kernel_size=3, stride=2, padding=1))


@BACKBONES["rec"].register(name="ResNet")
class RecResNetVd(nn.Layer):
    """``out_channels`` is 512 (18/34) or 2048 (50); input [N, C, 32, W] -> [N, out_channels, 1, W/4]."""

    def __init__(self, in_channels: int = 3, layers: int = 34):
        super().__init__()
        depths, block = blocks_for(layers)
        self.stem = vd_stem(in_channels, first_stride=1)
        blocks, ch = [], 64
        for stage, (depth, width) in enumerate(zip(depths, STAGE_WIDTHS)):
            for i in range(depth):
                stride = (2, 1) if i == 0 and stage > 0 else 1
                blocks.append(block(ch, width, stride))
                ch = width * block.expansion
        self.blocks = nn.Sequential(*blocks)
        self.pool = nn.MaxPool2D(kernel_size=2, stride=2)
        self.out_channels = ch

    def forward(self, x: paddle.Tensor) -> paddle.Tensor:
        return self.pool(self.blocks(self.stem(x)))
