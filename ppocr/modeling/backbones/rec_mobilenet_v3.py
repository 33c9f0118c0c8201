"""MobileNetV3 for text recognition: keeps the width resolution so a 32-high line becomes a sequence.

Same blocks and channel tables as the detection MobileNetV3 (imported, not duplicated); only the strides
differ. The four downsampling blocks stride (s, 1) — height only — so a [3, 32, W] input ends as a
[C, 1, W/4] map: stem /2 on both axes, three height-only /2 blocks, then a final 2x2 max-pool.
"""
from __future__ import annotations

from typing import List, Optional, Sequence

import paddle
import paddle.nn as nn

from ppocr.errors import ConfigError
from ppocr.modeling.backbones.det_mobilenet_v3 import MODELS, SUPPORTED_SCALES, ResidualUnit
from ppocr.modeling.common import ConvBNLayer, make_divisible
from ppocr.utils.registry import BACKBONES

# PaddleOCR 2.0 defaults small_stride to [2, 2, 2, 2], which collapses a 32-high input to height 0 before the
# final pool; [1, 2, 2, 2] (what its PP-OCR configs actually set) is the one that works for 32-high lines.
DEFAULT_STRIDES = [1, 2, 2, 2]
# Indices (into the shared tables) of the blocks that take the four configurable strides. They are not the
# detection stride-2 blocks for "large": there block 0 has stride 1 and block 6 downsamples, while the
# recognizer uses block 0 as its first stage start and keeps block 6 at stride 1 (as PaddleOCR 2.0 does).
STRIDE_BLOCKS = {"large": (0, 1, 3, 12), "small": (0, 1, 3, 8)}


def _check_strides(strides: Optional[Sequence[int]], key: str) -> List[int]:
    strides = list(DEFAULT_STRIDES if strides is None else strides)
    if len(strides) != 4 or any(s not in (1, 2) for s in strides):
        raise ConfigError(f"Architecture.Backbone.{key} must be four strides of 1 or 2, got {strides}")
    return strides


@BACKBONES["cls"].register(name="MobileNetV3")  # the direction classifier (PaddleOCR 2.0 uses it too)
@BACKBONES["rec"].register(name="MobileNetV3")
class RecMobileNetV3(nn.Layer):
    """``out_channels`` is the width of the final 1x1 conv (288 for small x0.5, 480 for large x0.5)."""

    def __init__(self, in_channels: int = 3, model_name: str = "small", scale: float = 0.5,
                 large_stride: Optional[Sequence[int]] = None, small_stride: Optional[Sequence[int]] = None):
        super().__init__()
        if model_name not in MODELS:
            raise ConfigError(f"Architecture.Backbone.model_name must be one of {list(MODELS)}, got '{model_name}'")
        if scale not in SUPPORTED_SCALES:
            raise ConfigError(f"Architecture.Backbone.scale must be one of {SUPPORTED_SCALES}, got {scale}")
        key = f"{model_name}_stride"
        strides = iter(_check_strides(large_stride if model_name == "large" else small_stride, key))
        table, last_channels = MODELS[model_name]
        ch = make_divisible(16 * scale)
        self.stem = ConvBNLayer(in_channels, ch, 3, stride=2, act="hardswish")
        blocks = []
        for i, (k, exp, out, se, act, _) in enumerate(table):
            stride = 1
            if i in STRIDE_BLOCKS[model_name]:
                s_h = next(strides)
                stride = (s_h, 1) if s_h != 1 else 1  # int 1 keeps ResidualUnit's identity shortcut
            out_ch = make_divisible(scale * out)
            blocks.append(ResidualUnit(ch, make_divisible(scale * exp), out_ch, k, stride, se, act))
            ch = out_ch
        self.blocks = nn.Sequential(*blocks)
        self.out_channels = make_divisible(scale * last_channels)
        self.last_conv = ConvBNLayer(ch, self.out_channels, 1, act="hardswish")
        self.pool = nn.MaxPool2D(kernel_size=2, stride=2)

    def forward(self, x: paddle.Tensor) -> paddle.Tensor:
        return self.pool(self.last_conv(self.blocks(self.stem(x))))
