"""Process-wide runtime setup shared by the tools: device, threads, seed, logging and the model's parts."""
from __future__ import annotations

import logging
import os
import random
from typing import Any, Dict, List, Optional

import numpy as np
import paddle

logger = logging.getLogger("ppocr")


def setup_runtime(config: Dict[str, Any]) -> int:
    """Device, thread count, OpenCV threads and seeds from ``Global``; returns the number of threads."""
    g = config.setdefault("Global", {})
    use_gpu = bool(g.get("use_gpu", False)) and paddle.device.is_compiled_with_cuda()
    if g.get("use_gpu") and not use_gpu:
        logger.info("Global.use_gpu is true but this Paddle has no CUDA: running on CPU")
    paddle.set_device("gpu" if use_gpu else "cpu")
    threads = int(g.get("num_threads") or os.environ.get("OMP_NUM_THREADS") or 1)
    # Paddle sets OMP_NUM_THREADS=1 on import when unset, so set the thread count explicitly.
    paddle.base.core.set_num_threads(threads)
    # OpenCV's own thread pool would compete with Paddle's threads and with DataLoader workers.
    import cv2

    cv2.setNumThreads(1)
    seed = int(g.get("seed") or 0)
    random.seed(seed)
    np.random.seed(seed)
    paddle.seed(seed)
    return threads


def build_shared(config: Dict[str, Any]) -> Dict[str, Any]:
    """Objects several components need, passed to the constructors that name them.

    Recognition: ``character`` (the one CharacterDict for label encoders, head size, decoders and export),
    ``max_text_length`` and ``out_channels`` (the head's class count). Direction classification:
    ``directions`` (the checked label_list). Detection needs none.
    """
    arch = config["Architecture"]
    if arch.get("model_type") == "cls":
        return {"directions": cls_directions(config)}
    if arch.get("model_type") != "rec":
        return {}
    from ppocr.utils.character import CharacterDict

    g = config["Global"]
    mode = "attention" if (arch.get("Head") or {}).get("name") == "AttentionHead" else "ctc"
    character = CharacterDict.for_character_type(g.get("character_type"), g.get("character_dict_path"),
                                                 bool(g.get("use_space_char", False)), mode)
    logger.info(character.describe())
    return {"character": character, "max_text_length": int(g.get("max_text_length", 25)),
            "out_channels": character.num_classes}


def cls_directions(config: Dict[str, Any]) -> List[str]:
    """The direction classifier's ``label_list``, which PaddleOCR's schema repeats in the label ops and the
    post-process: every copy must agree, and ``Architecture.Head.class_dim`` must count it."""
    from ppocr.errors import ConfigError
    from ppocr.utils.directions import TWO_DIRECTIONS, parse_label_list

    found = {}
    for mode in ("Train", "Eval"):
        for i, entry in enumerate(((config.get(mode) or {}).get("dataset") or {}).get("transforms") or []):
            (name, kwargs), = entry.items()
            if name in ("ClsLabelEncode", "RandomDirectionLabel") and (kwargs or {}).get("label_list"):
                found[f"{mode}.dataset.transforms[{i}].{name}"] = kwargs["label_list"]
    if (config.get("PostProcess") or {}).get("label_list"):
        found["PostProcess"] = config["PostProcess"]["label_list"]
    lists = {where: parse_label_list(labels, where) for where, labels in found.items()}
    first, directions = next(iter(lists.items()), (None, TWO_DIRECTIONS))
    for where, labels in lists.items():
        if labels != directions:
            raise ConfigError(f"{where}.label_list {labels} differs from {first}.label_list {directions}: "
                              f"give every copy the same directions in the same order")
    class_dim = (config["Architecture"].get("Head") or {}).get("class_dim", 2)
    if class_dim != len(directions):
        raise ConfigError(f"Architecture.Head.class_dim is {class_dim} but label_list has {len(directions)} "
                          f"directions {directions}: set class_dim: {len(directions)}")
    return list(directions)


def build_components(config: Dict[str, Any], shared: Optional[Dict[str, Any]] = None):
    """Model, post-process and metric from a config (import here keeps ``ppocr`` import light)."""
    from ppocr.metrics import build_metric
    from ppocr.modeling.architectures import build_model
    from ppocr.postprocess import build_post_process

    shared = build_shared(config) if shared is None else shared
    model = build_model(config["Architecture"], context=shared)
    post_process = build_post_process(config["PostProcess"], context=shared) if config.get("PostProcess") else None
    metric = build_metric(config["Metric"]) if config.get("Metric") else None
    return model, post_process, metric


def unpack_batch(batch: list):
    """Split a collated batch into ``(fields, indices, skipped)`` (see ``ppocr.data.collate_batch``)."""
    skipped = int(batch[-1].item())
    if len(batch) == 1:
        return None, None, skipped
    return batch[:-2], batch[-2].numpy(), skipped


def evaluate(model, loader, post_process, metric, progress: Optional[bool] = None) -> Dict[str, float]:
    """Run the model over ``loader`` and return the metric (same code for training-time eval and eval.py)."""
    from tqdm import tqdm

    model.eval()
    metric.reset()
    skipped_total = 0
    show = progress if progress is not None else os.isatty(2)
    with paddle.no_grad():
        for batch in tqdm(loader, desc="eval", disable=not show, leave=False):
            fields, _, skipped = unpack_batch(batch)
            skipped_total += skipped
            if fields is None:
                continue
            preds = model(fields[0])
            result = post_process(preds, fields[1].numpy())
            metric(result, [f.numpy() for f in fields])
    model.train()
    if skipped_total:
        logger.warning(f"eval: {skipped_total} samples could not be used (see warnings above)")
    return metric.get_metric()


def load_trained_model(config: Dict[str, Any]):
    """``(model, shared)`` for inference from ``Global.checkpoints`` (or ``pretrained_model``) and
    ``Global.infer_img``, as tools/infer_*.py need them."""
    from ppocr.engine.checkpoint import load_checkpoint
    from ppocr.errors import ConfigError

    g = config["Global"]
    weights = g.get("checkpoints") or g.get("pretrained_model")
    if not weights or not g.get("infer_img"):
        raise ConfigError("set -o Global.checkpoints=OUTPUT_DIR/best_accuracy Global.infer_img=IMAGE_OR_DIR")
    setup_runtime(config)
    shared = build_shared(config)
    model = build_components(config, shared)[0]
    load_checkpoint(weights, model)
    return model, shared


def checkpoint_inputs(config: Dict[str, Any]):
    """``(contract, backend, paths)`` for tools/infer_*.py: the model of ``Global.checkpoints`` as a backend of
    the same predictors its export runs in, its contract, and the files of ``Global.infer_img``."""
    from ppocr.infer.backends import DygraphBackend
    from ppocr.infer.contract import contract_from_config
    from ppocr.infer.images import list_images

    model, shared = load_trained_model(config)
    return contract_from_config(config, shared), DygraphBackend(model), list_images(config["Global"]["infer_img"])
