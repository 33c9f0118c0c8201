"""Export a checkpoint to a Paddle inference model (inference.json + inference.pdiparams + inference.yml).

python3 tools/export_model.py -c configs/det/det_mv3_db.yml -o Global.checkpoints=./output/db_mv3/best_accuracy \\
    Global.save_inference_dir=./inference/det/

Add --onnx to also write inference.onnx for `--use_onnx` (needs: pip install -r requirements-onnx.txt).
"""
import os
import sys

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))
from ppocr.utils.cli import config_from_args, config_parser, run_cli  # noqa: E402

PARITY_TOLERANCE = 1e-3


def main():
    parser = config_parser(__doc__)
    parser.add_argument("--skip_check", action="store_true", help="do not compare the export with the dygraph model")
    parser.add_argument("--parity_tolerance", type=float, default=PARITY_TOLERANCE,
                        help="largest accepted difference between the export's and the dygraph model's outputs, "
                             "relative to the output range (default %(default)s)")
    parser.add_argument("--onnx", action="store_true", help="also write inference.onnx (paddle2onnx) for --use_onnx")
    parser.add_argument("--reading", choices=["plain", "shipped"], default="shipped",
                        help="how the predictors read with this model, recorded in inference.yml (Reading): plain "
                             "(PaddleOCR 2.0's reading) or shipped (every reading step; default)")
    args = parser.parse_args()
    config = config_from_args(args)
    from ppocr.engine.checkpoint import load_checkpoint
    from ppocr.engine.export import export_model, export_onnx, parity_check, parity_sample
    from ppocr.engine.runtime import build_components, build_shared, setup_runtime
    from ppocr.errors import ConfigError
    from ppocr.utils.logging import get_logger

    logger = get_logger()
    g = config["Global"]
    weights = g.get("checkpoints") or g.get("pretrained_model")
    if not weights:
        raise ConfigError("set the weights to export: -o Global.checkpoints=OUTPUT_DIR/best_accuracy")
    save_dir = g.get("save_inference_dir")
    if not save_dir:
        raise ConfigError("set the output dir: -o Global.save_inference_dir=./inference/det/")
    setup_runtime(config)
    shared = build_shared(config)
    model = build_components(config, shared)[0]
    load_checkpoint(weights, model)
    contract = export_model(model, config, save_dir, shared, args.reading)
    logger.info(f"exported {weights} to {save_dir} (inference.json, inference.pdiparams, inference.yml)")
    if args.onnx:
        logger.info(f"wrote {export_onnx(save_dir)}")
    if args.skip_check:
        return 0
    sample = parity_sample(contract, config["Global"].get("infer_img"))
    ok = True
    for onnx in ([False, True] if args.onnx else [False]):
        diff, relative = parity_check(model, save_dir, sample, onnx=onnx)
        what = "inference.onnx" if onnx else "exported"
        logger.info(f"parity check on a {list(sample.shape)} input: max |dygraph - {what}| = {diff:.2e} "
                    f"({relative:.1e} relative to the output range)")
        if relative <= args.parity_tolerance:
            continue
        if not onnx:  # oneDNN reorders float arithmetic: deep nets (ResNet50) drift by a few 1e-3
            plain = parity_check(model, save_dir, sample, enable_mkldnn=False)[1]
            if plain <= args.parity_tolerance:
                logger.warning(f"the export differs from the dygraph model by {relative:.1e} with oneDNN but "
                               f"{plain:.1e} without it: oneDNN's float arithmetic, not the export; the files "
                               f"in {save_dir} are usable")
                continue
        logger.error(f"{what} in {save_dir} differs from the dygraph model by {relative:.1e} of the output range "
                     f"(tolerance {args.parity_tolerance}): the files are written, but they may not compute what "
                     f"the checkpoint does. Compare both on your data (tools/eval.py -o Global.pretrained_model="
                     f"{save_dir}); --parity_tolerance accepts a larger difference, --skip_check skips the check")
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    run_cli(main)
