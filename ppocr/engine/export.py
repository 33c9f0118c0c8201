"""Export a trained model to a Paddle inference model plus ``inference.yml``, and check it."""
from __future__ import annotations

import logging
import os
from typing import Any, Dict, Optional

import numpy as np
import paddle

from ppocr.infer.backends import MODEL_PREFIX, DygraphBackend, PaddleInferenceBackend
from ppocr.infer.contract import contract_from_config, save_contract

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


def parity_check(model, save_dir: str, sample: np.ndarray, enable_mkldnn: bool = True) -> float:
    """Max |dygraph - exported| over all outputs on ``sample``, with the backend users will run."""
    expected = DygraphBackend(model).run(sample)
    actual = PaddleInferenceBackend(save_dir, enable_mkldnn=enable_mkldnn).run(sample)
    return max(float(np.abs(e - a).max()) for e, a in zip(expected, actual))
