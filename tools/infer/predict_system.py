"""Detect and recognize text with exported models:
python3 tools/infer/predict_system.py --image_dir=IMG_OR_DIR --det_model_dir=./inference/det/ --rec_model_dir=./inference/rec/"""
import os
import sys

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ppocr.utils.cli import run_cli  # noqa: E402
from utility import det_contract, init_args, rec_contract  # noqa: E402


def main():
    parser = init_args(__doc__)
    parser.add_argument("--drop_score", type=float, default=0.5, help="drop results with a lower score")
    parser.add_argument("--vis_font_path", default=None, help="font for the pictures (default: doc/fonts/DejaVuSans.ttf)")
    parser.add_argument("--output_json", default=None, help="also write one JSON object per image to this file")
    args = parser.parse_args()
    from ppocr.infer.images import list_images
    from ppocr.infer.system import TextSystem, run_system
    from ppocr.utils.logging import get_logger

    get_logger()
    paths = list_images(args.image_dir)
    system = TextSystem(args.det_model_dir, args.rec_model_dir, args.drop_score, args.rec_batch_num, args.use_gpu,
                        args.cpu_threads, args.enable_mkldnn, det_contract(args), rec_contract(args))
    done = run_system(system, paths, args.output_dir, args.vis_font_path, args.output_json, args.benchmark)
    return 0 if done else 1


if __name__ == "__main__":
    run_cli(main)
