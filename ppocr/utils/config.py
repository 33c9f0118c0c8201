"""Load YAML configs, apply ``-o Section.key=value`` overrides, validate known keys, save the result."""
from __future__ import annotations

import copy
import logging
import os
from typing import Any, Dict, Iterable, List

import yaml

from ppocr.errors import ConfigError
from ppocr.utils.registry import closest_hint

SECTIONS = ("Global", "Architecture", "Loss", "Optimizer", "PostProcess", "Metric", "Train", "Eval")

# Keys the engine reads from Global; anything else is most likely a typo.
GLOBAL_KEYS = {
    "use_gpu": "run on GPU when Paddle was built with CUDA",
    "epoch_num": "number of training epochs",
    "log_smooth_window": "window (steps) for smoothing logged losses",
    "print_batch_step": "log every N steps",
    "save_model_dir": "where checkpoints, config.yml and train.log go",
    "save_epoch_step": "also keep iter_epoch_N every N epochs",
    "eval_batch_step": "[start_step, interval]: evaluate every interval steps after start_step",
    "cal_metric_during_train": "recognition: log the metric of the last training batch with each log line",
    "pretrained_model": "weights to start from (shape mismatches are skipped)",
    "checkpoints": "checkpoint prefix to resume from (weights, optimizer, epoch, step, LR, best metric)",
    "save_inference_dir": "output dir of tools/export_model.py",
    "infer_img": "image or folder for tools/infer_*.py",
    "max_train_minutes": "stop after this many wall-clock minutes of the run: save latest, evaluate, exit",
    "seed": "random seed for data order, augmentation and initialisation",
    "num_threads": "CPU threads for training/eval (default: OMP_NUM_THREADS or 1)",
    "to_static": "train with paddle.jit.to_static",
    "use_amp": "mixed-precision autocast (amp_dtype: bfloat16 on CPU, float16 on GPU by default)",
    "amp_dtype": "autocast dtype: bfloat16 or float16",
    "character_dict_path": "recognition dictionary file",
    "character_type": "en / EN_symbol: built-in character sets; a language (ch, EN, ...): character_dict_path",
    "max_text_length": "longest label for recognition",
    "use_space_char": "add ' ' to the recognition dictionary",
    "save_latest_step": "also save 'latest' every N steps (0: only at eval/epoch end)",
    "max_bad_ratio": "stop if more than this fraction of an epoch's samples are unreadable",
}
# Keys of PaddleOCR 2.x configs that this toolkit reads no value from, each with the reason; a config that
# holds one loads with one info line. Anything neither here nor in GLOBAL_KEYS is a typo.
IGNORED_GLOBAL_KEYS = {
    "load_static_weights": "Paddle 3 reads both weight formats; Global.pretrained_model loads either",
    "use_visualdl": "there is no VisualDL writer; train.log holds every logged value",
    "save_res_path": "tools/infer_det.py and infer_rec.py write their results to --output_dir",
    "infer_mode": "the exported model's inference.yml holds how images are resized for prediction",
    "distributed": "multi-card training is set up by python3 -m paddle.distributed.launch",
    "use_xpu": "Kunlun XPUs are not supported; training runs on the CPU, or the GPU with use_gpu",
    "use_npu": "NPUs are not supported; training runs on the CPU, or the GPU with use_gpu",
    "use_mlu": "MLUs are not supported; training runs on the CPU, or the GPU with use_gpu",
    "debug": "there is no debug mode; print_batch_step sets how often the loss is logged",
    "use_wandb": "there is no experiment tracker; train.log holds every logged value",
    "use_tensorboard": "there is no experiment tracker; train.log holds every logged value",
    "profiler_options": "there are no profiler hooks",
    "scale_loss": "use_amp autocasts to amp_dtype (bfloat16 on a CPU needs no loss scaling)",
    "use_dynamic_loss_scaling": "use_amp autocasts to amp_dtype (bfloat16 on a CPU needs no loss scaling)",
    "amp_level": "use_amp autocasts to amp_dtype at one level",
    "amp_custom_black_list": "use_amp autocasts to amp_dtype with Paddle's default lists",
    "amp_custom_white_list": "use_amp autocasts to amp_dtype with Paddle's default lists",
    "d2s_train_image_shape": "to_static traces the shapes of the real batches",
    "uniform_output_enabled": "exports always write inference.json, inference.pdiparams and inference.yml",
    "model_name": "the model is named by its save_model_dir",
    "export_with_pir": "Paddle 3 exports the PIR format (inference.json)",
}
# Architectures of PaddleOCR 2.x that this release builds, by model type; anything else stops at load.
SUPPORTED_ALGORITHMS = {"det": ("DB", "EAST"), "rec": ("CRNN", "Rosetta", "STARNet", "RARE"), "cls": ("CLS",)}
LOADER_KEYS = ("shuffle", "drop_last", "batch_size_per_card", "num_workers", "use_shared_memory", "bucket_by_length")
OVERRIDE_EXAMPLE = "-o Global.epoch_num=10 Train.loader.batch_size_per_card=8 Global.pretrained_model=None"


def load_config(path: str) -> Dict[str, Any]:
    """Read a YAML config with ``safe_load`` and check its top-level sections."""
    if not os.path.isfile(path):
        raise ConfigError(f"config file not found: {path}")
    with open(path, encoding="utf-8") as f:
        try:
            cfg = yaml.safe_load(f)
        except yaml.YAMLError as e:
            raise ConfigError(f"{path}: YAML syntax error: {e}") from None
    if not isinstance(cfg, dict):
        raise ConfigError(f"{path}: expected a mapping with sections {', '.join(SECTIONS)}")
    for key in cfg:
        if key not in SECTIONS:
            raise ConfigError(f"{path}: unknown section '{key}'. Valid sections: {', '.join(SECTIONS)}."
                              + closest_hint(key, SECTIONS))
    return cfg


def parse_value(text: str) -> Any:
    """Type a CLI value: int, float, bool, None, list (``[a,b]``) or string. Never evaluates code."""
    text = text.strip()
    low = text.lower()
    if low in ("none", "null", "~"):
        return None
    if low in ("true", "false"):
        return low == "true"
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1].strip()
        return [parse_value(t) for t in _split_list(inner)] if inner else []
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _split_list(inner: str) -> List[str]:
    """Split ``a, [b, c], d`` on top-level commas."""
    parts, depth, cur = [], 0, ""
    for ch in inner:
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += (ch == "[") - (ch == "]")
        cur += ch
    parts.append(cur)
    return parts


def parse_overrides(opts: Iterable[str]) -> List[tuple]:
    """Turn ``["Global.epoch_num=10", ...]`` into ``[(["Global", "epoch_num"], 10), ...]``."""
    parsed = []
    for opt in opts or []:
        if "=" not in opt:
            raise ConfigError(f"bad override '{opt}': expected Section.key=value, e.g. {OVERRIDE_EXAMPLE}")
        key, value = opt.split("=", 1)
        keys = key.strip().split(".")
        if not key.strip() or any(not k for k in keys):
            raise ConfigError(f"bad override '{opt}': empty key. Example: {OVERRIDE_EXAMPLE}")
        if keys[0] not in SECTIONS:
            raise ConfigError(f"bad override '{opt}': unknown section '{keys[0]}'. Valid sections: "
                              f"{', '.join(SECTIONS)}." + closest_hint(keys[0], SECTIONS))
        parsed.append((keys, parse_value(value)))
    return parsed


def apply_overrides(cfg: Dict[str, Any], opts: Iterable[str]) -> Dict[str, Any]:
    """Return a copy of ``cfg`` with the overrides applied (list items addressed by index)."""
    cfg = copy.deepcopy(cfg)
    for keys, value in parse_overrides(opts):
        node = cfg
        for i, k in enumerate(keys[:-1]):
            if isinstance(node, list):
                node = node[_list_index(node, k, keys[: i + 1])]
                continue
            node = node.setdefault(k, {})
            if not isinstance(node, (dict, list)):
                raise ConfigError(f"cannot set '{'.'.join(keys)}': '{'.'.join(keys[: i + 1])}' is not a section")
        last = keys[-1]
        if isinstance(node, list):
            node[_list_index(node, last, keys)] = value
        else:
            node[last] = value
    return cfg


def _list_index(node: list, key: str, path: List[str]) -> int:
    if not key.isdigit() or int(key) >= len(node):
        raise ConfigError(f"'{'.'.join(path)}': expected a list index below {len(node)}")
    return int(key)


def check_supported(arch: Dict[str, Any]) -> None:
    """Refuse, before anything is built or written, a model type or algorithm this release lacks."""
    model_type, algorithm = arch.get("model_type"), arch.get("algorithm")
    supported = ", ".join(f"{t}: {' '.join(a)}" for t, a in SUPPORTED_ALGORITHMS.items())
    if model_type not in SUPPORTED_ALGORITHMS:
        raise ConfigError(f"Architecture.model_type: not supported in this release: {model_type}; "
                          f"supported: {supported}")
    if algorithm is not None and algorithm not in SUPPORTED_ALGORITHMS[model_type]:
        raise ConfigError(f"Architecture.algorithm: not supported in this release: {algorithm}; "
                          f"supported: {supported}")


def ignored_keys(cfg: Dict[str, Any]) -> List[str]:
    """One line per PaddleOCR key of ``cfg`` that is accepted and not used, saying why; keys set to false or
    left empty ask for nothing and are passed over silently."""
    return [f"Global.{key}: {value} is ignored: {IGNORED_GLOBAL_KEYS[key]}"
            for key, value in (cfg.get("Global", {}) or {}).items() if key in IGNORED_GLOBAL_KEYS and value]


def validate_config(cfg: Dict[str, Any]) -> None:
    """Catch typos in the sections the engine reads directly (components check their own keys) and refuse
    architectures this release lacks."""
    if isinstance(cfg.get("Architecture"), dict):
        check_supported(cfg["Architecture"])
    for key in cfg.get("Global", {}) or {}:
        if key in IGNORED_GLOBAL_KEYS:
            continue
        if key not in GLOBAL_KEYS:
            raise ConfigError(f"unknown key 'Global.{key}'." + closest_hint(key, {**GLOBAL_KEYS, **IGNORED_GLOBAL_KEYS})
                              + f" Valid keys: {', '.join(sorted(GLOBAL_KEYS))}")
    for mode in ("Train", "Eval"):
        section = cfg.get(mode)
        if section is None:
            continue
        for key in section:
            if key not in ("dataset", "loader"):
                raise ConfigError(f"unknown key '{mode}.{key}'. Valid keys: dataset, loader."
                                  + closest_hint(key, ("dataset", "loader")))
        for key in section.get("loader", {}) or {}:
            if key not in LOADER_KEYS:
                raise ConfigError(f"unknown key '{mode}.loader.{key}'. Valid keys: {', '.join(LOADER_KEYS)}."
                                  + closest_hint(key, LOADER_KEYS))


def load_merged_config(path: str, opts: Iterable[str] = ()) -> Dict[str, Any]:
    """``-c path -o ...`` -> validated config dict; PaddleOCR keys it ignores are logged once each."""
    cfg = apply_overrides(load_config(path), opts)
    validate_config(cfg)
    for line in ignored_keys(cfg):
        logging.getLogger("ppocr").info(line)
    return cfg


def save_config(cfg: Dict[str, Any], path: str) -> None:
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        yaml.safe_dump(cfg, f, sort_keys=False, allow_unicode=True)
    os.replace(tmp, path)
