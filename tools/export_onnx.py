"""Convert an exported model (inference.json + inference.pdiparams + inference.yml) to inference.onnx.

For a model exported earlier whose checkpoint is gone, such as the shipped defaults; with a checkpoint at
hand, tools/export_model.py --onnx does the same in one step. The ONNX model is compared with the Paddle
one (Paddle Inference without oneDNN) on a sample, and the tool exits 1 when they differ.

python3 tools/export_onnx.py --model_dir ./inference/det/ --image doc/imgs/
"""
import os
import sys

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))
from ppocr.utils.cli import run_cli, tool_parser  # noqa: E402

PARITY_TOLERANCE = 1e-3


def main():
    parser = tool_parser(__doc__)
    parser.add_argument("--model_dir", required=True, help="folder of an exported model (tools/export_model.py)")
    parser.add_argument("--image", default=None,
                        help="detectors: a page (or folder) to compare on; default a random input")
    parser.add_argument("--skip_check", action="store_true", help="do not compare ONNX with the Paddle model")
    args = parser.parse_args()
    from ppocr.engine.export import export_onnx, onnx_parity, parity_sample
    from ppocr.infer.backends import model_files
    from ppocr.infer.contract import load_contract
    from ppocr.utils.logging import get_logger

    logger = get_logger()
    model_files(args.model_dir)
    contract = load_contract(args.model_dir)
    logger.info(f"wrote {export_onnx(args.model_dir)}")
    if args.skip_check:
        return 0
    sample = parity_sample(contract, args.image)
    diff, relative = onnx_parity(args.model_dir, sample)
    logger.info(f"parity check on a {list(sample.shape)} input: max |paddle - onnx| = {diff:.2e} "
                f"({relative:.1e} relative to the output range)")
    if relative > PARITY_TOLERANCE:
        logger.error(f"inference.onnx differs from the Paddle model by more than {PARITY_TOLERANCE}")
        return 1
    return 0


if __name__ == "__main__":
    run_cli(main)
