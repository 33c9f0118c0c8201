"""Long-running stability: run the OCR system over many images of varied sizes and print the process's
resident memory (RSS) every 100 images. With oneDNN on, RSS should stay flat after the warm-up (its
shape cache is capped by PaddleInferenceBackend's mkldnn_cache_capacity).

python3 benchmarks/soak.py --num 1000 --cpu_threads 2 [--use_onnx]

Images are generated (document pages from the synthetic-data generator, resized to random sizes between
--min_side and --max_side on their longer side), so every input shape is new to the backends.
"""
import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))
from ppocr.infer.cli import add_use_onnx_arg  # noqa: E402
from ppocr.infer.models import DEFAULT_DET_MODEL_DIR, DEFAULT_REC_MODEL_DIR  # noqa: E402
from ppocr.utils.cli import prepare_environment  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--num", type=int, default=1000)
    p.add_argument("--min_side", type=int, default=200)
    p.add_argument("--max_side", type=int, default=1400)
    p.add_argument("--det_model_dir", default=DEFAULT_DET_MODEL_DIR)
    p.add_argument("--rec_model_dir", default=DEFAULT_REC_MODEL_DIR)
    p.add_argument("--cpu_threads", type=int, default=2)
    add_use_onnx_arg(p)
    p.add_argument("--pages", type=int, default=20, help="distinct generated pages to resize from")
    args = p.parse_args()
    prepare_environment()
    import cv2

    from ppocr.infer.system import TextSystem
    from ppocr.synth.fonts import discover_fonts
    from ppocr.synth.pages import render_page
    from ppocr.synth.seeds import sample_rng

    fonts = discover_fonts()
    pages = [cv2.cvtColor(render_page(sample_rng(7, i), fonts).image, cv2.COLOR_RGB2BGR) for i in range(args.pages)]
    system = TextSystem.from_dirs(args.det_model_dir, args.rec_model_dir, cpu_threads=args.cpu_threads,
                                  use_onnx=args.use_onnx)
    rng = np.random.default_rng(0)
    start, t0 = rss_mb(), time.perf_counter()
    print(f"RSS before the first image: {start:.0f} MB")
    marks = {}
    for i in range(1, args.num + 1):
        img = pages[i % len(pages)]
        side = int(rng.integers(args.min_side, args.max_side + 1))
        scale = side / max(img.shape[:2])
        system(cv2.resize(img, (max(1, int(img.shape[1] * scale)), max(1, int(img.shape[0] * scale)))))
        if i % 100 == 0:
            marks[i] = rss_mb()
            print(f"{i:5d} images: RSS {marks[i]:.0f} MB ({(time.perf_counter() - t0) / i:.2f} s/image)", flush=True)
    if 100 in marks and args.num in marks:
        growth = 100 * (marks[args.num] - marks[100]) / marks[100]
        print(f"growth from image 100 to {args.num}: {growth:+.1f}%")


if __name__ == "__main__":
    main()
