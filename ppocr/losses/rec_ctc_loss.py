"""CTC loss for recognition heads that output per-step class scores (blank = class 0)."""
from __future__ import annotations

import logging
from typing import Dict, List

import numpy as np
import paddle
import paddle.nn as nn

from ppocr.utils.registry import LOSSES

logger = logging.getLogger("ppocr")


def ctc_steps_needed(labels: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Frames CTC needs per label: its length plus one blank between each pair of equal neighbours."""
    idx = np.arange(labels.shape[1])[None, :]
    valid_pairs = idx[:, 1:] < lengths.reshape(-1, 1)
    repeats = ((labels[:, 1:] == labels[:, :-1]) & valid_pairs).sum(axis=1)
    return lengths.reshape(-1) + repeats


@LOSSES.register
class CTCLoss(nn.Layer):
    """``batch = [image, label int [N, L] (0-padded), length int [N]]``; loss = mean over samples of the
    per-sample negative log-likelihood (PaddleOCR 2.0 semantics, not normalized by label length).

    ``use_focal_loss`` weights each sample by (1 - p)^2, p = exp(-loss), to emphasise hard samples.
    """

    def __init__(self, use_focal_loss: bool = False):
        super().__init__()
        self.use_focal_loss = use_focal_loss
        self.ctc = nn.CTCLoss(blank=0, reduction="none")
        self._warned = False

    def forward(self, preds: Dict[str, paddle.Tensor], batch: List[paddle.Tensor]) -> Dict[str, paddle.Tensor]:
        logits = preds["logits"].transpose([1, 0, 2])  # paddle's CTC wants [T, N, C] raw scores
        steps, batch_size = logits.shape[0], logits.shape[1]
        input_lengths = paddle.full([batch_size], steps, dtype="int64")
        if not self._warned:
            self._warn_unlearnable(batch[1].numpy(), batch[2].numpy(), steps)
        # Paddle 3.3.1's CTC kernel only accepts int32 labels and int64 lengths.
        loss = self.ctc(logits, batch[1].astype("int32"), input_lengths, batch[2].astype("int64").reshape([-1]))
        loss = loss.reshape([-1])
        if self.use_focal_loss:
            loss = loss * (1.0 - paddle.exp(-loss)) ** 2
        return {"loss": loss.mean()}

    def _warn_unlearnable(self, labels: np.ndarray, lengths: np.ndarray, steps: int) -> None:
        """Paddle's CTC gives such labels a zero loss instead of an error: they would be ignored silently."""
        too_long = int((ctc_steps_needed(labels, lengths) > steps).sum())
        if too_long:
            self._warned = True
            logger.warning(f"{too_long} labels in a batch of {len(lengths)} need more than the model's {steps} "
                           f"time steps and cannot be learned by CTC: widen RecResizeImg.image_shape or lower "
                           f"Global.max_text_length (warned once)")
