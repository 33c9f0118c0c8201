"""The two-stage OCR system: detection -> rectification (perspective crops) -> recognition -> score filter."""
from __future__ import annotations

import dataclasses
import os
import time
from dataclasses import dataclass
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple, Union

import cv2
import numpy as np

from ppocr.infer.models import DEFAULT_DET_MODEL_DIR, DEFAULT_REC_MODEL_DIR
from ppocr.infer.reading import ReadingPolicy, resolve_policy
from ppocr.utils.geometry import crop_quad, rounded_points  # crop_quad: also re-exported (the crop step)

SAME_LINE_TOLERANCE = 0.5  # a box joins a line when its centre is within half a text height of the line's
STEEP_DEGREES = 30.0  # text slanted more than this may read either way along its box


def reads_either_way(quad: np.ndarray) -> bool:
    """True for a box whose text may run in either direction: one turned upright by :func:`crop_quad`
    (vertical text reads top-down on a book spine, bottom-up on a chart axis) or slanted steeply (a box has
    no "up", so its crop may come out upside down)."""
    quad = np.asarray(quad, dtype=np.float32)
    top, side = quad[1] - quad[0], quad[3] - quad[0]
    if np.linalg.norm(side) >= 1.5 * np.linalg.norm(top):
        return True
    angle = abs(float(np.degrees(np.arctan2(top[1], top[0]))))
    return STEEP_DEGREES < angle < 180.0 - STEEP_DEGREES


def sort_boxes(boxes: Sequence[np.ndarray]) -> List[int]:
    """Reading order: top to bottom, and left to right within a line. Lines are grown from the topmost box
    down; a box joins the current line when its vertical centre is within the tolerance of the line's mean
    centre (so one box sitting a little higher or lower does not split or reorder the line)."""
    if len(boxes) == 0:
        return []
    ys = [b[:, 1] for b in boxes]
    centres = np.array([(y.min() + y.max()) / 2 for y in ys])
    heights = np.array([max(y.max() - y.min(), 1.0) for y in ys])
    lefts = np.array([b[:, 0].min() for b in boxes])
    lines: List[List[int]] = []
    for i in np.argsort(centres, kind="stable"):
        if lines:
            line = lines[-1]
            gap = abs(centres[i] - centres[line].mean())
            if gap < SAME_LINE_TOLERANCE * min(heights[i], heights[line].mean()):
                line.append(int(i))
                continue
        lines.append([int(i)])
    return [i for line in lines for i in sorted(line, key=lambda k: lefts[k])]


def system_policy(reading: Union[str, ReadingPolicy, None], det_contract: Dict[str, Any],
                  rec_contract: Dict[str, Any], det_model_dir: str, rec_model_dir: str,
                  **reading_steps: Any) -> ReadingPolicy:
    """The system's reading: ``reading``, else the recognizer's saved policy with the detector's own
    ``large_text_pass`` (the step that belongs to the detector); then ``reading_steps``."""
    policy = resolve_policy(reading, rec_contract.get("Reading"), f"{rec_model_dir}/inference.yml")
    saved_det = det_contract.get("Reading")
    if reading is None and saved_det is not None:
        det_policy = ReadingPolicy.from_dict(saved_det, f"{det_model_dir}/inference.yml")
        policy = dataclasses.replace(policy, large_text_pass=det_policy.large_text_pass)
    return resolve_policy(policy, **reading_steps)


@dataclass
class TextLine:
    """One line read: its text, the recognizer's score of that text, and its box (4 [x, y] points,
    clockwise from top-left, rounded to 0.1 px)."""

    text: str
    score: float
    points: List[List[float]]

    def to_dict(self) -> Dict[str, Any]:
        """PaddleOCR's result entry: ``{"transcription", "points", "score"}``."""
        return {"transcription": self.text, "points": self.points, "score": self.score}


class SystemOutput(NamedTuple):
    lines: List[TextLine]
    timings: Dict[str, float]  # seconds per stage: det_pre/infer/post, crop, rec_pre/infer/post
    num_boxes: int  # detected boxes, before the score filter


class TextSystem:
    """Detection + recognition: a :class:`~ppocr.infer.det.TextDetector` and a
    :class:`~ppocr.infer.rec.TextRecognizer`, usually built from exported model folders with :meth:`from_dirs`.

    >>> ocr = TextSystem.from_dirs()  # the shipped English models
    >>> ocr.ocr("doc/imgs/doc_1.jpg")  # [TextLine(text="...", score=0.97, points=[[x, y] x4]), ...]

    ``both_ways``: boxes whose text may run either way round are read both ways, the surer reading kept.
    """

    def __init__(self, detector, recognizer, drop_score: float = 0.5, both_ways: bool = True):
        self.detector, self.recognizer = detector, recognizer
        self.drop_score = float(drop_score)
        self.both_ways = bool(both_ways)

    @classmethod
    def from_dirs(cls, det_model_dir: Optional[str] = None, rec_model_dir: Optional[str] = None,
                  reading: Union[str, ReadingPolicy, None] = None, use_onnx: Optional[bool] = None,
                  drop_score: float = 0.5, rec_batch_num: int = 6, use_gpu: bool = False, cpu_threads: int = 2,
                  enable_mkldnn: bool = True, det_contract: Optional[Dict[str, Any]] = None,
                  rec_contract: Optional[Dict[str, Any]] = None, **settings: Any) -> "TextSystem":
        """The system of two exported models (default: the shipped English ones).

        ``reading``: a preset (``"plain"``, ``"shipped"``) or a ReadingPolicy; default: the recognizer's own
        policy (its inference.yml), with the detector's own ``large_text_pass``. ``settings``: fields of
        :class:`~ppocr.infer.reading.ReadingPolicy` to change (e.g. ``char_lm="none"``), and detector settings
        named as the predictors' flags (``det_limit_side_len=1280``, ``det_db_box_thresh=0.5``: see
        ``ppocr.infer.det.DET_SETTINGS``). ``use_onnx`` runs both
        models with onnxruntime on their ``inference.onnx`` (True) or with ``paddle.inference`` (False); unset,
        each model runs with onnxruntime on a CPU if it has an ``inference.onnx``, as the shipped ones do.
        ``det_contract`` / ``rec_contract``: the models' inference.yml as changed by the caller (the flags).
        """
        from ppocr.infer.backends import create_backend
        from ppocr.infer.contract import load_contract
        from ppocr.infer.det import DET_SETTINGS, TextDetector, apply_det_settings
        from ppocr.infer.rec import TextRecognizer

        det_model_dir, rec_model_dir = det_model_dir or DEFAULT_DET_MODEL_DIR, rec_model_dir or DEFAULT_REC_MODEL_DIR
        det_settings = {k: settings.pop(k) for k in list(settings) if k in DET_SETTINGS}
        det_contract = apply_det_settings(det_contract or load_contract(det_model_dir, "det"), det_model_dir,
                                          det_settings)
        rec_contract = rec_contract or load_contract(rec_model_dir, "rec")
        policy = system_policy(reading, det_contract, rec_contract, det_model_dir, rec_model_dir, **settings)
        backend = dict(use_onnx=use_onnx, use_gpu=use_gpu, cpu_threads=cpu_threads, enable_mkldnn=enable_mkldnn)
        detector = TextDetector(det_contract, create_backend(det_model_dir, **backend), policy)
        # The detector's boxes are unclipped: margin enough for the recognizer.
        recognizer = TextRecognizer(rec_contract, create_backend(rec_model_dir, **backend), rec_batch_num,
                                    rec_model_dir, dataclasses.replace(policy, crop_margin=0.0))
        return cls(detector, recognizer, drop_score, policy.both_ways)

    def __call__(self, img: np.ndarray) -> "SystemOutput":
        """The lines of a BGR image in reading order (those below drop_score removed), with timings."""
        boxes, _, det_time = self.detector(img)
        boxes = [boxes[i] for i in sort_boxes(boxes)]
        t0 = time.perf_counter()
        crops = [crop_quad(img, b) for b in boxes]
        either_way = [i for i, b in enumerate(boxes) if self.both_ways and reads_either_way(b)]
        crop_time = time.perf_counter() - t0
        # Crops whose reading direction is unsure are read both ways round; the surer reading wins.
        texts, rec_time = (self.recognizer.read(crops + [np.rot90(crops[i], 2) for i in either_way]) if crops
                           else ([], {"pre": 0.0, "infer": 0.0, "post": 0.0}))
        for i, turned in zip(either_way, texts[len(crops):]):
            if turned[2] > texts[i][2]:  # the network is surer of the crop this way round
                texts[i] = turned
        results = [TextLine(t, round(float(s), 4), rounded_points(b))
                   for b, (t, s, _) in zip(boxes, texts) if s >= self.drop_score]
        timings = {**{f"det_{k}": v for k, v in det_time.items()}, "crop": crop_time,
                   **{f"rec_{k}": v for k, v in rec_time.items()}}
        return SystemOutput(results, timings, len(boxes))

    def ocr(self, image: Union[str, np.ndarray]) -> List[TextLine]:
        """OCR one image (a path or a BGR array): its lines in reading order."""
        from ppocr.infer.images import read_image

        img = read_image(image) if isinstance(image, str) else image
        return self(img).lines


@dataclass
class PageResult:
    label: str  # the path, or path_page_N for a PDF page
    image_path: str  # an image file holding the page (PDF pages are saved under <output_dir>/pages/)
    size: Tuple[int, int]  # width, height
    output: SystemOutput


class _FileRunner:
    """OCR one input file and draw its pictures; the same code runs in-process and in ``--use_mp`` workers."""

    def __init__(self, system: TextSystem, output_dir: str, font_path: Optional[str], benchmark: bool,
                 stems: Dict[str, str]):
        self.system, self.output_dir, self.font_path = system, output_dir, font_path
        self.warm_up = benchmark
        self.stems = stems  # output names of the input files (images.output_stems)

    def __call__(self, path: str) -> Tuple[str, List[PageResult], Optional[str]]:
        from ppocr.infer.images import read_pages
        from ppocr.utils.visual import draw_ocr_result

        try:
            pages = read_pages(path, self.stems.get(path))
        except (OSError, ValueError) as e:
            return path, [], str(e)
        done = []
        for page in pages:
            if self.warm_up:  # one untimed run so that --benchmark reports warm timings
                self.system(page.image)
                self.warm_up = False
            output = self.system(page.image)
            image_path = page.path
            if page.page is not None:
                image_path = os.path.join(self.output_dir, "pages", page.name + ".png")
                os.makedirs(os.path.dirname(image_path), exist_ok=True)
                cv2.imwrite(image_path, page.image)
            picture = draw_ocr_result(page.image, output.lines, self.font_path)
            cv2.imwrite(os.path.join(self.output_dir, page.name + ".jpg"), picture)
            height, width = page.image.shape[:2]
            done.append(PageResult(page.label, image_path, (width, height), output))
        return path, done, None


_worker_runner: Optional[_FileRunner] = None


def _init_worker(system_kwargs: Dict[str, Any], output_dir: str, font_path: Optional[str], benchmark: bool,
                 stems: Dict[str, str]):
    global _worker_runner
    _worker_runner = _FileRunner(TextSystem.from_dirs(**system_kwargs), output_dir, font_path, benchmark, stems)


def _run_in_worker(path: str):
    return _worker_runner(path)


def run_system(paths: Sequence[str], output_dir: str, system_kwargs: Dict[str, Any], processes: int = 1,
               font_path: Optional[str] = None, output_json: Optional[str] = None, benchmark: bool = False
               ) -> Dict[str, List[Dict[str, Any]]]:
    """OCR every file (images, PDF pages) with ``TextSystem.from_dirs(**system_kwargs)`` over ``processes`` processes:
    print the lines, save ``<output_dir>/<name>.jpg`` pictures, ``system_results.txt`` in the detection label
    format (reusable as training data) and optionally a JSON-lines file. Unreadable files are reported and
    skipped. Returns ``{label: lines}``."""
    import json
    import logging
    import multiprocessing

    from tqdm import tqdm

    from ppocr.infer.images import log_benchmark, output_stems

    logger = logging.getLogger("ppocr")
    os.makedirs(output_dir, exist_ok=True)
    stems = output_stems(paths)
    if processes > 1:
        # spawn: a fork would copy the parent's inference threads' locks
        pool = multiprocessing.get_context("spawn").Pool(
            processes, _init_worker, (system_kwargs, output_dir, font_path, benchmark, stems))
        outcomes = pool.imap(_run_in_worker, paths)
    else:
        pool = None
        runner = _FileRunner(TextSystem.from_dirs(**system_kwargs), output_dir, font_path, benchmark, stems)
        outcomes = map(runner, paths)
    done: Dict[str, List[Dict[str, Any]]] = {}
    failed, times, label_lines, json_lines = [], [], [], []
    try:
        for path, pages, error in tqdm(outcomes, total=len(paths), desc="ocr", leave=False,
                                       disable=len(paths) < 5 or not os.isatty(2)):
            if error:
                logger.error(f"skipping {path}: {error}")
                failed.append(path)
            for page in pages:
                lines = page.output.lines
                done[page.label] = lines
                times.append(page.output.timings)
                _print_page(page, benchmark)
                items = [line.to_dict() for line in lines]
                label_lines.append(f"{page.image_path}\t{json.dumps(items, ensure_ascii=False)}")
                record = {"path": page.label, "lines": [dataclasses.asdict(line) for line in lines]}
                json_lines.append(json.dumps(record, ensure_ascii=False))
    except BaseException:
        if pool is not None:
            pool.terminate()
        raise
    if pool is not None:
        pool.close()  # a clean exit: terminate() would SIGTERM the workers, which Paddle reports loudly
        pool.join()
    with open(os.path.join(output_dir, "system_results.txt"), "w", encoding="utf-8") as f:
        f.writelines(line + "\n" for line in label_lines)
    if output_json:
        with open(output_json, "w", encoding="utf-8") as f:
            f.writelines(line + "\n" for line in json_lines)
    logger.info(f"{len(done)} images done, {len(failed)} failed; pictures and system_results.txt in {output_dir}")
    if benchmark:
        log_benchmark(times)
    return done


def _print_page(page: PageResult, benchmark: bool) -> None:
    import json

    output = page.output
    print(f"{page.label}: {len(output.lines)} lines")
    for line in output.lines:
        print(f"  {line.text}\t{line.score:.3f}\t{json.dumps(np.round(line.points).astype(int).tolist())}")
    if benchmark:
        stages = ", ".join(f"{k} {1000 * v:.1f}" for k, v in output.timings.items())
        print(f"  benchmark: {page.size[0]}x{page.size[1]} px, {output.num_boxes} boxes; ms: {stages}, "
              f"total {1000 * sum(output.timings.values()):.1f}")
