"""Quantize an exported model's inference.onnx to INT8 (ONNX Runtime static quantization).

Calibrates on images like those the model will read: pages for a detector, line crops for a recognizer,
e.g. from tools/gen_data.py (a folder of images, or a label file's folder). Never calibrate on the images you
evaluate on. The output folder holds the model's contract and extra files with the quantized inference.onnx;
run it with --use_onnx.

python3 tools/gen_data.py det --out ./train_data/calib_det --num 60 --seed 91
python3 tools/quantize_onnx.py --model_dir ./inference/det/ --calib ./train_data/calib_det/images \\
    --out_dir ./inference/det_int8/
"""
import os
import sys

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))
from ppocr.utils.cli import run_cli, tool_parser  # noqa: E402


def main():
    parser = tool_parser(__doc__)
    parser.add_argument("--model_dir", required=True, help="exported model folder with inference.onnx "
                        "(tools/export_model.py --onnx or tools/export_onnx.py)")
    parser.add_argument("--calib", required=True, help="calibration image or folder (searched recursively)")
    parser.add_argument("--out_dir", required=True, help="folder for the quantized model (created)")
    parser.add_argument("--num", type=int, default=200, help="at most this many calibration images (default 200)")
    args = parser.parse_args()
    from ppocr.errors import ConfigError
    from ppocr.infer.backends import check_model_dir
    from ppocr.infer.images import list_images, read_images
    from ppocr.infer.quantize import calibration_inputs, quantize_model_dir
    from ppocr.utils.logging import get_logger

    logger = get_logger()
    check_model_dir(args.model_dir, use_onnx=True)
    if os.path.abspath(args.out_dir) == os.path.abspath(args.model_dir):
        raise ConfigError("--out_dir must differ from --model_dir (the FP32 model is kept)")
    failed = []
    images = [page.image for page in read_images(list_images(args.calib)[:args.num], failed, "calibrate on")]
    if not images:
        raise ConfigError(f"no readable calibration images in {args.calib}")
    inputs = calibration_inputs(args.model_dir, images)
    logger.info(f"calibrating on {len(inputs)} batches from {len(images)} images ({len(failed)} unreadable)")
    logger.info(f"wrote {quantize_model_dir(args.model_dir, args.out_dir, inputs)}")
    return 0


if __name__ == "__main__":
    run_cli(main)
