"""Step-based learning-rate schedules (epochs in the config are converted with steps_per_epoch)."""
from __future__ import annotations

from typing import List, Optional

from paddle.optimizer import lr as plr

from ppocr.errors import ConfigError
from ppocr.utils.registry import LR_SCHEDULES


def _warmup_steps(warmup_epoch: float, steps_per_epoch: int) -> int:
    return int(round(warmup_epoch * steps_per_epoch))


def _decay_steps(epochs: int, steps_per_epoch: int, warmup_epoch: float) -> int:
    """Steps the decay runs over: Paddle's LinearWarmup starts the inner schedule after the warmup."""
    return max(1, epochs * steps_per_epoch - _warmup_steps(warmup_epoch, steps_per_epoch))


def _with_warmup(schedule, learning_rate: float, warmup_epoch: float, steps_per_epoch: int):
    warmup_steps = _warmup_steps(warmup_epoch, steps_per_epoch)
    if warmup_steps <= 0:
        return schedule
    return plr.LinearWarmup(schedule, warmup_steps=warmup_steps, start_lr=0.0, end_lr=learning_rate)


@LR_SCHEDULES.register(aliases=["Constant"])
def Const(learning_rate: float, epochs: int, steps_per_epoch: int, warmup_epoch: float = 0):
    """Constant rate (PaddleOCR 2.0's default when ``lr`` has no ``name``)."""
    return _with_warmup(learning_rate, learning_rate, warmup_epoch, steps_per_epoch) if warmup_epoch \
        else plr.LambdaDecay(learning_rate, lambda _: 1.0)


@LR_SCHEDULES.register
def Cosine(learning_rate: float, epochs: int, steps_per_epoch: int, warmup_epoch: float = 0):
    """Cosine decay to 0 over all training steps."""
    total = _decay_steps(epochs, steps_per_epoch, warmup_epoch)
    return _with_warmup(plr.CosineAnnealingDecay(learning_rate, T_max=total), learning_rate, warmup_epoch,
                        steps_per_epoch)


@LR_SCHEDULES.register
def Linear(learning_rate: float, epochs: int, steps_per_epoch: int, end_lr: float = 0.0, power: float = 1.0,
           warmup_epoch: float = 0):
    """Polynomial (power 1 = linear) decay to ``end_lr``."""
    total = _decay_steps(epochs, steps_per_epoch, warmup_epoch)
    return _with_warmup(plr.PolynomialDecay(learning_rate, total, end_lr=end_lr, power=power), learning_rate,
                        warmup_epoch, steps_per_epoch)


@LR_SCHEDULES.register
def Piecewise(epochs: int, steps_per_epoch: int, decay_epochs: List[int], values: List[float],
              warmup_epoch: float = 0, learning_rate: Optional[float] = None):
    """``values[i]`` until ``decay_epochs[i]``; needs one more value than boundaries."""
    if len(values) != len(decay_epochs) + 1:
        raise ConfigError("Optimizer.lr: Piecewise needs len(values) == len(decay_epochs) + 1")
    boundaries = [int(e * steps_per_epoch) for e in decay_epochs]
    return _with_warmup(plr.PiecewiseDecay(boundaries, values), values[0], warmup_epoch, steps_per_epoch)
