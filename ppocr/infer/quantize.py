"""INT8 static quantization of an exported model's ``inference.onnx`` with ONNX Runtime.

Calibration feeds the model exactly what the predictors feed it: the images are run through the model's own
:class:`TextDetector` or :class:`TextRecognizer` (resize, normalisation, batching by width, the reading
retries), and every batch that reaches the network is recorded. Calibrate on data like the data you will read
(e.g. ``tools/gen_data.py`` output), never on the data you evaluate on.
"""
from __future__ import annotations

import os
import shutil
from typing import Iterable, List, Sequence

import numpy as np

from ppocr.infer.backends import MODEL_PREFIX, ONNX_FILE, OnnxBackend
from ppocr.infer.contract import load_contract

PADDLE_FILES = (MODEL_PREFIX + ".json", MODEL_PREFIX + ".pdiparams")


class RecordingBackend:
    """Runs ``backend`` and keeps a copy of every input batch."""

    def __init__(self, backend):
        self.backend = backend
        self.inputs: List[np.ndarray] = []

    def run(self, x: np.ndarray) -> List[np.ndarray]:
        self.inputs.append(np.array(x, dtype=np.float32))
        return self.backend.run(x)


def calibration_inputs(model_dir: str, images: Sequence[np.ndarray]) -> List[np.ndarray]:
    """The network inputs that reading ``images`` (pages for a detector, line crops for a recognizer) with the
    model in ``model_dir`` produces."""
    from ppocr.infer.det import TextDetector
    from ppocr.infer.rec import TextRecognizer

    contract = load_contract(model_dir)
    recorder = RecordingBackend(OnnxBackend(model_dir))
    if contract["model_type"] == "det":
        detector = TextDetector(contract, recorder)
        for img in images:
            detector(img)
    else:
        TextRecognizer(contract, recorder, model_dir=model_dir)(list(images))
    return recorder.inputs


# Per-channel DequantizeLinear (its ``axis``) needs opset 13; our exports use 11.
QDQ_MIN_OPSET = 13


def _with_opset(source: str, target: str, opset: int) -> None:
    """Write ``source`` to ``target`` converted up to ``opset`` where it is older."""
    import onnx
    from onnx import version_converter

    model = onnx.load(source)
    current = max(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))
    if current < opset:
        model = version_converter.convert_version(model, opset)
    onnx.save(model, target)


def quantize_model_dir(model_dir: str, out_dir: str, inputs: Iterable[np.ndarray], per_channel: bool = True) -> str:
    """Write ``out_dir``: ``model_dir``'s files (contract, dictionary, language model...) with its
    ``inference.onnx`` quantized to INT8 (QDQ format: signed 8-bit weights per channel, unsigned 8-bit
    activations with min/max ranges from ``inputs``). The Paddle files are left out: the folder runs with
    onnxruntime only. Returns the path of the quantized model."""
    from onnxruntime.quantization import (
        CalibrationDataReader,
        QuantFormat,
        QuantType,
        quant_pre_process,
        quantize_static,
    )

    source = os.path.join(model_dir, ONNX_FILE)
    input_name = OnnxBackend(model_dir).input_name

    class _Reader(CalibrationDataReader):
        def __init__(self):
            self.batches = iter(inputs)

        def get_next(self):
            x = next(self.batches, None)
            return None if x is None else {input_name: x}

    os.makedirs(out_dir, exist_ok=True)
    for name in os.listdir(model_dir):
        if name not in PADDLE_FILES + (ONNX_FILE,) and os.path.isfile(os.path.join(model_dir, name)):
            shutil.copy2(os.path.join(model_dir, name), os.path.join(out_dir, name))
    prepared = os.path.join(out_dir, "prepared.onnx")
    target = os.path.join(out_dir, ONNX_FILE)
    try:
        _with_opset(source, prepared, QDQ_MIN_OPSET)
        quant_pre_process(prepared, prepared, skip_symbolic_shape=True)
        quantize_static(prepared, target, _Reader(), quant_format=QuantFormat.QDQ, per_channel=per_channel,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
    finally:
        if os.path.exists(prepared):
            os.remove(prepared)
    return target
