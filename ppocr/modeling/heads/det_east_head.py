"""EAST head: a text score map and, per pixel, the offsets to the four vertices of its quad (QUAD geometry)."""
from __future__ import annotations

import paddle.nn as nn
import paddle.nn.functional as F

from ppocr.errors import ConfigError
from ppocr.modeling.common import ConvBNLayer
from ppocr.utils.registry import HEADS

WIDTHS = {"small": 64, "large": 128}
# Offsets are squashed to +-GEO_RANGE input pixels: a pixel can "see" vertices up to this far away.
GEO_RANGE = 800.0


@HEADS.register
class EASTHead(nn.Layer):
    """``{"f_geo": [N, 8, H/4, W/4] (x0, y0, ..., x3, y3 offsets in input pixels, vertex minus pixel),
    "f_score": [N, 1, H/4, W/4]}`` in training and inference alike."""

    OUTPUTS = ("f_geo", "f_score")  # export order = key order

    def __init__(self, in_channels: int, model_name: str = "small"):
        super().__init__()
        if model_name not in WIDTHS:
            raise ConfigError(f"Architecture.Head.model_name must be one of {list(WIDTHS)}, got {model_name!r}")
        width = WIDTHS[model_name]
        self.convs = nn.Sequential(ConvBNLayer(in_channels, width, 3, act="relu"),
                                   ConvBNLayer(width, width, 3, act="relu"))
        self.score = nn.Conv2D(width, 1, 1)
        self.geo = nn.Conv2D(width, 8, 1)

    def forward(self, x, targets=None):
        x = self.convs(x)
        return {"f_geo": (F.sigmoid(self.geo(x)) - 0.5) * (2 * GEO_RANGE), "f_score": F.sigmoid(self.score(x))}
