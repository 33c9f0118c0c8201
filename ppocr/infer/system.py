"""The two-stage OCR system: detection -> rectification (perspective crops) -> recognition -> score filter."""
from __future__ import annotations

import time
from typing import Any, Dict, List, Optional, Sequence, Union

import cv2
import numpy as np

SAME_LINE_TOLERANCE = 0.5  # boxes whose tops differ by less than half a box height share a line


def sort_boxes(boxes: Sequence[np.ndarray]) -> List[int]:
    """Reading order: top to bottom, and left to right within a line (tops within a tolerance)."""
    if len(boxes) == 0:
        return []
    tops = np.array([b[:, 1].min() for b in boxes])
    lefts = np.array([b[:, 0].min() for b in boxes])
    heights = np.array([max(b[:, 1].max() - b[:, 1].min(), 1.0) for b in boxes])
    order = list(np.argsort(tops, kind="stable"))
    lines: List[List[int]] = []
    for i in order:
        if lines and abs(tops[i] - tops[lines[-1][0]]) < SAME_LINE_TOLERANCE * heights[lines[-1][0]]:
            lines[-1].append(i)
        else:
            lines.append([i])
    return [int(i) for line in lines for i in sorted(line, key=lambda k: lefts[k])]


def crop_quad(img: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """Warp the quad (clockwise from top-left) to an upright rectangle; crops much taller than wide
    (vertical text or a box found sideways) are turned 90 degrees so the recognizer reads along x."""
    quad = np.asarray(quad, dtype=np.float32)
    width = int(round(max(np.linalg.norm(quad[0] - quad[1]), np.linalg.norm(quad[2] - quad[3]))))
    height = int(round(max(np.linalg.norm(quad[0] - quad[3]), np.linalg.norm(quad[1] - quad[2]))))
    width, height = max(width, 1), max(height, 1)
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    crop = cv2.warpPerspective(img, cv2.getPerspectiveTransform(quad, target), (width, height),
                               borderMode=cv2.BORDER_REPLICATE, flags=cv2.INTER_CUBIC)
    if height >= 1.5 * width:
        crop = np.rot90(crop)
    return np.ascontiguousarray(crop)


class TextSystem:
    """Detection + recognition over exported models.

    >>> ocr = TextSystem(det_model_dir="./inference/det/", rec_model_dir="./inference/rec/")
    >>> ocr.ocr("doc/imgs/doc_1.jpg")  # [{"points": [[x, y] x4], "text": "...", "score": 0.97}, ...]
    """

    def __init__(self, det_model_dir: str = "./inference/det/", rec_model_dir: str = "./inference/rec/",
                 drop_score: float = 0.5, rec_batch_num: int = 6, use_gpu: bool = False, cpu_threads: int = 2,
                 enable_mkldnn: bool = True, det_contract: Optional[Dict[str, Any]] = None,
                 rec_contract: Optional[Dict[str, Any]] = None):
        from ppocr.infer.backends import PaddleInferenceBackend
        from ppocr.infer.contract import load_contract
        from ppocr.infer.det import TextDetector
        from ppocr.infer.rec import TextRecognizer

        backend = dict(use_gpu=use_gpu, cpu_threads=cpu_threads, enable_mkldnn=enable_mkldnn)
        self.detector = TextDetector(det_contract or load_contract(det_model_dir, "det"),
                                     PaddleInferenceBackend(det_model_dir, **backend))
        self.recognizer = TextRecognizer(rec_contract or load_contract(rec_model_dir, "rec"),
                                         PaddleInferenceBackend(rec_model_dir, **backend), rec_batch_num,
                                         rec_model_dir)
        self.drop_score = float(drop_score)

    def __call__(self, img: np.ndarray):
        """``(results in reading order, timings)`` for a BGR image; results below drop_score are removed."""
        boxes, _, det_time = self.detector(img)
        order = sort_boxes(boxes)
        boxes = [boxes[i] for i in order]
        t0 = time.perf_counter()
        crops = [crop_quad(img, b) for b in boxes]
        crop_time = time.perf_counter() - t0
        texts, rec_time = self.recognizer(crops) if crops else ([], {"pre": 0.0, "infer": 0.0, "post": 0.0})
        results = [{"points": np.round(b, 1).tolist(), "text": t, "score": round(float(s), 4)}
                   for b, (t, s) in zip(boxes, texts) if s >= self.drop_score]
        timings = {"det": sum(det_time.values()), "crop": crop_time, "rec": sum(rec_time.values())}
        return results, timings

    def ocr(self, image: Union[str, np.ndarray]) -> List[Dict[str, Any]]:
        """OCR one image (a path or a BGR array): a list of ``{"points", "text", "score"}`` in reading order."""
        from ppocr.infer.images import read_image

        img = read_image(image) if isinstance(image, str) else image
        return self(img)[0]


def run_system(system: TextSystem, paths: Sequence[str], output_dir: str, font_path: Optional[str] = None,
               output_json: Optional[str] = None, benchmark: bool = False) -> Dict[str, list]:
    """OCR every image: print the lines, save ``<output_dir>/<name>`` pictures, ``system_results.txt`` in the
    detection label format (reusable as training data) and optionally a JSON-lines file."""
    import json
    import logging
    import os

    from ppocr.infer.images import log_benchmark, read_images
    from ppocr.utils.visual import draw_ocr_result

    logger = logging.getLogger("ppocr")
    os.makedirs(output_dir, exist_ok=True)
    done: Dict[str, list] = {}
    failed, times = [], []
    label_lines, json_lines = [], []
    for path, img in read_images(paths, failed, "ocr"):
        results, timing = system(img)
        times.append(timing)
        done[path] = results
        print(f"{path}: {len(results)} lines")
        for r in results:
            print(f"  {r['text']}\t{r['score']:.3f}\t{json.dumps(np.round(r['points']).astype(int).tolist())}")
        items = [{"transcription": r["text"], "points": r["points"], "score": r["score"]} for r in results]
        label_lines.append(f"{path}\t{json.dumps(items, ensure_ascii=False)}")
        json_lines.append(json.dumps({"path": path, "lines": results}, ensure_ascii=False))
        name = os.path.splitext(os.path.basename(path))[0] + ".jpg"
        cv2.imwrite(os.path.join(output_dir, name), draw_ocr_result(img, results, font_path))
    with open(os.path.join(output_dir, "system_results.txt"), "w", encoding="utf-8") as f:
        f.writelines(line + "\n" for line in label_lines)
    if output_json:
        with open(output_json, "w", encoding="utf-8") as f:
            f.writelines(line + "\n" for line in json_lines)
    logger.info(f"{len(done)} images done, {len(failed)} failed; pictures and system_results.txt in {output_dir}")
    if benchmark:
        log_benchmark(times)
    return done
