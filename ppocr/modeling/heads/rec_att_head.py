"""Attention decoder head (Bahdanau additive attention + GRU/LSTM cell), as in PaddleOCR 2.0's RARE.

Class layout follows the attention dictionary: index 0 = ``sos``, index ``out_channels - 1`` = ``eos``.
Training uses teacher forcing; eval/inference decodes greedily for a fixed ``max_text_length + 1`` steps so
the exported graph has no data-dependent loop (the post-process cuts each row at its first ``eos``).
"""
from __future__ import annotations

from typing import Dict, List, Optional

import paddle
import paddle.nn as nn
import paddle.nn.functional as F

from ppocr.errors import ConfigError
from ppocr.utils.registry import HEADS

SOS = 0
CELLS = {"gru": nn.GRUCell, "lstm": nn.LSTMCell}


class AttentionCell(nn.Layer):
    """One decoding step: attend over the encoder sequence with the previous hidden state, then feed
    [context, previous char one-hot] to the recurrent cell."""

    def __init__(self, in_channels: int, hidden_size: int, num_classes: int, cell: str):
        super().__init__()
        self.i2h = nn.Linear(in_channels, hidden_size, bias_attr=False)
        self.h2h = nn.Linear(hidden_size, hidden_size)
        self.score = nn.Linear(hidden_size, 1, bias_attr=False)
        self.is_lstm = cell == "lstm"
        self.rnn = CELLS[cell](in_channels + num_classes, hidden_size)

    def project(self, feats: paddle.Tensor) -> paddle.Tensor:
        """Encoder-side half of the attention energy; it does not depend on the step, so compute it once."""
        return self.i2h(feats)

    def initial_state(self, feats_proj: paddle.Tensor):
        zeros = paddle.zeros_like(feats_proj[:, 0])  # [N, hidden]; batch size may be unknown at export
        return (zeros, zeros) if self.is_lstm else zeros

    def forward(self, state, feats: paddle.Tensor, feats_proj: paddle.Tensor, prev_onehot: paddle.Tensor):
        hidden = state[0] if self.is_lstm else state
        energy = self.score(paddle.tanh(feats_proj + self.h2h(hidden).unsqueeze(1)))  # [N, T, 1]
        alpha = F.softmax(energy, axis=1)
        context = (alpha * feats).sum(axis=1)  # [N, in_channels]
        output, state = self.rnn(paddle.concat([context, prev_onehot], axis=1), state)
        return output, state


@HEADS.register
class AttentionHead(nn.Layer):
    """[N, T, in_channels] -> training ``{"logits": [N, L+1, C]}`` (teacher forcing on ``targets[0]``,
    label [N, L+2] = sos, chars, eos, eos padding); eval ``{"probs": [N, max_text_length+1, C]}``."""

    needs_targets = True  # the model passes the label batch in training (teacher forcing)

    def __init__(self, in_channels: int, out_channels: int, hidden_size: int = 256, cell: str = "gru",
                 max_text_length: int = 25):
        super().__init__()
        if cell not in CELLS:
            raise ConfigError(f"Architecture.Head.cell must be one of {', '.join(CELLS)}, got '{cell}'")
        self.num_classes = out_channels
        self.max_text_length = int(max_text_length)
        self.cell = AttentionCell(in_channels, hidden_size, out_channels, cell)
        self.generator = nn.Linear(hidden_size, out_channels)
        self.out_channels = out_channels

    def forward(self, x: paddle.Tensor, targets: Optional[List[paddle.Tensor]] = None
                ) -> Dict[str, paddle.Tensor]:
        feats_proj = self.cell.project(x)
        state = self.cell.initial_state(feats_proj)
        if self.training:
            if not targets:
                raise ValueError("AttentionHead needs the label (targets[0]) in training mode")
            label = targets[0]
            # Step i reads the true previous char label[:, i] and predicts label[:, i + 1].
            onehots = F.one_hot(label[:, :-1].astype("int64"), self.num_classes)  # [N, L+1, C]
            outputs = []
            for i in range(onehots.shape[1]):
                out, state = self.cell(state, x, feats_proj, onehots[:, i])
                outputs.append(out)
            return {"logits": self.generator(paddle.stack(outputs, axis=1))}
        # Greedy decoding; a Python loop of fixed length unrolls into a static graph when exported.
        prev = paddle.full_like(feats_proj[:, 0, 0], SOS, dtype="int64")  # [N]
        logits = []
        for _ in range(self.max_text_length + 1):
            out, state = self.cell(state, x, feats_proj, F.one_hot(prev, self.num_classes))
            step = self.generator(out)
            logits.append(step)
            prev = step.argmax(axis=1)
        return {"probs": F.softmax(paddle.stack(logits, axis=1), axis=2)}
