"""Layers shared by backbones, necks and heads."""
from __future__ import annotations

from typing import List, Optional

import paddle
import paddle.nn as nn
import paddle.nn.functional as F

ACTIVATIONS = {"relu": nn.ReLU, "hardswish": nn.Hardswish, "sigmoid": nn.Sigmoid, None: nn.Identity}


class ConvBNLayer(nn.Layer):
    """Conv2D (no bias) -> BatchNorm -> optional activation."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding: Optional[int] = None,
                 groups: int = 1, act: Optional[str] = None):
        super().__init__()
        if padding is None:
            padding = (kernel_size - 1) // 2 if isinstance(kernel_size, int) else [(k - 1) // 2 for k in kernel_size]
        self.conv = nn.Conv2D(in_channels, out_channels, kernel_size, stride=stride, padding=padding,
                              groups=groups, bias_attr=False)
        self.bn = nn.BatchNorm2D(out_channels)
        self.act = ACTIVATIONS[act]()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


def upsample_nearest(x: paddle.Tensor, scale: int) -> paddle.Tensor:
    """Nearest-neighbour upsampling by an integer factor.

    Written with unsqueeze/expand/flatten instead of F.interpolate because interpolate fails at run time
    under oneDNN in Paddle Inference 3.3.1 and in paddle2onnx; this form gives identical values and keeps
    H/W dynamic in the exported program.
    """
    if scale == 1:
        return x
    x = x.unsqueeze(-1).expand([-1, -1, -1, -1, scale]).flatten(start_axis=3)  # N,C,H,W*s
    return x.unsqueeze(3).expand([-1, -1, -1, scale, -1]).flatten(start_axis=2, stop_axis=3)  # N,C,H*s,W*s


def hard_sigmoid(x: paddle.Tensor) -> paddle.Tensor:
    """MobileNetV3's piecewise-linear sigmoid as PaddleOCR uses it: clip(0.2 * x + 0.5, 0, 1)."""
    return F.hardsigmoid(x, slope=0.2, offset=0.5)


def make_divisible(v: float, divisor: int = 8, min_value: Optional[int] = None) -> int:
    """Round channel counts to a multiple of ``divisor`` without dropping more than 10%."""
    min_value = min_value or divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def stage_outputs(x: paddle.Tensor, stages) -> List[paddle.Tensor]:
    """Run ``stages`` one after another and keep every stage's output (the multi-scale features an FPN
    neck takes)."""
    outs = []
    for stage in stages:
        x = stage(x)
        outs.append(x)
    return outs
