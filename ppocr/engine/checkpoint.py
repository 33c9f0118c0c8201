"""Checkpoints: ``prefix.pdparams`` (weights), ``.pdopt`` (optimizer + LR), ``.states`` (JSON progress).

Every file is written to a temporary name, fsynced and renamed, and ``.states`` is written last, so a
checkpoint whose ``.states`` exists is complete even if the process was killed while saving the next one.
"""
from __future__ import annotations

import json
import logging
import os
import re
from typing import Any, Callable, Dict, Optional, Sequence

import paddle

from ppocr.engine.class_transfer import pretrained_classes, transfer_head
from ppocr.errors import CheckpointMismatch, CheckpointWriteError

logger = logging.getLogger("ppocr")


def _write_all_or_nothing(files: Dict[str, Callable[[str], None]]) -> None:
    """Write every ``path: writer`` to a temporary file beside it and fsync it; only when all of them are
    on disk, rename them into place. A failed write (full disk) or a kill before the renames leaves the
    previous checkpoint complete; the renames themselves need no space."""
    tmps = {path: f"{path}.tmp{os.getpid()}" for path in files}
    try:
        for path, write in files.items():
            write(tmps[path])
            with open(tmps[path], "rb+") as f:
                os.fsync(f.fileno())
    except OSError as e:
        for tmp in tmps.values():
            if os.path.exists(tmp):
                os.remove(tmp)
        raise CheckpointWriteError(f"could not write checkpoint file {path}: {e.strerror or e}; the previous "
                                   f"checkpoint is kept") from e
    for path, tmp in tmps.items():
        os.replace(tmp, path)


_SEP = "::"


def _portable_optimizer_state(opt_state: Dict[str, Any], model) -> Dict[str, Any]:
    """Key optimizer accumulators by structured parameter name (``head.conv.weight::moment1_0``).

    Paddle keys them by the auto-generated tensor name (``conv2d_73.w_0_moment1_0``), which depends on how
    many layers the process built before; structured names make a checkpoint load in any process.
    """
    by_tensor_name = {p.name + "_": name for name, p in model.named_parameters()}
    out = {}
    for key, value in opt_state.items():
        prefix = next((n for n in by_tensor_name if key.startswith(n)), None)
        out[f"{by_tensor_name[prefix]}{_SEP}{key[len(prefix):]}" if prefix else key] = value
    return out


def _local_optimizer_state(saved: Dict[str, Any], model) -> Dict[str, Any]:
    tensor_name = {name: p.name for name, p in model.named_parameters()}
    out = {}
    for key, value in saved.items():
        if _SEP in key:
            name, suffix = key.split(_SEP, 1)
            if name not in tensor_name:
                raise ValueError(f"optimizer state for unknown parameter '{name}'")
            key = f"{tensor_name[name]}_{suffix}"
        out[key] = value
    return out


def save_checkpoint(prefix: str, model, optimizer=None, states: Optional[Dict[str, Any]] = None) -> None:
    """``prefix.pdparams`` (weights), ``prefix.pdopt`` (optimizer) and ``prefix.states`` (progress, JSON),
    replaced together (see :func:`_write_all_or_nothing`)."""
    os.makedirs(os.path.dirname(os.path.abspath(prefix)), exist_ok=True)
    files = {prefix + ".pdparams": lambda p: paddle.save(model.state_dict(), p)}
    if optimizer is not None:
        opt_state = _portable_optimizer_state(optimizer.state_dict(), model)
        files[prefix + ".pdopt"] = lambda p: paddle.save(opt_state, p)

    def write_states(p: str) -> None:
        with open(p, "w", encoding="utf-8") as f:
            json.dump(states or {}, f, indent=1)

    files[prefix + ".states"] = write_states
    _write_all_or_nothing(files)


def average_checkpoints(prefixes: Sequence[str], weights: Optional[Sequence[float]] = None) -> Dict[str, Any]:
    """The weighted mean of the weights of checkpoints of one architecture (a "model soup"): runs of
    fine-tuning from a common start land near each other, and their mean often reads better than each.
    ``weights`` default to equal and are normalised to sum to 1; tensors that are not floating point (none
    in our models) are taken from the first checkpoint."""
    if not prefixes:
        raise ValueError("no checkpoints to average")
    weights = [1.0] * len(prefixes) if weights is None else [float(w) for w in weights]
    if len(weights) != len(prefixes) or min(weights) < 0 or sum(weights) <= 0:
        raise ValueError(f"need one non-negative weight per checkpoint ({len(prefixes)}), got {weights}")
    states = [_read_weights(prefix) for prefix in prefixes]
    first = states[0]
    for prefix, state in zip(prefixes[1:], states[1:]):
        if set(state) != set(first):
            raise CheckpointMismatch(f"{prefix} has other weights than {prefixes[0]}: "
                                     f"{sorted(set(state) ^ set(first))[:3]}")
        wrong = [k for k in first if list(state[k].shape) != list(first[k].shape)]
        if wrong:
            raise CheckpointMismatch(f"{prefix} does not fit {prefixes[0]}: {wrong[0]} has shape "
                                     f"{list(state[wrong[0]].shape)} against {list(first[wrong[0]].shape)}")
    total = sum(weights)
    return {k: sum((w / total) * state[k] for w, state in zip(weights, states)) if first[k].is_floating_point()
            else first[k] for k in first}


def save_weights(prefix: str, state: Dict[str, Any]) -> None:
    """``prefix.pdparams`` alone (a checkpoint to fine-tune or export from), written atomically."""
    os.makedirs(os.path.dirname(os.path.abspath(prefix)), exist_ok=True)
    _write_all_or_nothing({prefix + ".pdparams": lambda p: paddle.save(state, p)})


def _read_weights(prefix: str) -> Dict[str, Any]:
    """The weights of checkpoint ``prefix`` (``prefix.pdparams``; a suffix on ``prefix`` is allowed)."""
    path = _strip_suffix(prefix) + ".pdparams"
    if not os.path.isfile(path):
        raise FileNotFoundError(f"checkpoint not found: {path}")
    return paddle.load(path)


def _strip_suffix(path: str) -> str:
    for suffix in (".pdparams", ".pdopt", ".states", ".pdiparams", ".json"):
        if path.endswith(suffix):
            return path[: -len(suffix)]
    return path


def load_checkpoint(prefix: str, model, optimizer=None) -> Dict[str, Any]:
    """Restore weights (and optimizer/LR when given); return the saved progress states."""
    prefix = _strip_suffix(prefix)
    state = _read_weights(prefix)
    missing = set(model.state_dict()) - set(state)
    if missing:
        raise CheckpointMismatch(f"checkpoint {prefix} does not fit this model: {len(missing)} missing weights, "
                         f"e.g. {sorted(missing)[:3]}")
    own = model.state_dict()
    wrong = [f"{k} {list(state[k].shape)} vs {list(v.shape)}" for k, v in own.items()
             if list(state[k].shape) != list(v.shape)]
    if wrong:
        raise CheckpointMismatch(f"checkpoint {prefix} does not fit this model: {len(wrong)} weights have other "
                                 f"shapes, e.g. {wrong[0]}. Use the config it was trained with "
                                 f"(save_model_dir/config.yml).")
    model.set_state_dict(state)
    if optimizer is not None and os.path.isfile(prefix + ".pdopt"):
        optimizer.set_state_dict(_local_optimizer_state(paddle.load(prefix + ".pdopt"), model))
    states = {}
    if os.path.isfile(prefix + ".states"):
        with open(prefix + ".states", encoding="utf-8") as f:
            states = json.load(f)
    return states


def training_only_prefixes(model) -> tuple:
    """State-dict key prefixes of the sub-layers that only training runs: a layer lists the names of such
    children in ``TRAINING_ONLY`` (exported models, traced in eval mode, hold none of their weights)."""
    prefixes = []
    for name, layer in [("", model)] + list(model.named_sublayers()):
        for child in getattr(layer, "TRAINING_ONLY", ()):
            prefixes.append(f"{name}.{child}." if name else f"{child}.")
    return tuple(prefixes)


def load_pretrained(path: str, model, strict: bool = False, classes: Optional[Sequence[str]] = None) -> None:
    """Load matching weights from a checkpoint (``prefix.pdparams``) or an exported inference model (its
    dir, or ``dir/inference``), so that a shipped model can be fine-tuned. Shape mismatches and absent
    keys are skipped and summarised in one line; with ``strict`` (evaluation) they are an error, except the
    weights that only training uses (:func:`training_only_prefixes`), which an export leaves out.
    ``classes``: this recognizer's classes; when the pretrained model's dictionary differs, its head rows
    follow their characters (:mod:`ppocr.engine.class_transfer`)."""
    path = _strip_suffix(path)
    source = path
    if os.path.isdir(path):
        path = os.path.join(path, "inference")
    if os.path.isfile(path + ".pdparams"):
        state = paddle.load(path + ".pdparams")
    elif os.path.isfile(path + ".pdiparams") and os.path.isfile(path + ".json"):
        state = _inference_state(path, model)
    else:
        raise FileNotFoundError(f"pretrained model not found: neither {path}.pdparams (a checkpoint) nor "
                                f"{path}.pdiparams + .json (an exported model)")
    own = model.state_dict()
    if classes is not None:
        old = pretrained_classes(source)
        if old is not None and list(old) != list(classes):
            state = transfer_head(state, own, old, classes)
    loaded, mismatched = {}, []
    for key, value in own.items():
        if key in state and list(state[key].shape) == list(value.shape):
            loaded[key] = state[key]
        elif key in state:
            mismatched.append(f"{key} {list(state[key].shape)}->{list(value.shape)}")
    absent = len(own) - len(loaded) - len(mismatched)
    # An export leaves out what only training uses (DB's threshold branch): evaluation needs none of it.
    optional = training_only_prefixes(model)
    needed = [k for k in own if k not in state and not k.startswith(optional)]
    if strict and (mismatched or needed):
        shapes = f" ({', '.join(mismatched[:3])})" if mismatched else ""
        names = f" ({', '.join(needed[:3])})" if needed else ""
        raise CheckpointMismatch(f"{path} does not fit this model: {len(mismatched)} weights have other shapes"
                                 f"{shapes} and {len(needed)} are absent{names}. Use the config it was trained "
                                 f"with.")
    model.set_state_dict(loaded)
    unused = f" (the {absent - len(needed)} that only training uses)" if absent > len(needed) else ""
    logger.info(f"loaded pretrained weights from {path}: {len(loaded)}/{len(own)} tensors; skipped "
                f"{len(mismatched)} with other shapes{' (' + ', '.join(mismatched[:3]) + ')' if mismatched else ''}"
                f" and {absent} absent from the file{unused}")


_PARAM_NAME = re.compile(r"^(.*)_(\d+)\.(\w+)$")  # e.g. "batch_norm2d_12.w_1" -> layer kind, index, slot


def _creation_order(names) -> Dict[tuple, list]:
    """Parameter names grouped by (layer kind, slot), each group in the order its layers were created.
    Paddle names parameters from per-kind counters, so two builds of one architecture agree on this
    order even when the counters started elsewhere (another model built first in the same process)."""
    groups: Dict[tuple, list] = {}
    for name in names:
        m = _PARAM_NAME.match(name)
        if m:
            groups.setdefault((m.group(1), m.group(3)), []).append((int(m.group(2)), name))
    return {key: [name for _, name in sorted(items)] for key, items in groups.items()}


def _inference_state(prefix: str, model) -> Dict[str, Any]:
    """The weights of an exported model keyed like ``model.state_dict()``.

    The program (``.json``) keeps each weight's parameter name from export time; ``.pdiparams`` stores
    the persistable ones sorted by that name. Both names and the model's own are put in creation order
    per layer kind and paired, so this works for the architecture that was exported (other weights are
    left to the caller's shape check)."""
    with open(prefix + ".json", encoding="utf-8") as f:
        ops = json.load(f)["program"]["regions"][0]["blocks"][0]["ops"]
    exported = sorted(op["A"][3] for op in ops if op["#"] == "p" and not op["A"][3].endswith("_non_persistable"))
    translated = paddle.jit.load(prefix).state_dict()
    values = [translated[f"param_{i}"] for i in range(len(exported)) if f"param_{i}" in translated]
    if len(values) != len(exported):
        raise CheckpointMismatch(f"{prefix}.pdiparams holds {len(values)} weights, its program names "
                                 f"{len(exported)}: not an export of this toolkit?")
    by_name = dict(zip(exported, values))
    keys_of: Dict[str, list] = {}
    for key, tensor in model.state_dict().items():
        keys_of.setdefault(tensor.name, []).append(key)  # an LSTM shares tensors between two keys
    theirs = _creation_order(exported)
    state = {}
    for group, names in _creation_order(keys_of).items():
        for own_name, their_name in zip(names, theirs.get(group, [])):
            for key in keys_of[own_name]:
                state[key] = by_name[their_name]
    return state
