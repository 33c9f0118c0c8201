"""Score the exported models on your own labelled images, per kind of image.

  python3 tools/eval_dev.py e2e --label_file DIR/e2e/labels.txt --data_dir DIR [--kinds DIR/e2e/kinds.tsv]
  python3 tools/eval_dev.py rec --label_file DIR/rec/labels.txt --data_dir DIR
  python3 tools/eval_dev.py det --label_file DIR/det/labels.txt --data_dir DIR [--kinds DIR/det/kinds.tsv]
  python3 tools/eval_dev.py cls --label_file DIR/rec/labels.txt --data_dir DIR

Label files are PaddleOCR's: ``path<TAB>text`` for rec crops, ``path<TAB>[{"transcription", "points"}]`` for
pages (e2e lines in reading order; "###" marks regions to ignore). Paths are relative to --data_dir. A kinds
file (``path<TAB>kind``; default: kinds.tsv beside the label file) splits the scores by kind.

e2e: word precision / recall / F1 (case-insensitive, punctuation stripped from word ends), CER of the page
text, median latency per page. rec: word accuracy (exact; ignoring case and spaces) and 1 - normalized edit
distance. det: precision / recall / hmean at IoU 0.5. cls: the direction classifier's accuracy on the
(upright) rec crops turned by each of its directions.
"""
import json
import os
import sys

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))
from ppocr.infer.cli import add_use_onnx_arg, str2bool  # noqa: E402
from ppocr.infer.models import DEFAULT_CLS_MODEL_DIR, DEFAULT_DET_MODEL_DIR, DEFAULT_REC_MODEL_DIR  # noqa: E402
from ppocr.infer.reading import add_reading_args, policy_from_args, reading_flags  # noqa: E402
from ppocr.utils.cli import run_cli, tool_parser  # noqa: E402


def main():
    p = tool_parser(__doc__)
    p.add_argument("task", choices=["e2e", "rec", "det", "cls"])
    p.add_argument("--label_file", required=True)
    p.add_argument("--data_dir", default=None, help="label paths are relative to it (default: the label "
                                                      "file's folder)")
    p.add_argument("--kinds", default=None, help="path<TAB>kind file (default: kinds.tsv beside --label_file)")
    p.add_argument("--det_model_dir", default=DEFAULT_DET_MODEL_DIR)
    p.add_argument("--rec_model_dir", default=DEFAULT_REC_MODEL_DIR)
    p.add_argument("--cls_model_dir", default=DEFAULT_CLS_MODEL_DIR)
    p.add_argument("--use_angle_cls", type=str2bool, default=True, help="e2e: with the direction classifier")
    p.add_argument("--cls_thresh", type=float, default=0.9)
    p.add_argument("--cls_turn_pages", type=str2bool, default=True)
    p.add_argument("--drop_score", type=float, default=0.5)
    p.add_argument("--rec_batch_num", type=int, default=6)
    add_reading_args(p, str2bool)
    p.add_argument("--cpu_threads", type=int, default=2)
    add_use_onnx_arg(p)
    p.add_argument("--save_predictions", default=None,
                   help="write the predictions (JSON lines for e2e/det, path<TAB>text for rec)")
    args = p.parse_args()
    from ppocr.infer import evaluation
    from ppocr.infer.backends import create_backend
    from ppocr.infer.contract import load_contract
    from ppocr.utils.logging import get_logger

    get_logger()
    rows = evaluation.read_rows(args.label_file)
    data_dir = args.data_dir or os.path.dirname(os.path.abspath(args.label_file))
    kinds = evaluation.read_kinds(args.kinds or os.path.join(os.path.dirname(args.label_file), "kinds.tsv"))
    backend = dict(use_onnx=args.use_onnx, cpu_threads=args.cpu_threads)
    if args.task == "e2e":
        from ppocr.data.label_scan import resolve_image_path
        from ppocr.infer.images import read_image
        from ppocr.infer.system import TextSystem

        system = TextSystem.from_dirs(args.det_model_dir, args.rec_model_dir, args.reading,
                                      drop_score=args.drop_score, rec_batch_num=args.rec_batch_num,
                                      cls_model_dir=args.cls_model_dir if args.use_angle_cls else None,
                                      cls_thresh=args.cls_thresh, turn_pages=args.cls_turn_pages,
                                      **reading_flags(args), **backend)
        system(read_image(resolve_image_path(data_dir, rows[0][0])))  # warm-up
        results, predictions = evaluation.evaluate_e2e(system, data_dir, rows, kinds)
    elif args.task == "rec":
        from ppocr.infer.rec import TextRecognizer

        contract = load_contract(args.rec_model_dir, "rec")
        policy = policy_from_args(args, contract.get("Reading"), f"{args.rec_model_dir}/inference.yml")
        recognizer = TextRecognizer(contract, create_backend(args.rec_model_dir, **backend), args.rec_batch_num,
                                    args.rec_model_dir, policy)
        results, predictions = evaluation.evaluate_rec(recognizer, data_dir, rows)
    elif args.task == "cls":
        from ppocr.infer.cls import TextClassifier

        classifier = TextClassifier(load_contract(args.cls_model_dir, "cls"),
                                    create_backend(args.cls_model_dir, **backend), args.rec_batch_num)
        results, predictions = evaluation.evaluate_cls(classifier, data_dir, rows)
    else:
        from ppocr.infer.det import TextDetector

        contract = load_contract(args.det_model_dir, "det")
        policy = policy_from_args(args, contract.get("Reading"), f"{args.det_model_dir}/inference.yml")
        detector = TextDetector(contract, create_backend(args.det_model_dir, **backend), policy)
        results, predictions = evaluation.evaluate_det(detector, data_dir, rows, kinds)
    print(evaluation.format_table(results))
    if args.save_predictions:
        with open(args.save_predictions, "w", encoding="utf-8") as f:
            for item in predictions:
                text_rows = args.task in ("rec", "cls")
                f.write(f"{item[0]}\t{item[1]}\n" if text_rows else json.dumps(item, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    run_cli(main)
