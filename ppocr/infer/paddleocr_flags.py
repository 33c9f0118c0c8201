"""PaddleOCR 2.0-2.7 prediction flags (its ``tools/infer/utility.py``) that the predictors accept so that
command lines and scripts carry over: flags with nothing to do here are ignored with one info line each when
given, flags of features this release lacks are accepted while they leave the feature off, and the old
names of our own flags are aliases."""
from __future__ import annotations

import argparse
import logging
from typing import Any, Dict, Tuple

from ppocr.errors import ConfigError

logger = logging.getLogger("ppocr")

_TENSORRT = "TensorRT is not used (on a CPU the models run with ONNX Runtime or oneDNN)"
_ACCELERATOR = "only CPUs and CUDA GPUs (--use_gpu) are supported"
_NOT_IN_RELEASE = "{} is not in this release"
# flag -> why it has no effect here
IGNORED_FLAGS: Dict[str, str] = {
    "ir_optim": "Paddle Inference always optimises the graph",
    "use_tensorrt": _TENSORRT, "min_subgraph_size": _TENSORRT,
    "precision": "a model runs in the precision it was exported in (tools/quantize_onnx.py makes an INT8 copy)",
    "use_fp16": "a model runs in the precision it was exported in",
    "gpu_mem": "Paddle manages GPU memory itself", "gpu_id": "the first visible GPU is used (CUDA_VISIBLE_DEVICES)",
    "use_xpu": _ACCELERATOR, "use_npu": _ACCELERATOR, "use_mlu": _ACCELERATOR,
    "use_zero_copy_run": "inputs are always passed without copies",
    "use_pdserving": "PaddleServing is not used",
    "warmup": "--benchmark warms up on the first image by itself",
    "show_log": "the predictors always log to stderr", "save_log_path": "the predictors always log to stderr",
    "process_id": "--use_mp numbers its processes itself",
    "max_text_length": "the model's inference.yml holds what its decoder needs",
    "rec_image_inverse": "--rec_invert_retry reads light-on-dark crops inverted",
    "det_sast_score_thresh": _NOT_IN_RELEASE.format("SAST"), "det_sast_nms_thresh": _NOT_IN_RELEASE.format("SAST"),
    "det_sast_polygon": _NOT_IN_RELEASE.format("SAST"),
    "det_pse_thresh": _NOT_IN_RELEASE.format("PSE"), "det_pse_box_thresh": _NOT_IN_RELEASE.format("PSE"),
    "det_pse_min_area": _NOT_IN_RELEASE.format("PSE"), "det_pse_scale": _NOT_IN_RELEASE.format("PSE"),
    "scales": _NOT_IN_RELEASE.format("FCE"), "alpha": _NOT_IN_RELEASE.format("FCE"),
    "beta": _NOT_IN_RELEASE.format("FCE"), "fourier_degree": _NOT_IN_RELEASE.format("FCE"),
    "e2e_algorithm": _NOT_IN_RELEASE.format("PGNet"), "e2e_model_dir": _NOT_IN_RELEASE.format("PGNet"),
    "e2e_limit_side_len": _NOT_IN_RELEASE.format("PGNet"), "e2e_limit_type": _NOT_IN_RELEASE.format("PGNet"),
    "e2e_pgnet_score_thresh": _NOT_IN_RELEASE.format("PGNet"),
    "e2e_char_dict_path": _NOT_IN_RELEASE.format("PGNet"), "e2e_pgnet_valid_set": _NOT_IN_RELEASE.format("PGNet"),
    "e2e_pgnet_mode": _NOT_IN_RELEASE.format("PGNet"),
    "sr_model_dir": _NOT_IN_RELEASE.format("text super-resolution"),
    "sr_image_shape": _NOT_IN_RELEASE.format("text super-resolution"),
    "sr_batch_num": _NOT_IN_RELEASE.format("text super-resolution"),
    "crop_res_save_dir": _NOT_IN_RELEASE.format("saving the recognition crops"),
}
# flag -> (the value that leaves the feature off, what the feature is); other values are refused by name.
OFF_FLAGS: Dict[str, Tuple[Any, str]] = {
    "save_crop_res": (False, "saving the recognition crops"),
    "return_word_box": (False, "returning word boxes"),
    "det_box_type": ("quad", "detecting polygons"),
    "page_num": (0, "choosing PDF pages (all pages are read)"),
}
_OFF_TYPES = {"save_crop_res": "bool", "return_word_box": "bool", "det_box_type": str,
              "page_num": int}
# old name -> our flag
ALIASES = {"det_max_side_len": "det_limit_side_len", "draw_img_save_dir": "output_dir"}


def add_paddleocr_flags(parser: argparse.ArgumentParser, str2bool) -> None:
    """Accept the flags above (hidden from --help, which names doc/inference_en.md instead)."""
    for flag in IGNORED_FLAGS:
        parser.add_argument(f"--{flag}", default=None, help=argparse.SUPPRESS)
    for flag, kind in _OFF_TYPES.items():
        parser.add_argument(f"--{flag}", type=str2bool if kind == "bool" else kind, default=None,
                            help=argparse.SUPPRESS)
    parser.add_argument("--det_max_side_len", type=float, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--draw_img_save_dir", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--rec_char_type", default=None, help=argparse.SUPPRESS)


def apply_paddleocr_flags(args: argparse.Namespace) -> None:
    """Log the ignored flags that were given, refuse features turned on, and move aliases to our flags."""
    for flag, why in IGNORED_FLAGS.items():
        if getattr(args, flag) is not None:
            logger.info(f"--{flag} is ignored: {why}")
    for flag, (off, feature) in OFF_FLAGS.items():
        value = getattr(args, flag)
        if value is not None and value != off:
            raise ConfigError(f"--{flag}={value}: {feature} is not in this release (accepted only as {off})")
    for old, new in ALIASES.items():
        if getattr(args, old) is not None:
            setattr(args, new, getattr(args, old))
    if args.rec_char_type is not None:
        logger.info(f"--rec_char_type={args.rec_char_type}: the recognizer's dictionary is the one stored in "
                    f"its inference.yml (a model trained with character_type en folds text to lower case there)")
