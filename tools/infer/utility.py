"""Command-line flags of the predictors (PaddleOCR 2.0 names); values left unset come from inference.yml."""
import argparse


def str2bool(v: str) -> bool:
    if v.lower() in ("true", "1", "yes", "y"):
        return True
    if v.lower() in ("false", "0", "no", "n"):
        return False
    raise argparse.ArgumentTypeError(f"expected true/false, got {v!r}")


def init_args(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--image_dir", required=True, help="an image file or a folder (searched recursively)")
    p.add_argument("--use_gpu", type=str2bool, default=False)
    p.add_argument("--enable_mkldnn", type=str2bool, default=True, help="oneDNN on CPU (~4x faster)")
    p.add_argument("--cpu_threads", type=int, default=2)
    p.add_argument("--benchmark", type=str2bool, nargs="?", const=True, default=False,
                   help="print per-stage times (pre/infer/post)")
    p.add_argument("--output_dir", default="./inference_results", help="where pictures and result files go")
    det = p.add_argument_group("detection (defaults from the model's inference.yml)")
    det.add_argument("--det_model_dir", default="./inference/det/")
    det.add_argument("--det_algorithm", default=None)
    det.add_argument("--det_limit_side_len", type=float, default=None, help="inference.yml default: 960")
    det.add_argument("--det_limit_type", choices=["max", "min"], default=None)
    det.add_argument("--det_db_thresh", type=float, default=None)
    det.add_argument("--det_db_box_thresh", type=float, default=None)
    det.add_argument("--det_db_unclip_ratio", type=float, default=None)
    det.add_argument("--max_batch_size", type=int, default=10, help="accepted for PaddleOCR compatibility")
    rec = p.add_argument_group("recognition (defaults from the model's inference.yml)")
    rec.add_argument("--rec_model_dir", default="./inference/rec/")
    rec.add_argument("--rec_algorithm", default=None)
    rec.add_argument("--rec_image_shape", default=None, help='e.g. "3, 32, 320" (inference.yml default)')
    rec.add_argument("--rec_batch_num", type=int, default=6, help="crops per batch, sorted by aspect ratio")
    rec.add_argument("--rec_char_dict_path", default=None, help="default: the dictionary stored in inference.yml")
    rec.add_argument("--use_space_char", type=str2bool, default=None)
    return p


def det_contract(args):
    """inference.yml of the detector with the flags that were given applied on top."""
    from ppocr.infer.contract import apply_flag, find_op, load_contract

    contract = load_contract(args.det_model_dir, "det")
    if args.det_algorithm and args.det_algorithm != contract.get("algorithm"):
        raise SystemExit(f"error: --det_algorithm={args.det_algorithm} but {args.det_model_dir} holds a "
                         f"{contract.get('algorithm')} model")
    resize = find_op(contract, "DetResizeForTest")
    if resize is not None:
        apply_flag(resize, "limit_side_len", args.det_limit_side_len, "--det_limit_side_len")
        apply_flag(resize, "limit_type", args.det_limit_type, "--det_limit_type")
    post = contract["PostProcess"]
    apply_flag(post, "thresh", args.det_db_thresh, "--det_db_thresh")
    apply_flag(post, "box_thresh", args.det_db_box_thresh, "--det_db_box_thresh")
    apply_flag(post, "unclip_ratio", args.det_db_unclip_ratio, "--det_db_unclip_ratio")
    return contract


def rec_contract(args):
    """inference.yml of the recognizer with the flags that were given applied on top."""
    from ppocr.infer.contract import apply_flag, find_op, load_contract
    from ppocr.utils.character import CharacterDict
    from ppocr.utils.registry import ConfigError

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
