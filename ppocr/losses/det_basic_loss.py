"""Pixel losses used by the detectors: balanced BCE with hard-negative mining, Dice, masked L1."""
from __future__ import annotations

import paddle
import paddle.nn.functional as F


def balanced_bce(pred: paddle.Tensor, gt: paddle.Tensor, mask: paddle.Tensor, negative_ratio: float = 3.0,
                 eps: float = 1e-6) -> paddle.Tensor:
    """BCE over all positives plus the hardest ``negative_ratio``x as many negatives (OHEM)."""
    positive = gt * mask
    negative = (1 - gt) * mask
    n_pos = int(positive.sum().item())
    n_neg = min(int(negative.sum().item()), int(n_pos * negative_ratio))
    loss = F.binary_cross_entropy(pred.clip(eps, 1 - eps), gt, reduction="none")
    pos_loss = (loss * positive).sum()
    if n_neg > 0:
        neg_loss = paddle.topk((loss * negative).flatten(), n_neg)[0].sum()
    else:
        neg_loss = paddle.zeros([], dtype=loss.dtype)
    return (pos_loss + neg_loss) / (n_pos + n_neg + eps)


def dice_loss(pred: paddle.Tensor, gt: paddle.Tensor, mask: paddle.Tensor, eps: float = 1e-6) -> paddle.Tensor:
    inter = (pred * gt * mask).sum()
    union = (pred * mask).sum() + (gt * mask).sum() + eps
    return 1 - 2.0 * inter / union


def masked_l1(pred: paddle.Tensor, gt: paddle.Tensor, mask: paddle.Tensor, eps: float = 1e-6) -> paddle.Tensor:
    return (paddle.abs(pred - gt) * mask).sum() / (mask.sum() + eps)
