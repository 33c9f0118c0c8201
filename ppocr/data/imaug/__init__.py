"""Data transform ops. Importing this package registers every op in ``TRANSFORMS``."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Union

# Imported for their registration side effect.
from ppocr.data.imaug import (  # noqa: F401
    cls_ops,
    iaa_augment,
    label_ops,
    make_border_map,
    make_east_map,
    make_shrink_map,
    operators,
    random_crop_data,
    rec_img_aug,
    rec_label_ops,
)
from ppocr.errors import ConfigError
from ppocr.utils.registry import TRANSFORMS

__all__ = ["create_operators", "transform"]


def create_operators(op_cfgs: List[Dict[str, Optional[Dict[str, Any]]]],
                     path: str = "Train.dataset.transforms", context: Optional[Dict[str, Any]] = None) -> List[Any]:
    """Build ops from a YAML list like ``[{DecodeImage: {img_mode: BGR}}, {DetLabelEncode: null}]``.

    ``context`` holds shared objects (e.g. ``character``) given to the ops whose constructors take them.
    """
    if not isinstance(op_cfgs, list):
        raise ConfigError(f"'{path}' must be a list of {{OpName: {{kwargs}}}} entries, got {type(op_cfgs).__name__}")
    ops = []
    for i, entry in enumerate(op_cfgs):
        if not isinstance(entry, dict) or len(entry) != 1:
            raise ConfigError(f"'{path}[{i}]' must be a single {{OpName: {{kwargs}}}} mapping, got {entry!r}")
        (name, kwargs), = entry.items()
        if kwargs is not None and not isinstance(kwargs, dict):
            raise ConfigError(f"'{path}[{i}].{name}' must map to keyword arguments or be empty, got {kwargs!r}")
        ops.append(TRANSFORMS.build_named(name, kwargs, f"{path}[{i}].{name}", context))
    return ops


def transform(data: Dict[str, Any], ops: List[Any]) -> Union[Dict[str, Any], List[Any], None]:
    """Apply ``ops`` in order; None as soon as one rejects the sample."""
    for op in ops:
        data = op(data)
        if data is None:
            return None
    return data
