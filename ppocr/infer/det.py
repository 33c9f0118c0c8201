"""Text detection on any backend: the contract's preprocessing -> network -> post-process."""
from __future__ import annotations

import copy
import logging
import time
from typing import Any, Dict, Optional, Tuple

import cv2
import numpy as np

from ppocr.data.imaug import create_operators, transform
from ppocr.infer.reading import ReadingPolicy, resolve_policy
from ppocr.infer.reading.large_text import large_text_pass
from ppocr.postprocess import build_post_process
from ppocr.utils.geometry import rounded_points

logger = logging.getLogger("ppocr")

# Detector settings a caller may change (the predictors' flags, TextSystem.from_dirs keywords):
# name -> (where in inference.yml: "resize" or the algorithm whose post-process has it, the key there).
DET_SETTINGS = {
    "det_limit_side_len": ("resize", "limit_side_len"), "det_limit_type": ("resize", "limit_type"),
    "det_min_side_len": ("resize", "min_side_len"), "det_max_enlarge": ("resize", "max_enlarge"),
    "det_max_side_limit": ("resize", "max_side_limit"),
    "det_db_thresh": ("DB", "thresh"), "det_db_box_thresh": ("DB", "box_thresh"),
    "det_db_unclip_ratio": ("DB", "unclip_ratio"), "det_db_score_mode": ("DB", "score_mode"),
    "use_dilation": ("DB", "use_dilation"),
    "det_east_score_thresh": ("EAST", "score_thresh"), "det_east_cover_thresh": ("EAST", "cover_thresh"),
    "det_east_nms_thresh": ("EAST", "nms_thresh"),
    "det_algorithm": ("check", "algorithm"),
}


def apply_det_settings(contract: Dict[str, Any], model_dir: str, settings: Dict[str, Any], flags: bool = False
                       ) -> Dict[str, Any]:
    """``contract`` (a detector's inference.yml) with ``settings`` (DET_SETTINGS names; None: the model's own)
    applied; a setting of another algorithm's post-process is ignored with a warning. ``flags``: name them
    as command-line flags in messages."""
    from ppocr.errors import ConfigError
    from ppocr.infer.contract import apply_flag, find_op

    unknown = sorted(set(settings) - set(DET_SETTINGS))
    if unknown:
        raise TypeError(f"unknown detector settings {', '.join(unknown)}; known: {', '.join(DET_SETTINGS)}")
    algorithm = contract.get("algorithm")
    resize = find_op(contract, "DetResizeForTest")
    for name, value in settings.items():
        if value is None:
            continue
        shown = f"--{name}" if flags else name
        where, key = DET_SETTINGS[name]
        if where == "check":
            if value != algorithm:
                raise ConfigError(f"{shown}={value} but {model_dir} holds a {algorithm} model")
        elif where == "resize":
            if resize is not None:
                apply_flag(resize, key, value, shown)
        elif where != algorithm:
            logger.warning(f"{shown} ignored: the model in {model_dir} is {algorithm}, not {where}")
        else:
            apply_flag(contract["PostProcess"], key, value, shown)
    return contract


class TextDetector:
    """``detector(image_bgr) -> (boxes [K,4,2] float32, scores [K], timings)`` in original coordinates.

    With the reading policy's ``large_text_pass`` (``reading``; default: the model's inference.yml) the image
    is detected a second time at a smaller scale (:mod:`ppocr.infer.reading.large_text`).
    """

    def __init__(self, contract: Dict[str, Any], backend, reading: Optional[ReadingPolicy] = None):
        self.contract = contract
        self.ops = create_operators(contract["PreProcess"], "inference.yml PreProcess")
        self.post_process = build_post_process(contract["PostProcess"])
        self.output_names = contract["outputs"]
        self.backend = backend
        policy = reading or resolve_policy(None, contract.get("Reading"))
        self.large_text_pass = bool(policy.large_text_pass)
        # The large-text pass resizes the image itself; its resize op only rounds the sides to the stride.
        plain = copy.deepcopy(contract["PreProcess"])
        for op in plain:
            if "DetResizeForTest" in op:
                op["DetResizeForTest"] = {"limit_side_len": 1e9, "limit_type": "max", "max_side_limit": 1e9}
        self.plain_ops = create_operators(plain, "inference.yml PreProcess")

    def preprocess(self, img: np.ndarray, ops=None) -> Tuple[np.ndarray, np.ndarray]:
        """The network input [1, C, H, W] and ``[[src_h, src_w, ratio_h, ratio_w]]`` (``ops``: the contract's)."""
        image, shape = transform({"image": img, "img_path": "<input>"}, ops or self.ops)
        return image[None], shape[None]

    def _detect(self, img: np.ndarray, ops, timings: Dict[str, float]) -> Tuple[np.ndarray, np.ndarray, float]:
        """Boxes and scores in ``img``'s coordinates, and the input scale (ratio of the resized height)."""
        t0 = time.perf_counter()
        x, shape = self.preprocess(img, ops)
        t1 = time.perf_counter()
        outputs = dict(zip(self.output_names, self.backend.run(x)))
        t2 = time.perf_counter()
        result = self.post_process(outputs, shape)[0]
        timings["pre"] += t1 - t0
        timings["infer"] += t2 - t1
        timings["post"] += time.perf_counter() - t2
        return result["points"], result["scores"], float(shape[0, 2])

    def __call__(self, img: np.ndarray):
        timings = {"pre": 0.0, "infer": 0.0, "post": 0.0}
        boxes, scores, scale = self._detect(img, self.ops, timings)
        if self.large_text_pass:
            boxes, scores = large_text_pass(lambda small: self._detect(small, self.plain_ops, timings)[:2],
                                            img, scale, boxes, scores, timings)
        return boxes, scores, timings


def detect_images(detector: TextDetector, paths, output_dir: str, benchmark: bool = False) -> Dict[str, Any]:
    """Detect text in every image: print boxes, save ``det_res_<name>`` pictures and ``det_results.txt``.

    Unreadable files are reported and skipped. Returns ``{path: boxes}`` for the images that worked (PDF pages
    as ``path_page_N``).
    """
    import json
    import logging
    import os

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
