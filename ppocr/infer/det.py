"""Text detection on any backend: the contract's preprocessing -> network -> post-process."""
from __future__ import annotations

import time
from typing import Any, Dict, Tuple

import numpy as np

from ppocr.data.imaug import create_operators, transform
from ppocr.postprocess import build_post_process
from ppocr.utils.geometry import rounded_points


class TextDetector:
    """``detector(image_bgr) -> (boxes [K,4,2] float32, scores [K], timings)`` in original coordinates."""

    def __init__(self, contract: Dict[str, Any], backend):
        self.contract = contract
        self.ops = create_operators(contract["PreProcess"], "inference.yml PreProcess")
        self.post_process = build_post_process(contract["PostProcess"])
        self.output_names = contract["outputs"]
        self.backend = backend

    def preprocess(self, img: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        image, shape = transform({"image": img, "img_path": "<input>"}, self.ops)
        return image[None], shape[None]

    def __call__(self, img: np.ndarray):
        t0 = time.perf_counter()
        x, shape = self.preprocess(img)
        t1 = time.perf_counter()
        outputs = dict(zip(self.output_names, self.backend.run(x)))
        t2 = time.perf_counter()
        result = self.post_process(outputs, shape)[0]
        t3 = time.perf_counter()
        return result["points"], result["scores"], {"pre": t1 - t0, "infer": t2 - t1, "post": t3 - t2}


def detect_images(detector: TextDetector, paths, output_dir: str, benchmark: bool = False) -> Dict[str, Any]:
    """Detect text in every image: print boxes, save ``det_res_<name>`` pictures and ``det_results.txt``.

    Unreadable files are reported and skipped. Returns ``{path: boxes}`` for the images that worked (PDF pages
    as ``path_page_N``).
    """
    import json
    import logging
    import os

    import cv2

    from ppocr.infer.images import log_benchmark, read_images
    from ppocr.utils.visual import draw_det_boxes

    logger = logging.getLogger("ppocr")
    os.makedirs(output_dir, exist_ok=True)
    results, failed, times = {}, [], []
    lines = []
    for page in read_images(paths, failed, "detect"):
        if benchmark and not times:
            detector(page.image)  # warm-up: oneDNN builds its kernels for the first shapes
        boxes, scores, timing = detector(page.image)
        times.append(timing)
        results[page.label] = boxes
        items = [{"transcription": "", "points": rounded_points(b), "score": round(float(s), 4)}
                 for b, s in zip(boxes, scores)]
        lines.append(f"{page.label}\t{json.dumps(items)}")
        print(f"{page.label}: {len(boxes)} boxes")
        for box, score in zip(boxes, scores):
            print(f"  {json.dumps(np.round(box).astype(int).tolist())}  {float(score):.3f}")
        cv2.imwrite(os.path.join(output_dir, f"det_res_{page.name}.jpg"), draw_det_boxes(page.image, boxes))
    with open(os.path.join(output_dir, "det_results.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + ("\n" if lines else ""))
    logger.info(f"{len(results)} images done, {len(failed)} failed; pictures and det_results.txt in {output_dir}")
    if benchmark:
        log_benchmark(times)
    return results
