"""Scoring the exported models on a labelled folder, per kind of image: recognition (crops), detection and
end-to-end OCR (pages). ``tools/eval_dev.py`` is the command line."""
from __future__ import annotations

import dataclasses
import json
import os
import statistics
import time
from collections import defaultdict
from typing import Dict, List, Optional, Tuple

import numpy as np

from ppocr.data.label_scan import resolve_image_path
from ppocr.infer.images import read_image
from ppocr.utils.geometry import rounded_points

ALL = "ALL"


def read_rows(label_file: str) -> List[Tuple[str, str]]:
    """``(path, label)`` for each non-empty line of a PaddleOCR label file (tab-separated)."""
    with open(label_file, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t", 1) for line in f if line.strip()]
    bad = [i + 1 for i, r in enumerate(rows) if len(r) != 2]
    if bad:
        raise ValueError(f"{label_file}:{bad[0]}: expected 'path<TAB>label'")
    return [(p, label) for p, label in rows]


def read_kinds(path: Optional[str]) -> Dict[str, str]:
    """``path<TAB>kind`` lines (e.g. dev/e2e/kinds.tsv); empty when there is no such file."""
    if not path or not os.path.isfile(path):
        return {}
    return dict(read_rows(path))


def _median_ms(seconds: List[float]) -> float:
    return 1000 * statistics.median(seconds) if seconds else 0.0


def evaluate_rec(recognizer, data_dir: str, rows):
    """``(results, predictions)``: word accuracy exact and ignoring case and spaces, 1 - normalized edit
    distance; predictions as ``(path, text)``."""
    from ppocr.metrics.rec_metric import RecMetric

    crops = [read_image(resolve_image_path(data_dir, p)) for p, _ in rows]
    texts, _ = recognizer(crops)
    labels = [(t, 1.0) for _, t in rows]
    exact, caseless = RecMetric(), RecMetric(ignore_case=True, ignore_space=True)
    exact.update(texts, labels)
    caseless.update(texts, labels)
    e, c = exact.get_metric(), caseless.get_metric()
    result = {"crops": len(rows), "acc": e["acc"], "acc_caseless": c["acc"],
              "one_minus_ned": e["norm_edit_dis"]}
    return {ALL: result}, [(p, t) for (p, _), (t, _) in zip(rows, texts)]


def evaluate_cls(classifier, data_dir: str, rows):
    """``(results, predictions)``: the direction classifier on upright text crops turned by each direction
    it knows (then through the system's crop step, which turns tall crops by 90 degrees, as the classifier
    sees them in the system): accuracy per direction turned and over all; predictions as
    ``(path@turn, predicted direction)``."""
    from ppocr.utils.directions import as_system_crop, turn

    crops = [read_image(resolve_image_path(data_dir, p)) for p, _ in rows]
    results, predictions, correct_all = {}, [], 0
    for label in classifier.label_list:
        turned = [as_system_crop(turn(c, int(label)), int(label)) for c in crops]
        directions, _ = classifier([img for img, _ in turned])
        correct = sum(d == str(expected) for (d, _), (_, expected) in zip(directions, turned))
        correct_all += correct
        results[f"turned {label}"] = {"crops": len(crops), "acc": correct / max(len(crops), 1)}
        predictions += [(f"{p}@{label}", d) for (p, _), (d, _) in zip(rows, directions)]
    results[ALL] = {"crops": len(crops) * len(classifier.label_list),
                    "acc": correct_all / max(len(crops) * len(classifier.label_list), 1)}
    return results, predictions


def evaluate_e2e(system, data_dir: str, rows, kinds: Dict[str, str]):
    """``(results, predictions)``. Per kind: word precision / recall / F1 (case-insensitive, punctuation
    stripped from word ends) and CER of the page text, and the median latency. Ground-truth lines are
    taken in file order (reading order); ``###`` lines are left out."""
    from ppocr.metrics.e2e_metric import E2EMetric

    metrics = defaultdict(lambda: E2EMetric(ignore_case=True, strip_punct=True))
    latency = defaultdict(list)
    predictions = []
    for rel, label in rows:
        img = read_image(resolve_image_path(data_dir, rel))
        t0 = time.perf_counter()
        lines = system(img).lines
        elapsed = time.perf_counter() - t0
        expected = [item["transcription"] for item in json.loads(label)]
        for kind in (kinds.get(rel, "other"), ALL):
            metrics[kind].update([line.text for line in lines], expected)
            latency[kind].append(elapsed)
        predictions.append({"path": rel, "lines": [dataclasses.asdict(line) for line in lines]})
    return {k: dict(m.get_metric(), median_ms=_median_ms(latency[k])) for k, m in metrics.items()}, predictions


def evaluate_det(detector, data_dir: str, rows, kinds: Dict[str, str]):
    """``(results, predictions)``. Per kind: precision / recall / hmean at IoU 0.5 (ICDAR 2015 rules,
    ``###`` regions ignored)."""
    from ppocr.metrics.det_metric import DetMetric

    metrics = defaultdict(DetMetric)
    predictions = []
    for rel, label in rows:
        items = json.loads(label)
        boxes, scores, _ = detector(read_image(resolve_image_path(data_dir, rel)))
        gts = [np.array(i["points"], np.float32) for i in items]
        tags = [i["transcription"] == "###" for i in items]
        for kind in (kinds.get(rel, "other"), ALL):
            metrics[kind].update([boxes], [gts], [tags])
        lines = [{"text": "", "points": rounded_points(b), "score": round(float(s), 4)}
                 for b, s in zip(boxes, scores)]
        predictions.append({"path": rel, "lines": lines})
    return {k: m.get_metric() for k, m in metrics.items()}, predictions


def format_table(results: Dict[str, Dict[str, float]]) -> str:
    """One row per kind (ALL last), one column per number."""
    kinds = sorted(k for k in results if k != ALL) + ([ALL] if ALL in results else [])
    columns = list(results[kinds[0]])
    width = max(12, max(len(k) for k in kinds) + 2)
    lines = ["kind".ljust(width) + "".join(c.rjust(15) for c in columns)]
    for k in kinds:
        cells = []
        for c in columns:
            v = results[k][c]
            cells.append((f"{v:.0f}" if c in ("pages", "words", "crops") or c.endswith("_ms") else f"{v:.3f}")
                         .rjust(15))
        lines.append(k.ljust(width) + "".join(cells))
    return "\n".join(lines)
