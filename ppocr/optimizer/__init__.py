"""Optimizers with L2 regularization and LR schedules from the ``Optimizer`` section."""
from __future__ import annotations

from typing import Any, Dict, Tuple

import paddle

import ppocr.optimizer.learning_rate  # noqa: F401  (registers schedules)
from ppocr.errors import ConfigError
from ppocr.utils.numbers import parse_number
from ppocr.utils.registry import LR_SCHEDULES, OPTIMIZERS, check_kwargs


def _regularizer(cfg: Dict[str, Any] | None):
    if not cfg:
        return None
    name, factor = cfg.get("name", "L2"), parse_number(cfg.get("factor", 0.0))
    if name not in ("L2", "L2Decay"):
        raise ConfigError(f"Optimizer.regularizer.name: only 'L2' is supported, got '{name}'")
    return paddle.regularizer.L2Decay(factor) if factor > 0 else None


@OPTIMIZERS.register
def Adam(learning_rate, parameters, weight_decay, beta1: float = 0.9, beta2: float = 0.999, epsilon: float = 1e-8):
    # use_multi_tensor avoids a 3-5x slowdown of the fused AVX-512 Adam kernel on CPU (PADDLE_NOTES.md).
    return paddle.optimizer.Adam(learning_rate=learning_rate, beta1=beta1, beta2=beta2, epsilon=epsilon,
                                 parameters=parameters, weight_decay=weight_decay, use_multi_tensor=True)


@OPTIMIZERS.register
def Momentum(learning_rate, parameters, weight_decay, momentum: float = 0.9):
    return paddle.optimizer.Momentum(learning_rate=learning_rate, momentum=momentum, parameters=parameters,
                                     weight_decay=weight_decay)


@OPTIMIZERS.register
def SGD(learning_rate, parameters, weight_decay):
    return paddle.optimizer.SGD(learning_rate=learning_rate, parameters=parameters, weight_decay=weight_decay)


def build_lr_scheduler(lr_cfg: Dict[str, Any] | float, epochs: int, steps_per_epoch: int):
    if not isinstance(lr_cfg, dict):
        lr_cfg = {"learning_rate": lr_cfg}
    lr_cfg = dict(lr_cfg)
    name = lr_cfg.pop("name", "Const")
    for key in ("learning_rate", "end_lr", "warmup_epoch"):
        if key in lr_cfg:
            lr_cfg[key] = parse_number(lr_cfg[key])
    fn = LR_SCHEDULES.get(name, "Optimizer.lr.name")
    check_kwargs(fn, lr_cfg, "Optimizer.lr")
    return fn(epochs=epochs, steps_per_epoch=steps_per_epoch, **lr_cfg)


def build_optimizer(cfg: Dict[str, Any], epochs: int, steps_per_epoch: int, parameters) -> Tuple[Any, Any]:
    """Return ``(optimizer, lr_scheduler)``; the scheduler is stepped once per training step."""
    cfg = dict(cfg)
    lr = build_lr_scheduler(cfg.pop("lr", {"learning_rate": 0.001}), epochs, steps_per_epoch)
    weight_decay = _regularizer(cfg.pop("regularizer", None))
    name = cfg.pop("name", None)
    if name is None:
        raise ConfigError(f"Optimizer.name is required (one of: {', '.join(OPTIMIZERS.names())})")
    fn = OPTIMIZERS.get(name, "Optimizer.name")
    check_kwargs(fn, cfg, "Optimizer")
    return fn(learning_rate=lr, parameters=parameters, weight_decay=weight_decay, **cfg), lr
