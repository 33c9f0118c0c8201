"""Name -> class registries used to build every configurable component.

A config entry such as ``{"name": "MobileNetV3", "scale": 0.5}`` is turned into an object by
``BACKBONES.build(cfg, path="Architecture.Backbone")``. Unknown names and unknown constructor keys
raise :class:`ConfigError` naming the YAML path, the valid choices and the closest match.
"""
from __future__ import annotations

import difflib
import inspect
from typing import Any, Callable, Dict, Optional

from ppocr.errors import ConfigError


def closest_hint(word: str, choices) -> str:
    match = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.5)
    return f" Did you mean '{match[0]}'?" if match else ""


def check_kwargs(fn: Callable, kwargs: Dict[str, Any], path: str) -> None:
    """Raise ConfigError if ``kwargs`` holds a key that ``fn`` does not accept."""
    params = inspect.signature(fn).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return
    accepted = [n for n, p in params.items() if n != "self" and p.kind is not inspect.Parameter.VAR_POSITIONAL]
    for key in kwargs:
        if key not in accepted:
            raise ConfigError(
                f"unknown key '{path}.{key}'. Valid keys: {', '.join(accepted) or '(none)'}."
                + closest_hint(key, accepted))


def accepted_context(fn: Callable, context: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """The entries of ``context`` that ``fn`` takes as named parameters."""
    if not context:
        return {}
    params = inspect.signature(fn).parameters
    return {k: v for k, v in context.items() if k in params}


class Registry:
    """Maps names to classes (or factories) of one kind, e.g. backbones."""

    def __init__(self, kind: str):
        self.kind = kind
        self._items: Dict[str, Callable] = {}

    def register(self, obj: Optional[Callable] = None, *, name: Optional[str] = None, aliases=()):
        """Decorator: ``@BACKBONES.register`` or ``@DATASETS.register(aliases=["Old"])``."""

        def add(o: Callable) -> Callable:
            for key in (name or o.__name__, *aliases):
                if key in self._items:
                    raise KeyError(f"{self.kind} '{key}' is registered twice")
                self._items[key] = o
            return o

        return add(obj) if obj is not None else add

    def names(self):
        return sorted(self._items)

    def __contains__(self, name: str) -> bool:
        return name in self._items

    def get(self, name: str, path: str = "") -> Callable:
        if name not in self._items:
            where = f" at '{path}'" if path else ""
            raise ConfigError(
                f"unknown {self.kind} '{name}'{where}. Valid names: {', '.join(self.names())}."
                + closest_hint(name, self._items))
        return self._items[name]

    def build(self, cfg: Dict[str, Any], path: str = "", context: Optional[Dict[str, Any]] = None,
              **extra: Any) -> Any:
        """Build from ``{"name": ..., **kwargs}``; ``extra`` are wiring arguments (e.g. in_channels)."""
        if not isinstance(cfg, dict) or "name" not in cfg:
            raise ConfigError(f"'{path or self.kind}' needs a 'name' key (one of: {', '.join(self.names())})")
        kwargs = {k: v for k, v in cfg.items() if k != "name"}
        return self.build_named(cfg["name"], kwargs, path, context, **extra)

    def build_named(self, name: str, kwargs: Optional[Dict[str, Any]], path: str = "",
                    context: Optional[Dict[str, Any]] = None, **extra: Any) -> Any:
        """``extra`` is always passed; ``context`` entries only to constructors that name them
        (e.g. the recognition ``character`` dictionary for label encoders and decoders)."""
        cls = self.get(name, path)
        kwargs = dict(kwargs or {})
        check_kwargs(cls, kwargs, path or name)
        for key in (context or {}):
            if key in kwargs:
                raise ConfigError(f"'{path}.{key}' is set by the toolkit and must not appear in the config")
        kwargs.update(accepted_context(cls, context))
        kwargs.update(extra)
        return cls(**kwargs)


# One registry per kind of component. Subpackages register into these on import.
TRANSFORMS = Registry("transform op")          # ppocr.data.imaug: dict -> dict data ops
DATASETS = Registry("dataset")                 # ppocr.data
RECTIFIERS = Registry("Architecture.Transform")  # ppocr.modeling.transforms (TPS)
# Backbones differ per model_type (a rec MobileNetV3 keeps width), as in PaddleOCR.
BACKBONES = {kind: Registry(f"{kind} backbone") for kind in ("det", "rec", "cls")}  # ppocr.modeling.backbones
NECKS = Registry("neck")                       # ppocr.modeling.necks
HEADS = Registry("head")                       # ppocr.modeling.heads
LOSSES = Registry("loss")                      # ppocr.losses
POSTPROCESS = Registry("post-process")         # ppocr.postprocess
METRICS = Registry("metric")                   # ppocr.metrics
OPTIMIZERS = Registry("optimizer")             # ppocr.optimizer
LR_SCHEDULES = Registry("learning-rate schedule")  # ppocr.optimizer
