"""Export a trained model to a Paddle inference model plus ``inference.yml``, and check it."""
from __future__ import annotations

import logging
import os
from typing import Any, Dict, Optional, Tuple

import numpy as np
import paddle

from ppocr.errors import ConfigError
from ppocr.infer.backends import (
    MODEL_PREFIX,
    ONNX_FILE,
    ONNX_INSTALL_HINT,
    DygraphBackend,
    OnnxBackend,
    PaddleInferenceBackend,
)
from ppocr.infer.contract import contract_from_config, save_contract

logger = logging.getLogger("ppocr")


def export_model(model, config: Dict[str, Any], save_dir: str, shared: Optional[Dict[str, Any]] = None,
                 reading: str = "shipped") -> Dict[str, Any]:
    """Save ``model`` (eval mode, dynamic batch and the contract's dynamic sides) to ``save_dir``; return the
    written contract, which records the reading policy preset ``reading`` (ppocr/infer/reading/policy.py)."""
    from ppocr import __version__
    from ppocr.infer.reading import resolve_policy

    contract = contract_from_config(config, shared)
    contract["exported_by"] = f"ppocr-lite {__version__}"  # the toolkit that wrote it (CHANGELOG.md)
    if contract["model_type"] != "cls":  # the reading steps belong to the detector and the recognizer
        contract["Reading"] = resolve_policy(reading).to_dict()
    os.makedirs(save_dir, exist_ok=True)
    model.eval()
    # InputSpec rewrites None to -1 in the list it is given: hand it a copy, the contract keeps None.
    spec = [paddle.static.InputSpec(list(contract["input_shape"]), "float32", "x")]
    static_model = paddle.jit.to_static(model, input_spec=spec, full_graph=True)
    paddle.jit.save(static_model, os.path.join(save_dir, MODEL_PREFIX))
    save_contract(contract, save_dir)
    return contract


ONNX_OPSET = 11


def export_onnx(save_dir: str, opset: int = ONNX_OPSET) -> str:
    """Convert the exported Paddle model in ``save_dir`` to ``inference.onnx`` (dynamic batch and sides kept)."""
    try:
        import paddle2onnx
    except ImportError:
        raise ConfigError(f"--onnx needs paddle2onnx: {ONNX_INSTALL_HINT}") from None
    prefix = os.path.join(save_dir, MODEL_PREFIX)
    path = os.path.join(save_dir, ONNX_FILE)
    paddle2onnx.export(prefix + ".json", prefix + ".pdiparams", path, opset_version=opset)
    return path


def parity_check(model, save_dir: str, sample: np.ndarray, enable_mkldnn: bool = True, onnx: bool = False
                 ) -> Tuple[float, float]:
    """``(max |dygraph - exported|, the same relative to max(1, max |dygraph|))`` over all outputs on
    ``sample``, with the backend users will run (``paddle.inference``, or onnxruntime on ``inference.onnx``).
    The relative figure makes outputs in pixels (EAST's geometry, up to +-800) comparable with probabilities."""
    expected = DygraphBackend(model).run(sample)
    backend = OnnxBackend(save_dir) if onnx else PaddleInferenceBackend(save_dir, enable_mkldnn=enable_mkldnn)
    return _max_difference(expected, backend.run(sample))


def onnx_parity(save_dir: str, sample: np.ndarray) -> Tuple[float, float]:
    """Like :func:`parity_check`, between the exported Paddle model (run without oneDNN, the reference
    arithmetic) and its ``inference.onnx``: for a model exported earlier, whose checkpoint may be gone."""
    expected = PaddleInferenceBackend(save_dir, enable_mkldnn=False).run(sample)
    return _max_difference(expected, OnnxBackend(save_dir).run(sample))


def _max_difference(expected, actual) -> Tuple[float, float]:
    diffs = [float(np.abs(e - a).max()) for e, a in zip(expected, actual)]
    scaled = [d / max(1.0, float(np.abs(e).max())) for d, e in zip(diffs, expected)]
    return max(diffs), max(scaled)


def parity_sample(contract: Dict[str, Any], image_path: Optional[str] = None) -> np.ndarray:
    """A batch to compare exports on: a detector's real page when ``image_path`` is given (an image or a
    folder of them), else a deterministic random input of the contract's shape (320 for a free side)."""
    from ppocr.infer.det import TextDetector
    from ppocr.infer.images import list_images, read_image

    if contract["model_type"] == "det" and image_path and os.path.exists(image_path):
        img = read_image(list_images(image_path)[0])
        return TextDetector(contract, backend=None).preprocess(img)[0]
    _, c, h, w = contract["input_shape"]
    return np.random.RandomState(0).uniform(-1, 1, (1, c or 3, h or 320, w or 320)).astype("float32")
