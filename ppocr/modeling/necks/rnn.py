"""Sequence encoders for recognition: turn a [N, C, 1, W] feature map into a [N, W, C'] sequence."""
from __future__ import annotations

import paddle
import paddle.nn as nn

from ppocr.errors import ConfigError
from ppocr.utils.registry import NECKS


class Im2Seq(nn.Layer):
    """[N, C, 1, W] -> [N, W, C]: each column of the map becomes one time step."""

    def __init__(self, in_channels: int):
        super().__init__()
        self.out_channels = in_channels

    def forward(self, x: paddle.Tensor) -> paddle.Tensor:
        height = x.shape[2]
        if height > 1:  # squeeze would silently keep the axis; -1 (unknown at export) is let through
            raise ValueError(f"the recognition backbone must reduce height to 1, got a map of shape {x.shape}")
        return x.squeeze(axis=2).transpose([0, 2, 1])


class EncoderWithRNN(nn.Layer):
    """2-layer bidirectional LSTM; output = forward and backward states concatenated (2 * hidden_size)."""

    def __init__(self, in_channels: int, hidden_size: int):
        super().__init__()
        self.lstm = nn.LSTM(in_channels, hidden_size, num_layers=2, direction="bidirectional")
        self.out_channels = 2 * hidden_size

    def forward(self, x: paddle.Tensor) -> paddle.Tensor:
        return self.lstm(x)[0]


class EncoderWithFC(nn.Layer):
    """Per-step Linear projection (no context mixing): the cheapest encoder."""

    def __init__(self, in_channels: int, hidden_size: int):
        super().__init__()
        self.fc = nn.Linear(in_channels, hidden_size,
                            weight_attr=paddle.ParamAttr(regularizer=paddle.regularizer.L2Decay(1e-5)))
        self.out_channels = hidden_size

    def forward(self, x: paddle.Tensor) -> paddle.Tensor:
        return self.fc(x)


ENCODERS = {"reshape": None, "rnn": EncoderWithRNN, "fc": EncoderWithFC}


@NECKS.register
class SequenceEncoder(nn.Layer):
    """``encoder_type``: ``reshape`` (columns as-is), ``rnn`` (BiLSTM) or ``fc``; output [N, W, out_channels]."""

    def __init__(self, in_channels: int, encoder_type: str = "rnn", hidden_size: int = 48):
        super().__init__()
        if encoder_type not in ENCODERS:
            raise ConfigError(f"Architecture.Neck.encoder_type must be one of {', '.join(ENCODERS)}, "
                              f"got '{encoder_type}'")
        self.encoder_type = encoder_type
        self.im2seq = Im2Seq(in_channels)
        cls = ENCODERS[encoder_type]
        self.encoder = None if cls is None else cls(in_channels, hidden_size)
        self.out_channels = in_channels if self.encoder is None else self.encoder.out_channels

    def forward(self, x: paddle.Tensor) -> paddle.Tensor:
        x = self.im2seq(x)
        return x if self.encoder is None else self.encoder(x)
