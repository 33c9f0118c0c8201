"""Backends run a network on a preprocessed batch; predictors differ only in which backend they hold."""
from __future__ import annotations

import logging
import os
from typing import List, Optional

import numpy as np

from ppocr.errors import ConfigError

logger = logging.getLogger("ppocr")

MODEL_PREFIX = "inference"  # <dir>/inference.json + inference.pdiparams + inference.yml (+ inference.onnx)
ONNX_FILE = MODEL_PREFIX + ".onnx"
ONNX_INSTALL_HINT = "pip install -r requirements-onnx.txt"


def model_files(model_dir: str):
    prog = os.path.join(model_dir, MODEL_PREFIX + ".json")
    params = os.path.join(model_dir, MODEL_PREFIX + ".pdiparams")
    for f in (prog, params):
        if not os.path.isfile(f):
            raise FileNotFoundError(f"no exported model in {model_dir}: missing {os.path.basename(f)} "
                                    f"(create one with tools/export_model.py)")
    return prog, params


def check_model_dir(model_dir: str, use_onnx: Optional[bool] = False) -> None:
    """Fail early, with the file name, if ``model_dir`` lacks what the chosen backend loads (``use_onnx`` unset:
    either backend's files)."""
    if use_onnx is None:
        if not os.path.isfile(os.path.join(model_dir, ONNX_FILE)):
            model_files(model_dir)
    elif use_onnx:
        if not os.path.isfile(os.path.join(model_dir, ONNX_FILE)):
            raise FileNotFoundError(f"no ONNX model in {model_dir}: missing {ONNX_FILE} (write one with "
                                    f"tools/export_model.py ... --onnx)")
    else:
        model_files(model_dir)


class PaddleInferenceBackend:
    """A ``paddle.inference`` predictor; oneDNN on CPU with a capped shape cache (inputs vary in size)."""

    def __init__(self, model_dir: str, use_gpu: bool = False, cpu_threads: int = 1, enable_mkldnn: bool = True,
                 mkldnn_cache_capacity: int = 10):
        from paddle import inference

        prog, params = model_files(model_dir)
        config = inference.Config(prog, params)
        if use_gpu:
            config.enable_use_gpu(500, 0)
        else:
            config.disable_gpu()
            config.set_cpu_math_library_num_threads(int(cpu_threads))
            if enable_mkldnn:
                config.enable_mkldnn()
                config.set_mkldnn_cache_capacity(int(mkldnn_cache_capacity))
            else:
                config.disable_mkldnn()
        config.disable_glog_info()
        config.switch_ir_optim(True)
        self.predictor = inference.create_predictor(config)
        self.input_names = self.predictor.get_input_names()
        self.output_names = self.predictor.get_output_names()

    def run(self, x: np.ndarray) -> List[np.ndarray]:
        handle = self.predictor.get_input_handle(self.input_names[0])
        handle.reshape(list(x.shape))
        handle.copy_from_cpu(np.ascontiguousarray(x, dtype=np.float32))
        self.predictor.run()
        return [self.predictor.get_output_handle(n).copy_to_cpu() for n in self.output_names]


class OnnxBackend:
    """The model's ``inference.onnx`` (written by ``tools/export_model.py --onnx``) run by onnxruntime."""

    def __init__(self, model_dir: str, use_gpu: bool = False, cpu_threads: int = 1):
        try:
            import onnxruntime
        except ImportError:
            raise ConfigError(f"--use_onnx needs onnxruntime: {ONNX_INSTALL_HINT}") from None
        check_model_dir(model_dir, use_onnx=True)
        path = os.path.join(model_dir, ONNX_FILE)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = int(cpu_threads)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # errors only: graph-cleanup warnings are not actionable
        # Without the arena, memory goes back after each run: inputs vary in size, and the arena kept the
        # largest page's buffers (peak RSS over the dev pages 598 -> 430 MB, latency unchanged).
        options.enable_cpu_mem_arena = False
        providers = ["CPUExecutionProvider"]
        if use_gpu:
            if "CUDAExecutionProvider" in onnxruntime.get_available_providers():
                providers.insert(0, "CUDAExecutionProvider")
            else:
                logger.warning("--use_gpu with --use_onnx: this onnxruntime has no CUDA provider, running on CPU "
                               "(install onnxruntime-gpu for GPU inference)")
        self.session = onnxruntime.InferenceSession(path, options, providers=providers)
        self.input_name = self.session.get_inputs()[0].name

    def run(self, x: np.ndarray) -> List[np.ndarray]:
        return self.session.run(None, {self.input_name: np.ascontiguousarray(x, dtype=np.float32)})


def onnx_available(model_dir: str) -> bool:
    """True when ``model_dir`` holds an ``inference.onnx`` and onnxruntime is installed."""
    if not os.path.isfile(os.path.join(model_dir, ONNX_FILE)):
        return False
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def resolve_use_onnx(model_dir: str, use_onnx: Optional[bool], use_gpu: bool = False) -> bool:
    """The backend for ``model_dir``: ``use_onnx`` when given; unset (``None``), onnxruntime on a CPU wherever
    the model has an ``inference.onnx`` (it reads the same as ``paddle.inference`` and is faster on CPUs:
    doc/inference_en.md, "Backends"), else ``paddle.inference``."""
    if use_onnx is not None:
        return bool(use_onnx)
    return not use_gpu and onnx_available(model_dir)


def create_backend(model_dir: str, use_onnx: Optional[bool] = None, use_gpu: bool = False, cpu_threads: int = 1,
                   enable_mkldnn: bool = True):
    """The backend the predictors' flags ask for: onnxruntime with ``use_onnx``, ``paddle.inference`` without;
    unset, as :func:`resolve_use_onnx` decides."""
    onnx = resolve_use_onnx(model_dir, use_onnx, use_gpu)
    logger.info(f"{model_dir}: {'onnxruntime' if onnx else 'paddle.inference'}, {cpu_threads} thread(s)")
    if onnx:
        return OnnxBackend(model_dir, use_gpu, cpu_threads)
    return PaddleInferenceBackend(model_dir, use_gpu, cpu_threads, enable_mkldnn)


class DygraphBackend:
    """The dynamic-graph model from a checkpoint (tools/infer_*.py); returns the same arrays as the export."""

    def __init__(self, model):
        self.model = model
        self.model.eval()

    def run(self, x: np.ndarray) -> List[np.ndarray]:
        import paddle

        with paddle.no_grad():
            out = self.model(paddle.to_tensor(x))
        return [v.numpy() for v in flatten_outputs(out)]


def flatten_outputs(out) -> list:
    """Model outputs in export order: dict values in key order, or the tensor itself."""
    if isinstance(out, dict):
        return [out[k] for k in out]
    if isinstance(out, (list, tuple)):
        return list(out)
    return [out]

