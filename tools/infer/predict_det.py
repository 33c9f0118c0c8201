"""Detect text with an exported model:
python3 tools/infer/predict_det.py --image_dir=doc/imgs/ --det_model_dir=./inference/det/"""
import os
import sys

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ppocr.utils.cli import run_cli  # noqa: E402
from utility import det_contract, init_args  # noqa: E402


def main():
    args = init_args(__doc__).parse_args()
    from ppocr.infer.backends import PaddleInferenceBackend
    from ppocr.infer.det import TextDetector, detect_images
    from ppocr.infer.images import list_images
    from ppocr.utils.logging import get_logger

    get_logger()
    paths = list_images(args.image_dir)
    backend = PaddleInferenceBackend(args.det_model_dir, args.use_gpu, args.cpu_threads, args.enable_mkldnn)
    detector = TextDetector(det_contract(args), backend)
    results = detect_images(detector, paths, args.output_dir, args.benchmark)
    return 0 if results else 1


if __name__ == "__main__":
    run_cli(main)
