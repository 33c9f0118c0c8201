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
from ppocr.postprocess import build_post_process
from ppocr.utils.geometry import rounded_points

logger = logging.getLogger("ppocr")

# The large-text pass (see TextDetector): the image at this fraction of the detector's input scale, and
# the line height (px at the input scale) from which its boxes are trusted over the full-scale ones.
LARGE_TEXT_SCALE = 0.5
LARGE_TEXT_HEIGHT = 80.0
# A base box belongs to a large-text box when this share of its area lies inside it.
COVERED_SHARE = 0.5


def box_heights(boxes: np.ndarray) -> np.ndarray:
    """Text height of each quad [K, 4, 2] (clockwise from top-left): the mean length of its shorter pair of
    opposite edges, so that a vertical line (an axis title) is as high as its letters, not as its length."""
    boxes = np.asarray(boxes, np.float32).reshape(-1, 4, 2)

    def edge(a: int, b: int) -> np.ndarray:
        return np.linalg.norm(boxes[:, b] - boxes[:, a], axis=1)

    return np.minimum(edge(0, 3) + edge(1, 2), edge(0, 1) + edge(3, 2)) / 2


def merge_large_text(boxes: np.ndarray, scores: np.ndarray, large: np.ndarray, large_scores: np.ndarray
                     ) -> Tuple[np.ndarray, np.ndarray]:
    """``boxes`` with each box of ``large`` (tall lines found at a smaller scale) put in place of the boxes it
    covers (the pieces into which the full scale split that line), unless one of those lies wholly above
    another: then it merged several lines, which the full-scale boxes keep apart."""
    from shapely.geometry import Polygon

    boxes = np.asarray(boxes, np.float32).reshape(-1, 4, 2)
    scores = np.asarray(scores, np.float32).reshape(-1)
    large = np.asarray(large, np.float32).reshape(-1, 4, 2)
    polygons = [Polygon(b).buffer(0) for b in boxes]
    tops, bottoms = boxes[:, :, 1].min(axis=1), boxes[:, :, 1].max(axis=1)
    dropped, added = set(), []
    for j, quad in enumerate(large):
        big = Polygon(quad).buffer(0)
        covered = [i for i, p in enumerate(polygons)
                   if p.area > 0 and p.intersection(big).area >= COVERED_SHARE * p.area]
        if (bottoms[covered][:, None] <= tops[covered][None, :]).any():
            continue
        dropped.update(covered)
        added.append(j)
    keep = [i for i in range(len(boxes)) if i not in dropped]
    return (np.concatenate([boxes[keep], large[added]]),
            np.concatenate([scores[keep], np.asarray(large_scores, np.float32).reshape(-1)[added]]))


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
    is detected a second time at ``LARGE_TEXT_SCALE`` of the input scale (a quarter of the work), and lines
    found there that are at least ``LARGE_TEXT_HEIGHT`` px tall at the input scale replace the boxes they cover:
    a detector with a small receptive field splits or misses a line taller than about 60 px (a headline, a sign
    photographed close), and finds it at half the size.
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
        if not self.large_text_pass or min(img.shape[:2]) * scale < LARGE_TEXT_HEIGHT:  # no room for such a line
            return boxes, scores, timings
        t0 = time.perf_counter()
        factor = scale * LARGE_TEXT_SCALE
        # Area averaging, then the op only rounds to the stride: resizing once with the op's linear
        # interpolation read generated posters worse (end-to-end F1 0.892 against 0.911).
        small = cv2.resize(img, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        timings["pre"] += time.perf_counter() - t0
        large, large_scores, _ = self._detect(small, self.plain_ops, timings)
        t0 = time.perf_counter()
        large = np.asarray(large, np.float32).reshape(-1, 4, 2) / factor
        tall = box_heights(large) * scale >= LARGE_TEXT_HEIGHT
        if tall.any():
            boxes, scores = merge_large_text(boxes, scores, large[tall], np.asarray(large_scores)[tall])
        timings["post"] += time.perf_counter() - t0
        return boxes, scores, timings


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
