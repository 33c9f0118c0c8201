"""End-to-end accuracy of the OCR system on a labelled set of pages (detection label format, e.g. made by
tools/gen_data.py det): word precision / recall / F1 and character error rate.

python3 tools/gen_data.py det --out ./train_data/e2e_eval --num 50 --seed 5 --fonts /usr/share/fonts/truetype/dejavu
python3 benchmarks/e2e_eval.py --data_dir ./train_data/e2e_eval --det_model_dir ./inference/det/ --rec_model_dir ./inference/rec/

Words are whitespace-separated tokens compared exactly (``--ignore_case`` to relax); ``###`` lines are left
out. The CER compares the page's text in reading order (ground-truth lines sorted like the system's output).
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))
from ppocr.utils.cli import prepare_environment  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data_dir", required=True, help="folder with label.txt and the images it lists")
    p.add_argument("--label_file", default=None, help="default: DATA_DIR/label.txt")
    p.add_argument("--det_model_dir", default="./inference/det/")
    p.add_argument("--rec_model_dir", default="./inference/rec/")
    p.add_argument("--drop_score", type=float, default=0.5)
    p.add_argument("--cpu_threads", type=int, default=2)
    p.add_argument("--use_onnx", action="store_true")
    p.add_argument("--ignore_case", action="store_true")
    p.add_argument("--save_predictions", default=None, help="write JSON lines {path, lines} here")
    p.add_argument("--show", type=int, default=3, help="print the N pages with the lowest F1")
    args = p.parse_args()
    prepare_environment()
    import numpy as np

    from ppocr.data.label_scan import resolve_image_path
    from ppocr.infer.images import read_image
    from ppocr.infer.system import TextSystem, sort_boxes
    from ppocr.metrics.e2e_metric import E2EMetric

    system = TextSystem(args.det_model_dir, args.rec_model_dir, drop_score=args.drop_score,
                        cpu_threads=args.cpu_threads, use_onnx=args.use_onnx)
    metric = E2EMetric(ignore_case=args.ignore_case)
    per_page, records = [], []
    label_file = args.label_file or os.path.join(args.data_dir, "label.txt")
    with open(label_file, encoding="utf-8") as f:
        lines = [line.rstrip("\n").split("\t", 1) for line in f if line.strip()]
    for rel, label in lines:
        path = resolve_image_path(args.data_dir, rel)
        gt = json.loads(label)
        order = sort_boxes([np.array(g["points"], np.float32) for g in gt])
        expected = [gt[i]["transcription"] for i in order]
        predicted = system.ocr(read_image(path))
        single = E2EMetric(ignore_case=args.ignore_case)
        single.update([r["text"] for r in predicted], expected)
        metric.update([r["text"] for r in predicted], expected)
        per_page.append((single.get_metric()["word_f1"], rel, [r["text"] for r in predicted], expected))
        records.append({"path": rel, "lines": predicted})
    result = metric.get_metric()
    print(f"{result['pages']} pages, {result['words']} words: word precision {result['word_precision']:.3f}, "
          f"recall {result['word_recall']:.3f}, F1 {result['word_f1']:.3f}; CER {result['cer']:.3f}")
    for f1, rel, predicted, expected in sorted(per_page)[: args.show]:
        print(f"\n{rel}: word F1 {f1:.3f}\n  expected: {' | '.join(expected)[:300]}\n  read:     "
              f"{' | '.join(predicted)[:300]}")
    if args.save_predictions:
        with open(args.save_predictions, "w", encoding="utf-8") as f:
            f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


if __name__ == "__main__":
    main()
