"""EAST loss: Dice on the score map + smooth L1 on the QUAD geometry, normalized by the quad's shortest edge."""
from __future__ import annotations

from typing import Dict, List

import paddle
import paddle.nn as nn

from ppocr.losses.det_basic_loss import dice_loss
from ppocr.utils.registry import LOSSES


def smooth_l1(diff: paddle.Tensor) -> paddle.Tensor:
    """Quadratic below 1 pixel, linear above (Huber with delta 1)."""
    a = paddle.abs(diff)
    return paddle.where(a < 1.0, 0.5 * a * a, a - 0.5)


@LOSSES.register
class EASTLoss(nn.Layer):
    """Expects ``batch = [image, score_map, geo_map, training_mask]`` (KeepKeys order) as made by MakeEastMap.

    Geometry term (EAST paper, QUAD): per text pixel, the sum over the 8 vertex coordinates of
    smooth_L1(predicted - true offset), divided by 8 x the quad's shortest edge, averaged over the text
    pixels that the training mask keeps.
    """

    def __init__(self, dice_weight: float = 1.0, geo_weight: float = 1.0, eps: float = 1e-6):
        super().__init__()
        self.dice_weight, self.geo_weight, self.eps = float(dice_weight), float(geo_weight), eps

    def forward(self, preds: Dict[str, paddle.Tensor], batch: List[paddle.Tensor]) -> Dict[str, paddle.Tensor]:
        score_map, geo_map, mask = batch[1:4]
        loss_score = self.dice_weight * dice_loss(preds["f_score"], score_map, mask, self.eps)
        per_pixel = smooth_l1(preds["f_geo"] - geo_map[:, :8]).sum(axis=1, keepdim=True) * geo_map[:, 8:9] / 8.0
        weight = score_map * mask
        loss_geo = self.geo_weight * (per_pixel * weight).sum() / (weight.sum() + self.eps)
        return {"loss": loss_score + loss_geo, "loss_score": loss_score, "loss_geo": loss_geo}
