"""The four-stage model: optional Transform -> Backbone -> optional Neck -> Head."""
from __future__ import annotations

from typing import Any, Dict, Optional

import paddle.nn as nn

from ppocr.errors import ConfigError
from ppocr.utils.registry import BACKBONES, HEADS, NECKS, RECTIFIERS, closest_hint

MODEL_TYPES = tuple(BACKBONES)
ARCH_KEYS = ("model_type", "algorithm", "Transform", "Backbone", "Neck", "Head", "in_channels")


class BaseModel(nn.Layer):
    """Wires each stage's ``out_channels`` into the next stage's ``in_channels``."""

    def __init__(self, arch: Dict[str, Any], context: Optional[Dict[str, Any]] = None):
        super().__init__()
        for key in arch:
            if key not in ARCH_KEYS:
                raise ConfigError(f"unknown key 'Architecture.{key}'. Valid keys: {', '.join(ARCH_KEYS)}."
                                  + closest_hint(key, ARCH_KEYS))
        model_type = arch.get("model_type")
        if model_type not in MODEL_TYPES:
            raise ConfigError(f"Architecture.model_type must be one of {', '.join(MODEL_TYPES)}, got {model_type!r}")
        self.model_type = model_type
        self.algorithm = arch.get("algorithm")
        channels = arch.get("in_channels", 3)

        self.transform = None
        if arch.get("Transform"):
            self.transform = RECTIFIERS.build(arch["Transform"], "Architecture.Transform", in_channels=channels)
            channels = self.transform.out_channels
        if not arch.get("Backbone"):
            raise ConfigError("Architecture.Backbone is required")
        self.backbone = BACKBONES[model_type].build(arch["Backbone"], "Architecture.Backbone", in_channels=channels)
        channels = self.backbone.out_channels
        self.neck = None
        if arch.get("Neck"):
            self.neck = NECKS.build(arch["Neck"], "Architecture.Neck", in_channels=channels)
            channels = self.neck.out_channels
        if not arch.get("Head"):
            raise ConfigError("Architecture.Head is required")
        self.head = HEADS.build(arch["Head"], "Architecture.Head", context, in_channels=channels)
        # Heads that decode with teacher forcing in training (attention) read the labels.
        self.needs_targets = bool(getattr(self.head, "needs_targets", False))

    def forward(self, x, targets=None):
        if self.transform is not None:
            x = self.transform(x)
        x = self.backbone(x)
        if self.neck is not None:
            x = self.neck(x)
        return self.head(x, targets=targets)
