"""DB's feature pyramid: top-down fusion of the four stages, then all levels upsampled to stride 4."""
from __future__ import annotations

from typing import List

import paddle
import paddle.nn as nn

from ppocr.modeling.common import upsample_nearest
from ppocr.utils.registry import NECKS


@NECKS.register
class DBFPN(nn.Layer):
    def __init__(self, in_channels: List[int], out_channels: int = 256):
        super().__init__()
        self.lateral = nn.LayerList([nn.Conv2D(c, out_channels, 1, bias_attr=False) for c in in_channels])
        self.smooth = nn.LayerList([nn.Conv2D(out_channels, out_channels // 4, 3, padding=1, bias_attr=False)
                                    for _ in in_channels])
        self.out_channels = out_channels // 4 * len(in_channels)

    def forward(self, features: List[paddle.Tensor]) -> paddle.Tensor:
        laterals = [conv(f) for conv, f in zip(self.lateral, features)]
        for i in range(len(laterals) - 1, 0, -1):  # top-down: each level adds the coarser one, upsampled
            laterals[i - 1] = laterals[i - 1] + upsample_nearest(laterals[i], 2)
        outs = [upsample_nearest(conv(x), 2 ** i) for i, (conv, x) in enumerate(zip(self.smooth, laterals))]
        return paddle.concat(outs[::-1], axis=1)
