"""Export a trained model to a Paddle inference model plus ``inference.yml``, and check it."""
from __future__ import annotations

import logging
import os
from typing import Any, Dict, Optional, Tuple

import numpy as np
import paddle

from ppocr.infer.backends import (MODEL_PREFIX, ONNX_FILE, ONNX_INSTALL_HINT, DygraphBackend, OnnxBackend,
                                  PaddleInferenceBackend)
from ppocr.infer.contract import contract_from_config, save_contract
from ppocr.utils.registry import ConfigError

logger = logging.getLogger("ppocr")


def export_model(model, config: Dict[str, Any], save_dir: str, shared: Optional[Dict[str, Any]] = None
                 ) -> Dict[str, Any]:
    """Save ``model`` (eval mode, dynamic batch and the contract's dynamic sides) to ``save_dir``; return the
    written contract."""
    contract = contract_from_config(config, shared)
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
    actual = backend.run(sample)
    diffs = [float(np.abs(e - a).max()) for e, a in zip(expected, actual)]
    scaled = [d / max(1.0, float(np.abs(e).max())) for d, e in zip(diffs, expected)]
    return max(diffs), max(scaled)
