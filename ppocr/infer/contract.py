"""``inference.yml``: what an exported model needs to be used (preprocessing, post-process, algorithm).

The same contract is built from a training config for dygraph inference (tools/infer_*.py), so a
checkpoint and its export run the identical pipeline.
"""
from __future__ import annotations

import copy
import logging
import os
from typing import Any, Dict, List, Optional

import yaml

from ppocr.errors import ConfigError
from ppocr.utils.registry import HEADS

logger = logging.getLogger("ppocr")
CONTRACT_FILE = "inference.yml"
# PaddleOCR's predict_det default: detection inputs keep their aspect ratio, longest side <= 960.
DEFAULT_DET_RESIZE = {"limit_side_len": 960, "limit_type": "max"}


def _inference_ops(eval_ops: List[Dict[str, Any]], model_type: str) -> List[Dict[str, Any]]:
    """Eval transforms minus the ops that make labels, ending in KeepKeys of what inference feeds the model."""
    ops = []
    for entry in eval_ops:
        (name, kwargs), = entry.items()
        if name.endswith("LabelEncode") or name in ("RandomDirectionLabel", "KeepKeys"):
            continue
        if name == "DetResizeForTest":
            # A fixed eval size would distort arbitrary inputs: inference keeps the aspect ratio.
            kwargs = {k: v for k, v in (kwargs or {}).items() if k != "image_shape" and v is not None}
            kwargs = {**DEFAULT_DET_RESIZE, **kwargs} if "resize_long" not in kwargs else kwargs
        ops.append({name: copy.deepcopy(kwargs)})
    keys = ["image", "shape"] if model_type == "det" else ["image"]
    ops.append({"KeepKeys": {"keep_keys": keys}})
    return ops


def _crop_input_shape(ops: List[Dict[str, Any]], resize_op: str, default_shape: List[int],
                      fixed_width: bool) -> List[Optional[int]]:
    for entry in ops:
        if resize_op in entry:
            c, h, w = (entry[resize_op] or {}).get("image_shape", default_shape)
            return [None, c, h, w if fixed_width else None]
    raise ConfigError(f"Eval.dataset.transforms of this model needs a {resize_op} op")


def contract_from_config(config: Dict[str, Any], shared: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """The inference contract of the model a config builds; ``shared`` holds the recognition dictionary."""
    arch = config["Architecture"]
    eval_ops = (config.get("Eval") or {}).get("dataset", {}).get("transforms")
    if not eval_ops:
        raise ConfigError("Eval.dataset.transforms is needed to know the inference preprocessing")
    model_type = arch["model_type"]
    ops = _inference_ops(eval_ops, model_type)
    contract = {"model_type": model_type, "algorithm": arch.get("algorithm")}
    if model_type == "det":
        import ppocr.modeling.heads  # noqa: F401  (registers the heads)

        head = HEADS.get(arch["Head"]["name"], "Architecture.Head")
        contract.update(input_shape=[None, 3, None, None], outputs=list(head.OUTPUTS))
    elif model_type == "cls":
        contract.update(input_shape=_crop_input_shape(ops, "ClsResizeImg", [3, 48, 192], fixed_width=True),
                        outputs=["probs"], label_list=list(shared["directions"]))
    else:
        # TPS predicts fiducials for one input size, so rectifying models are exported with a fixed width;
        # the others take any width and predict_rec batches crops of similar aspect ratio.
        contract.update(input_shape=_crop_input_shape(ops, "RecResizeImg", [3, 32, 100],
                                                      fixed_width=bool(arch.get("Transform"))),
                        outputs=["probs"], Character=shared["character"].to_contract())
    contract.update(PreProcess=ops, PostProcess=copy.deepcopy(config.get("PostProcess")))
    return contract


def save_contract(contract: Dict[str, Any], model_dir: str) -> str:
    path = os.path.join(model_dir, CONTRACT_FILE)
    with open(path, "w", encoding="utf-8") as f:
        f.write("# Written by tools/export_model.py: preprocessing and post-processing of this model.\n")
        yaml.safe_dump(contract, f, sort_keys=False, allow_unicode=True)
    return path


def load_contract(model_dir: str, expected_type: Optional[str] = None) -> Dict[str, Any]:
    path = os.path.join(model_dir, CONTRACT_FILE)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{path} not found: export the model with tools/export_model.py")
    with open(path, encoding="utf-8") as f:
        contract = yaml.safe_load(f)
    if expected_type and contract.get("model_type") != expected_type:
        raise ConfigError(f"{model_dir} holds a '{contract.get('model_type')}' model, expected '{expected_type}'")
    return contract


def find_op(contract: Dict[str, Any], name: str) -> Optional[Dict[str, Any]]:
    for entry in contract["PreProcess"]:
        if name in entry:
            if entry[name] is None:
                entry[name] = {}
            return entry[name]
    return None


def apply_flag(section: Dict[str, Any], key: str, value: Any, flag: str) -> None:
    """A command-line flag wins over inference.yml; say so when they differ."""
    if value is None:
        return
    if key in section and section[key] != value:
        logger.warning(f"{flag}={value} overrides {key}={section[key]} from {CONTRACT_FILE}")
    section[key] = value
