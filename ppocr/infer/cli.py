"""The predictors' command lines (PaddleOCR 2.0 flag names); ``tools/infer/*.py`` and the ``ppocr-*`` console
scripts call the ``*_main`` functions. Flags left unset take their values from each model's inference.yml."""
from __future__ import annotations

import argparse
import logging
import os
from typing import Any, Dict, Optional

from ppocr.infer.models import DEFAULT_CLS_MODEL_DIR, DEFAULT_DET_MODEL_DIR, DEFAULT_REC_MODEL_DIR
from ppocr.infer.paddleocr_flags import add_paddleocr_flags, apply_paddleocr_flags
from ppocr.infer.reading import add_reading_args, policy_from_args, reading_flags

logger = logging.getLogger("ppocr")

_YOUR_MODELS = (f"./inference/det/, ./inference/rec/ and ./inference/cls/ are where the guides export your own "
                f"models; without the flags the shipped inference/{os.path.basename(DEFAULT_DET_MODEL_DIR)}/, "
                f"inference/{os.path.basename(DEFAULT_REC_MODEL_DIR)}/ and "
                f"inference/{os.path.basename(DEFAULT_CLS_MODEL_DIR)}/ are used.")
DET_DESCRIPTION = f"""Detect text with an exported model:
python3 tools/infer/predict_det.py --image_dir=doc/imgs/ --det_model_dir=./inference/det/
{_YOUR_MODELS}"""
REC_DESCRIPTION = f"""Recognize text crops with an exported model:
python3 tools/infer/predict_rec.py --image_dir=CROP_OR_DIR --rec_model_dir=./inference/rec/
{_YOUR_MODELS}"""
CLS_DESCRIPTION = f"""Classify the direction of text crops (0, 180; or 0, 90, 180, 270) with an exported model:
python3 tools/infer/predict_cls.py --image_dir=CROP_OR_DIR --cls_model_dir=./inference/cls/
{_YOUR_MODELS}"""
SYSTEM_DESCRIPTION = f"""Detect and recognize text with exported models (detection -> perspective crops ->
direction classifier -> recognition -> score filter); prints each line with its score and box, saves pictures
and system_results.txt (detection label format) to --output_dir, and optionally JSON lines to --output_json:
python3 tools/infer/predict_system.py --image_dir=IMG_OR_DIR --det_model_dir=./inference/det/ \\
    --rec_model_dir=./inference/rec/
{_YOUR_MODELS}"""


def str2bool(v: str) -> bool:
    if v.lower() in ("true", "1", "yes", "y"):
        return True
    if v.lower() in ("false", "0", "no", "n"):
        return False
    raise argparse.ArgumentTypeError(f"expected true/false, got {v!r}")


PADDLEOCR_EPILOG = ("PaddleOCR 2.x's other prediction flags (--ir_optim, --use_tensorrt, --gpu_mem, --rec_char_type, "
                    "...) are accepted; doc/inference_en.md lists what each does here.")


def init_args(description: str, image_dir: bool = True) -> argparse.ArgumentParser:
    """The predictors' flags; ``image_dir``: whether the command reads ``--image_dir`` (the server does not)."""
    from ppocr.utils.cli import tool_parser

    p = tool_parser(description, epilog=PADDLEOCR_EPILOG)
    if image_dir:
        p.add_argument("--image_dir", required=True,
                       help="an image or PDF file, or a folder searched recursively (jpg/jpeg/png/bmp/tif/tiff/"
                            "webp/gif and pdf; PDF needs pypdfium2)")
    p.add_argument("--use_gpu", type=str2bool, default=False)
    add_use_onnx_arg(p)
    p.add_argument("--enable_mkldnn", type=str2bool, default=True,
                   help="oneDNN for paddle.inference on CPU (~4x faster than without)")
    p.add_argument("--cpu_threads", type=int, default=2, help="threads per process")
    p.add_argument("--benchmark", type=str2bool, nargs="?", const=True, default=False,
                   help="after one warm-up image, print per-stage times (pre/infer/post)")
    p.add_argument("--output_dir", default="./inference_results", help="where pictures and result files go")
    det = p.add_argument_group("detection (defaults from the model's inference.yml)")
    det.add_argument("--det_model_dir", default=DEFAULT_DET_MODEL_DIR,
                     help="exported detector (default: the shipped English model, %(default)s)")
    det.add_argument("--det_algorithm", default=None, help="checked against the model's inference.yml")
    det.add_argument("--det_limit_side_len", type=float, default=None, help="inference.yml default: 960")
    det.add_argument("--det_limit_type", choices=["max", "min"], default=None,
                     help="max: shrink so the longer side is at most --det_limit_side_len; min: enlarge so the "
                          "shorter side is at least that")
    det.add_argument("--det_min_side_len", type=float, default=None,
                     help="with --det_limit_type=max, the shorter side is kept at least this: large images "
                          "are shrunk no further, small ones enlarged, by at most --det_max_enlarge "
                          "(inference.yml of the shipped model: 600; 0: never)")
    det.add_argument("--det_max_enlarge", type=float, default=None,
                     help="the most --det_min_side_len may enlarge an image (default 1.5: text enlarged much "
                          "more outgrows the detector)")
    det.add_argument("--det_max_side_limit", type=float, default=None,
                     help="the longer side never exceeds this (inference.yml of the shipped model: 2000; "
                          "default 4000)")
    det.add_argument("--det_db_thresh", type=float, default=None, help="DB: binarization threshold")
    det.add_argument("--det_db_box_thresh", type=float, default=None, help="DB: minimum mean score of a box")
    det.add_argument("--det_db_unclip_ratio", type=float, default=None, help="DB: how far boxes are expanded")
    det.add_argument("--use_dilation", type=str2bool, default=None,
                     help="DB: dilate the binarized probability map with a 2x2 kernel (joins broken strokes)")
    det.add_argument("--det_db_score_mode", choices=["fast", "slow"], default=None,
                     help="DB: score a box over its min-area rectangle (fast) or its exact contour (slow; "
                          "fairer to slanted or curved lines)")
    det.add_argument("--det_east_score_thresh", type=float, default=None, help="EAST: score map threshold")
    det.add_argument("--det_east_cover_thresh", type=float, default=None, help="EAST: minimum mean score inside a quad")
    det.add_argument("--det_east_nms_thresh", type=float, default=None, help="EAST: NMS IoU threshold")
    det.add_argument("--max_batch_size", type=int, default=10, help="accepted for PaddleOCR compatibility")
    rec = p.add_argument_group("recognition (defaults from the model's inference.yml)")
    rec.add_argument("--rec_model_dir", default=DEFAULT_REC_MODEL_DIR,
                     help="exported recognizer (default: the shipped English model, %(default)s)")
    rec.add_argument("--rec_algorithm", default=None, help="checked against the model's inference.yml")
    rec.add_argument("--rec_image_shape", default=None, help='e.g. "3, 32, 320" (default: the shape in inference.yml)')
    rec.add_argument("--rec_batch_num", type=int, default=6, help="crops per batch, sorted by aspect ratio")
    rec.add_argument("--rec_char_dict_path", default=None, help="default: the dictionary stored in inference.yml")
    rec.add_argument("--use_space_char", type=str2bool, default=None)
    cls = p.add_argument_group("direction classifier (defaults from the model's inference.yml)")
    cls.add_argument("--use_angle_cls", type=str2bool, default=True,
                     help="predict_system: turn crops the classifier finds upside down (or sideways, with a "
                          "four-direction model) before recognition (default %(default)s)")
    cls.add_argument("--cls_model_dir", default=DEFAULT_CLS_MODEL_DIR,
                     help="exported classifier (default: the shipped four-direction model, %(default)s)")
    cls.add_argument("--cls_image_shape", default=None, help='e.g. "3, 48, 192" (default: the shape in inference.yml)')
    cls.add_argument("--cls_batch_num", type=int, default=6, help="crops per batch")
    cls.add_argument("--cls_thresh", type=float, default=0.9,
                     help="a crop is turned only when the classifier's score for its direction is at least this")
    cls.add_argument("--cls_turn_pages", type=str2bool, default=True,
                     help="predict_system: a page whose crops mostly say it is turned (upside down or on its "
                          "side) is turned back and detected again (default %(default)s)")
    cls.add_argument("--label_list", default=None,
                     help="the model's directions, e.g. \"['0','180']\" (checked against its inference.yml)")
    add_reading_args(p, str2bool)
    add_paddleocr_flags(p, str2bool)
    return p


def parse_args(parser: argparse.ArgumentParser, argv: Optional[list]) -> argparse.Namespace:
    """Parse, start the log, then apply PaddleOCR's flags (ignored, refused, or aliases of ours)."""
    from ppocr.utils.logging import get_logger

    args = parser.parse_args(argv)
    get_logger()
    apply_paddleocr_flags(args)
    return args


def add_use_onnx_arg(group) -> None:
    """``--use_onnx``: shared by the predictors, eval_dev and the benchmarks; unset (None) is the automatic
    choice of :func:`ppocr.infer.backends.resolve_use_onnx`."""
    group.add_argument("--use_onnx", type=str2bool, nargs="?", const=True, default=None,
                       help="true: run inference.onnx with onnxruntime (export with tools/export_model.py --onnx); "
                            "false: run the Paddle model with paddle.inference; default: onnxruntime on a CPU for "
                            "each model that has an inference.onnx (the shipped ones do), else paddle.inference")


def det_contract(args: argparse.Namespace) -> Dict[str, Any]:
    """inference.yml of the detector with the flags that were given applied on top."""
    from ppocr.infer.contract import load_contract
    from ppocr.infer.det import DET_SETTINGS, apply_det_settings

    return apply_det_settings(load_contract(args.det_model_dir, "det"), args.det_model_dir,
                              {name: getattr(args, name) for name in DET_SETTINGS}, flags=True)


def rec_contract(args: argparse.Namespace) -> Dict[str, Any]:
    """inference.yml of the recognizer with the flags that were given applied on top."""
    from ppocr.errors import ConfigError
    from ppocr.infer.contract import apply_flag, find_op, load_contract
    from ppocr.utils.character import CharacterDict

    contract = load_contract(args.rec_model_dir, "rec")
    if args.rec_algorithm and args.rec_algorithm != contract.get("algorithm"):
        raise ConfigError(f"--rec_algorithm={args.rec_algorithm} but {args.rec_model_dir} holds a "
                          f"{contract.get('algorithm')} model")
    if args.rec_image_shape:
        shape = [int(v) for v in args.rec_image_shape.replace(" ", "").split(",")]
        fixed = contract["input_shape"][3]
        if fixed is not None and shape[2] != fixed:
            raise ConfigError(f"--rec_image_shape: this {contract.get('algorithm')} model was exported for "
                              f"width {fixed} only")
        apply_flag(find_op(contract, "RecResizeImg"), "image_shape", shape, "--rec_image_shape")
    if args.rec_char_dict_path or args.use_space_char is not None:
        saved = contract["Character"]
        use_space = saved["use_space_char"] if args.use_space_char is None else args.use_space_char
        character = (CharacterDict(args.rec_char_dict_path, use_space, saved["mode"]) if args.rec_char_dict_path
                     else CharacterDict.from_list(saved["characters"], use_space, saved["mode"]))
        if character.num_classes != saved["num_classes"]:
            raise ConfigError(f"--rec_char_dict_path/--use_space_char give {character.num_classes} classes but "
                              f"the model in {args.rec_model_dir} predicts {saved['num_classes']}")
        apply_flag(contract, "Character", character.to_contract(), "--rec_char_dict_path/--use_space_char")
    return contract


def cls_contract(args: argparse.Namespace) -> Dict[str, Any]:
    """inference.yml of the direction classifier with --cls_image_shape applied, checked against --label_list."""
    import re

    from ppocr.errors import ConfigError
    from ppocr.infer.contract import apply_flag, find_op, load_contract

    contract = load_contract(args.cls_model_dir, "cls")
    if args.label_list:
        given = re.findall(r"\d+", str(args.label_list))
        if given != contract["label_list"]:
            raise ConfigError(f"--label_list={args.label_list} but the model in {args.cls_model_dir} classifies "
                              f"{contract['label_list']}")
    if args.cls_image_shape:
        shape = [int(v) for v in args.cls_image_shape.replace(" ", "").split(",")]
        if shape != list(contract["input_shape"][1:]):
            raise ConfigError(f"--cls_image_shape={args.cls_image_shape}: the model in {args.cls_model_dir} was "
                              f"exported for {contract['input_shape'][1:]} only")
        apply_flag(find_op(contract, "ClsResizeImg"), "image_shape", shape, "--cls_image_shape")
    return contract


def _backend(args: argparse.Namespace, model_dir: str):
    from ppocr.infer.backends import create_backend

    return create_backend(model_dir, args.use_onnx, args.use_gpu, args.cpu_threads, args.enable_mkldnn)


def _start(description: str, argv: Optional[list], contract_of, model_dir_flag: str):
    """``(args, paths, contract, policy)``: the flags parsed, the input files, and the model's contract and
    reading policy with the flags applied."""
    from ppocr.infer.images import list_images

    args = parse_args(init_args(description), argv)
    paths = list_images(args.image_dir)
    contract = contract_of(args)
    where = f"{getattr(args, model_dir_flag)}/inference.yml"
    return args, paths, contract, policy_from_args(args, contract.get("Reading"), where)


def det_main(argv: Optional[list] = None) -> int:
    from ppocr.infer.det import TextDetector, detect_images

    args, paths, contract, policy = _start(DET_DESCRIPTION, argv, det_contract, "det_model_dir")
    detector = TextDetector(contract, _backend(args, args.det_model_dir), policy)
    return 0 if detect_images(detector, paths, args.output_dir, args.benchmark) else 1


def rec_main(argv: Optional[list] = None) -> int:
    from ppocr.infer.rec import TextRecognizer, recognize_images

    args, paths, contract, policy = _start(REC_DESCRIPTION, argv, rec_contract, "rec_model_dir")
    recognizer = TextRecognizer(contract, _backend(args, args.rec_model_dir), args.rec_batch_num,
                                args.rec_model_dir, policy)
    return 0 if recognize_images(recognizer, paths, args.output_dir, args.benchmark) else 1


def cls_main(argv: Optional[list] = None) -> int:
    from ppocr.infer.cls import TextClassifier, classify_images
    from ppocr.infer.images import list_images

    args = parse_args(init_args(CLS_DESCRIPTION), argv)
    paths = list_images(args.image_dir)
    classifier = TextClassifier(cls_contract(args), _backend(args, args.cls_model_dir), args.cls_batch_num,
                                args.cls_thresh)
    return 0 if classify_images(classifier, paths, args.output_dir) else 1


def system_settings(args: argparse.Namespace) -> Dict[str, Any]:
    """``TextSystem.from_dirs`` keyword arguments from the flags (predict_system.py, the server)."""
    return dict(det_model_dir=args.det_model_dir, rec_model_dir=args.rec_model_dir, drop_score=args.drop_score,
                rec_batch_num=args.rec_batch_num, reading=args.reading, **reading_flags(args), use_gpu=args.use_gpu,
                cpu_threads=args.cpu_threads, enable_mkldnn=args.enable_mkldnn, use_onnx=args.use_onnx,
                det_contract=det_contract(args), rec_contract=rec_contract(args),
                cls_model_dir=args.cls_model_dir if args.use_angle_cls else None,
                cls_contract=cls_contract(args) if args.use_angle_cls else None,
                cls_batch_num=args.cls_batch_num, cls_thresh=args.cls_thresh, turn_pages=args.cls_turn_pages)


def system_main(argv: Optional[list] = None) -> int:
    parser = init_args(SYSTEM_DESCRIPTION)
    parser.add_argument("--drop_score", type=float, default=0.5, help="drop results with a lower score")
    parser.add_argument("--vis_font_path", default=None,
                        help="font for the pictures (default: doc/fonts/DejaVuSans.ttf)")
    parser.add_argument("--output_json", default=None, help="also write one JSON object per image to this file")
    parser.add_argument("--use_mp", type=str2bool, default=False, help="split the files over several processes")
    parser.add_argument("--total_process_num", type=int, default=1,
                        help="processes with --use_mp (give each --cpu_threads=cores/processes)")
    args = parse_args(parser, argv)
    from ppocr.infer.images import list_images
    from ppocr.infer.system import run_system

    paths = list_images(args.image_dir)
    system_kwargs = system_settings(args)
    processes = min(max(1, args.total_process_num), len(paths)) if args.use_mp else 1
    if processes > 1:  # workers load the models; a missing file there would only surface as a stuck pool
        from ppocr.infer.backends import check_model_dir

        model_dirs = [args.det_model_dir, args.rec_model_dir] + ([args.cls_model_dir] if args.use_angle_cls else [])
        for model_dir in model_dirs:
            check_model_dir(model_dir, args.use_onnx)
    done = run_system(paths, args.output_dir, system_kwargs, processes, args.vis_font_path, args.output_json,
                      args.benchmark)
    return 0 if done else 1


# Console scripts installed by setup.py: ppocr-det, ppocr-rec, ppocr-cls, ppocr-system.
def console_det() -> None:
    from ppocr.utils.cli import run_cli

    run_cli(det_main)


def console_rec() -> None:
    from ppocr.utils.cli import run_cli

    run_cli(rec_main)


def console_cls() -> None:
    from ppocr.utils.cli import run_cli

    run_cli(cls_main)


def console_system() -> None:
    from ppocr.utils.cli import run_cli

    run_cli(system_main)
