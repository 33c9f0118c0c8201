"""Text direction classification on any backend: crops -> ClsResizeImg -> network -> (direction, score).

PaddleOCR 2.0's third stage: between the crop step and recognition, crops the classifier finds turned (by 180
degrees, or with a four-direction model also by 90 or 270) with a score of at least ``thresh`` are turned
the right way up.
"""
from __future__ import annotations

import time
from typing import Any, Dict, List, Sequence, Tuple

import numpy as np

from ppocr.data.imaug import create_operators, transform
from ppocr.postprocess import build_post_process
from ppocr.utils.directions import make_upright

Direction = Tuple[str, float]


class TextClassifier:
    """``classifier(crops_bgr) -> ([(direction, score), ...], timings)``, in input order; crops are batched
    ``batch_num`` at a time (the model's input has one fixed size, so no ordering is needed)."""

    def __init__(self, contract: Dict[str, Any], backend, batch_num: int = 6, thresh: float = 0.9):
        self.contract = contract
        self.label_list = list(contract["label_list"])
        self.ops = create_operators(contract["PreProcess"], "inference.yml PreProcess")
        self.post_process = build_post_process(contract["PostProcess"])
        self.output_names = contract["outputs"]
        self.backend = backend
        self.batch_num = max(1, int(batch_num))
        self.thresh = float(thresh)

    def __call__(self, crops: Sequence[np.ndarray]) -> Tuple[List[Direction], Dict[str, float]]:
        results: List[Direction] = []
        timings = {"pre": 0.0, "infer": 0.0, "post": 0.0}
        for start in range(0, len(crops), self.batch_num):
            t0 = time.perf_counter()
            x = np.stack([transform({"image": c, "img_path": "<crop>"}, self.ops)[0]
                          for c in crops[start:start + self.batch_num]])
            t1 = time.perf_counter()
            outputs = dict(zip(self.output_names, self.backend.run(x)))
            t2 = time.perf_counter()
            results.extend(self.post_process(outputs))
            timings["pre"] += t1 - t0
            timings["infer"] += t2 - t1
            timings["post"] += time.perf_counter() - t2
        return results, timings

    def make_upright(self, crops: Sequence[np.ndarray]
                     ) -> Tuple[List[np.ndarray], List[Direction], Dict[str, float]]:
        """``(crops turned the right way up, their directions, timings)``: a crop is turned when it is
        classified as turned with a score of at least ``thresh``."""
        directions, timings = self(crops)
        upright = [make_upright(c, label) if label != "0" and score >= self.thresh else c
                   for c, (label, score) in zip(crops, directions)]
        return upright, directions, timings


def classify_images(classifier: TextClassifier, paths, output_dir: str = None) -> Dict[str, Direction]:
    """Classify every image (each one a text crop): print ``path\\tdirection\\tscore``, write
    ``cls_results.txt`` into ``output_dir``. Unreadable files are reported and skipped."""
    import logging
    import os

    from ppocr.infer.images import read_crops

    failed: List[str] = []
    names, crops = read_crops(paths, failed, "classify")
    results: Dict[str, Direction] = {}
    if crops:
        t0 = time.perf_counter()
        directions = classifier(crops)[0]
        elapsed = time.perf_counter() - t0
        for path, (label, score) in zip(names, directions):
            results[path] = (label, score)
            print(f"{path}\t{label}\t{score:.4f}")
        logging.getLogger("ppocr").info(f"classified {len(crops)} crops in {elapsed:.2f} s "
                                        f"({len(crops) / elapsed:.1f} crops/s); {len(failed)} failed")
    if output_dir:
        os.makedirs(output_dir, exist_ok=True)
        with open(os.path.join(output_dir, "cls_results.txt"), "w", encoding="utf-8") as f:
            f.writelines(f"{p}\t{label}\t{s:.4f}\n" for p, (label, s) in results.items())
    return results
