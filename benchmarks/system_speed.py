"""End-to-end speed of the OCR system: median / p90 latency per page, pages per second, per-stage split.

python3 benchmarks/system_speed.py --image_dir=doc/imgs/ --backends paddle,onnx --cpu_threads 2
python3 benchmarks/system_speed.py --make_page   # a generated 1000x1400 document page with 40 text lines

Each backend runs over every image ``--repeat`` times after one warm-up pass. Backends measured in one process
share it: Paddle's threads can slow onnxruntime run after them, so compare single-backend runs for figures. For ``onnx`` the models'
``inference.onnx`` is used, converted on the fly into a temporary copy when a model dir has none.
"""
import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))
from ppocr.infer.models import DEFAULT_DET_MODEL_DIR, DEFAULT_REC_MODEL_DIR  # noqa: E402
from ppocr.utils.cli import prepare_environment  # noqa: E402


def make_document_page(path: str, lines: int = 40, size=(1000, 1400), seed: int = 0) -> None:
    """A plain document page (white, dark text, DejaVu Sans 20-26 px, left-aligned lines and a two-column block)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    from ppocr.synth.corpus import TextSampler
    from ppocr.utils.visual import default_font_path

    rng = np.random.default_rng(seed)
    sampler = TextSampler(rng)
    page = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(page)
    y, drawn = 60, 0
    while drawn < lines:
        font = ImageFont.truetype(default_font_path(), int(rng.integers(20, 27)))
        columns = 2 if lines - drawn >= 2 and rng.random() < 0.3 else 1
        for c in range(columns):
            x0 = 70 + c * (size[0] - 140) // columns
            text = " ".join(sampler.words(int(rng.integers(18, 60 // columns + 18))))
            while draw.textlength(text, font=font) > (size[0] - 140) // columns - 20 and " " in text:
                text = text.rsplit(" ", 1)[0]
            draw.text((x0, y), text, fill=(20, 20, 20), font=font)
            drawn += 1
        y += int(font.size * 1.3) + int(rng.integers(0, 8))
    page.save(path, quality=92)


def ensure_onnx(model_dir: str, scratch: str) -> str:
    from ppocr.infer.backends import ONNX_FILE

    if os.path.isfile(os.path.join(model_dir, ONNX_FILE)):
        return model_dir
    from ppocr.engine.export import export_onnx  # imports Paddle: only when a conversion is needed

    copy = os.path.join(scratch, os.path.basename(os.path.normpath(model_dir)))
    shutil.copytree(model_dir, copy)
    export_onnx(copy)
    return copy


def measure(system, images, repeat: int):
    for img in images:  # warm-up: oneDNN / onnxruntime pick kernels for the first shapes
        system(img)
    latencies, stages, boxes = [], {}, 0
    for _ in range(repeat):
        for img in images:
            t0 = time.perf_counter()
            out = system(img)
            latencies.append(time.perf_counter() - t0)
            boxes += out.num_boxes
            for k, v in out.timings.items():
                stages[k] = stages.get(k, 0.0) + v
    return latencies, {k: v / len(latencies) for k, v in stages.items()}, boxes / len(latencies)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--image_dir", default=None, help="images to run on (default with --make_page: that page)")
    p.add_argument("--make_page", action="store_true", help="generate the 1000x1400, 40-line reference page")
    p.add_argument("--det_model_dir", default=DEFAULT_DET_MODEL_DIR)
    p.add_argument("--rec_model_dir", default=DEFAULT_REC_MODEL_DIR)
    p.add_argument("--backends", default="paddle,onnx", help="comma-separated: paddle, onnx")
    p.add_argument("--cpu_threads", type=int, default=2)
    p.add_argument("--rec_batch_num", type=int, default=6)
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args()
    prepare_environment()
    from ppocr.infer.images import list_images, read_image
    from ppocr.infer.system import TextSystem

    scratch = tempfile.mkdtemp(prefix="system_speed_")
    try:
        paths = []
        if args.make_page:
            paths.append(os.path.join(scratch, "page_1000x1400.jpg"))
            make_document_page(paths[0])
        if args.image_dir:
            paths += list_images(args.image_dir)
        if not paths:
            p.error("give --image_dir and/or --make_page")
        images = [read_image(path) for path in paths]
        sizes = sorted({f"{im.shape[1]}x{im.shape[0]}" for im in images})
        print(f"{len(images)} images ({', '.join(sizes[:4])}{', ...' if len(sizes) > 4 else ''}), "
              f"{args.cpu_threads} threads, {args.repeat} passes after a warm-up")
        for backend in args.backends.split(","):
            use_onnx = backend == "onnx"
            det_dir, rec_dir = args.det_model_dir, args.rec_model_dir
            if use_onnx:
                det_dir, rec_dir = ensure_onnx(det_dir, scratch), ensure_onnx(rec_dir, scratch)
            system = TextSystem.from_dirs(det_dir, rec_dir, rec_batch_num=args.rec_batch_num,
                                          cpu_threads=args.cpu_threads, use_onnx=use_onnx)
            latencies, stages, boxes = measure(system, images, args.repeat)
            lat = sorted(latencies)
            p90 = lat[min(len(lat) - 1, int(round(0.9 * (len(lat) - 1))))]
            print(f"{backend:>6}: median {1000 * statistics.median(lat):.0f} ms, p90 {1000 * p90:.0f} ms, "
                  f"{len(lat) / sum(lat):.2f} pages/s, {boxes:.0f} boxes/page")
            print("        per stage (ms): " + ", ".join(f"{k} {1000 * v:.1f}" for k, v in stages.items()))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
