"""Recognize text crops with an exported model:
python3 tools/infer/predict_rec.py --image_dir=CROP_OR_DIR --rec_model_dir=./inference/rec/"""
import os
import sys

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ppocr.utils.cli import run_cli  # noqa: E402
from utility import init_args, rec_contract  # noqa: E402


def main():
    args = init_args(__doc__).parse_args()
    from ppocr.infer.backends import PaddleInferenceBackend
    from ppocr.infer.images import list_images
    from ppocr.infer.rec import TextRecognizer, recognize_images
    from ppocr.utils.logging import get_logger

    get_logger()
    paths = list_images(args.image_dir)
    backend = PaddleInferenceBackend(args.rec_model_dir, args.use_gpu, args.cpu_threads, args.enable_mkldnn)
    contract = rec_contract(args)
    results = recognize_images(TextRecognizer(contract, backend, args.rec_batch_num, args.rec_model_dir), paths,
                               args.output_dir, args.benchmark)
    return 0 if results else 1


if __name__ == "__main__":
    run_cli(main)
