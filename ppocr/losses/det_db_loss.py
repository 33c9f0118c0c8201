"""DB loss: alpha * balanced BCE(probability) + beta * masked L1(threshold) + Dice(binary)."""
from __future__ import annotations

from typing import Dict, List

import paddle
import paddle.nn as nn

from ppocr.errors import ConfigError
from ppocr.losses.det_basic_loss import balanced_bce, dice_loss, masked_l1
from ppocr.utils.registry import LOSSES


@LOSSES.register
class DBLoss(nn.Layer):
    """Expects ``batch = [image, threshold_map, threshold_mask, shrink_map, shrink_mask]`` (KeepKeys order)."""

    def __init__(self, balance_loss: bool = True, main_loss_type: str = "DiceLoss", alpha: float = 5,
                 beta: float = 10, ohem_ratio: float = 3, eps: float = 1e-6):
        super().__init__()
        if main_loss_type != "DiceLoss":
            raise ConfigError(f"Loss.main_loss_type: only 'DiceLoss' is supported, got '{main_loss_type}'")
        self.balance_loss = balance_loss
        self.alpha, self.beta, self.ohem_ratio, self.eps = alpha, beta, ohem_ratio, eps

    def forward(self, preds: Dict[str, paddle.Tensor], batch: List[paddle.Tensor]) -> Dict[str, paddle.Tensor]:
        maps = preds["maps"]
        shrink, threshold, binary = maps[:, 0], maps[:, 1], maps[:, 2]
        threshold_map, threshold_mask, shrink_map, shrink_mask = batch[1:5]
        if self.balance_loss:
            loss_shrink = balanced_bce(shrink, shrink_map, shrink_mask, self.ohem_ratio, self.eps)
        else:
            loss_shrink = dice_loss(shrink, shrink_map, shrink_mask, self.eps)
        loss_threshold = masked_l1(threshold, threshold_map, threshold_mask, self.eps)
        loss_binary = dice_loss(binary, shrink_map, shrink_mask, self.eps)
        loss_shrink = self.alpha * loss_shrink
        loss_threshold = self.beta * loss_threshold
        return {"loss": loss_shrink + loss_threshold + loss_binary, "loss_shrink_maps": loss_shrink,
                "loss_threshold_maps": loss_threshold, "loss_binary_maps": loss_binary}
