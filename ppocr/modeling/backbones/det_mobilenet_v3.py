"""MobileNetV3 (large/small) returning the stride 4/8/16/32 feature maps for text detection."""
from __future__ import annotations

from typing import List

import paddle.nn as nn

from ppocr.errors import ConfigError
from ppocr.modeling.common import ConvBNLayer, hard_sigmoid, make_divisible, stage_outputs
from ppocr.utils.registry import BACKBONES

# kernel, expanded channels, out channels, squeeze-excite, activation, stride
LARGE = [
    (3, 16, 16, False, "relu", 1), (3, 64, 24, False, "relu", 2), (3, 72, 24, False, "relu", 1),
    (5, 72, 40, True, "relu", 2), (5, 120, 40, True, "relu", 1), (5, 120, 40, True, "relu", 1),
    (3, 240, 80, False, "hardswish", 2), (3, 200, 80, False, "hardswish", 1),
    (3, 184, 80, False, "hardswish", 1), (3, 184, 80, False, "hardswish", 1),
    (3, 480, 112, True, "hardswish", 1), (3, 672, 112, True, "hardswish", 1),
    (5, 672, 160, True, "hardswish", 2), (5, 960, 160, True, "hardswish", 1),
    (5, 960, 160, True, "hardswish", 1),
]
SMALL = [
    (3, 16, 16, True, "relu", 2), (3, 72, 24, False, "relu", 2), (3, 88, 24, False, "relu", 1),
    (5, 96, 40, True, "hardswish", 2), (5, 240, 40, True, "hardswish", 1), (5, 240, 40, True, "hardswish", 1),
    (5, 120, 48, True, "hardswish", 1), (5, 144, 48, True, "hardswish", 1),
    (5, 288, 96, True, "hardswish", 2), (5, 576, 96, True, "hardswish", 1), (5, 576, 96, True, "hardswish", 1),
]
MODELS = {"large": (LARGE, 960), "small": (SMALL, 576)}
SUPPORTED_SCALES = (0.35, 0.5, 0.75, 1.0, 1.25)


class SEModule(nn.Layer):
    def __init__(self, channels: int, reduction: int = 4):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2D(1)
        self.reduce = nn.Conv2D(channels, channels // reduction, 1)
        self.expand = nn.Conv2D(channels // reduction, channels, 1)
        self.relu = nn.ReLU()

    def forward(self, x):
        w = hard_sigmoid(self.expand(self.relu(self.reduce(self.pool(x)))))
        return x * w


class ResidualUnit(nn.Layer):
    """Inverted residual: 1x1 expand -> depthwise kxk (stride) -> optional SE -> 1x1 project."""

    def __init__(self, in_channels: int, mid_channels: int, out_channels: int, kernel_size: int, stride,
                 use_se: bool, act: str):
        super().__init__()
        self.shortcut = stride == 1 and in_channels == out_channels
        self.expand = ConvBNLayer(in_channels, mid_channels, 1, act=act)
        self.depthwise = ConvBNLayer(mid_channels, mid_channels, kernel_size, stride=stride,
                                     groups=mid_channels, act=act)
        self.se = SEModule(mid_channels) if use_se else nn.Identity()
        self.project = ConvBNLayer(mid_channels, out_channels, 1)

    def forward(self, x):
        y = self.project(self.se(self.depthwise(self.expand(x))))
        return x + y if self.shortcut else y


@BACKBONES["det"].register(name="MobileNetV3")
class DetMobileNetV3(nn.Layer):
    """Multi-scale MobileNetV3 for detection; ``out_channels`` lists the four stage widths."""

    def __init__(self, in_channels: int = 3, model_name: str = "large", scale: float = 0.5,
                 disable_se: bool = False):
        super().__init__()
        if model_name not in MODELS:
            raise ConfigError(f"Architecture.Backbone.model_name must be one of {list(MODELS)}, got '{model_name}'")
        if scale not in SUPPORTED_SCALES:
            raise ConfigError(f"Architecture.Backbone.scale must be one of {SUPPORTED_SCALES}, got {scale}")
        cfg, last_channels = MODELS[model_name]
        ch = make_divisible(16 * scale)
        self.stem = ConvBNLayer(in_channels, ch, 3, stride=2, act="hardswish")
        # A new stage starts at every stride-2 block after the stem has reached stride 4.
        first_stage_end = 2 if model_name == "large" else 0
        self.stages = nn.LayerList()
        self.out_channels: List[int] = []
        blocks = []
        for i, (k, exp, out, se, act, s) in enumerate(cfg):
            if s == 2 and i > first_stage_end:
                self.out_channels.append(ch)
                self.stages.append(nn.Sequential(*blocks))
                blocks = []
            blocks.append(ResidualUnit(ch, make_divisible(scale * exp), make_divisible(scale * out), k, s,
                                       se and not disable_se, act))
            ch = make_divisible(scale * out)
        last = make_divisible(scale * last_channels)
        blocks.append(ConvBNLayer(ch, last, 1, act="hardswish"))
        self.stages.append(nn.Sequential(*blocks))
        self.out_channels.append(last)

    def forward(self, x):
        return stage_outputs(self.stem(x), self.stages)
