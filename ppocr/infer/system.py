"""The OCR system: detection -> rectification (perspective crops) -> direction classifier -> recognition ->
score filter."""
from __future__ import annotations

import dataclasses
import os
import time
from dataclasses import dataclass
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple, Union

import cv2
import numpy as np

from ppocr.infer.models import DEFAULT_CLS_MODEL_DIR, DEFAULT_DET_MODEL_DIR, DEFAULT_REC_MODEL_DIR
from ppocr.infer.reading import ReadingPolicy, resolve_policy
from ppocr.utils.directions import page_turn, points_after_turn, turn
# crop_quad is also re-exported here: it is the system's crop step
from ppocr.utils.geometry import crop_quad, rounded_points, turned_by_crop_step

SAME_LINE_TOLERANCE = 0.5  # a box joins a line when its centre is within half a text height of the line's
STEEP_DEGREES = 30.0  # text slanted more than this may read either way along its box
TURN_CHECK_CROPS = 8  # crops read both ways round to confirm that a page is turned


def reads_either_way(quad: np.ndarray) -> bool:
    """True for a box whose text may run in either direction: one turned upright by :func:`crop_quad`
    (vertical text reads top-down on a book spine, bottom-up on a chart axis) or slanted steeply (a box has
    no "up", so its crop may come out upside down)."""
    if turned_by_crop_step(quad):
        return True
    quad = np.asarray(quad, dtype=np.float32)
    top = quad[1] - quad[0]
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


class PreparedPage(NamedTuple):
    boxes: List[np.ndarray]  # in reading order, in the coordinates of the image given
    crops: List[np.ndarray]  # one per box, turned upright by the classifier when there is one
    either_way: List[int]  # the crops also read turned by 180 degrees (TextSystem.both_ways)
    timings: Dict[str, float]
    page_turn: int = 0  # degrees counter-clockwise the page was found turned (and was read turned back)

    @property
    def rec_inputs(self) -> List[np.ndarray]:
        """What the recognizer reads: every crop, then those read either way round turned by 180 degrees."""
        return self.crops + [np.rot90(self.crops[i], 2) for i in self.either_way]


class SystemOutput(NamedTuple):
    lines: List[TextLine]
    timings: Dict[str, float]  # seconds per stage: det_pre/infer/post, crop, cls_pre/infer/post, rec_pre/infer/post
    num_boxes: int  # detected boxes, before the score filter


class TextSystem:
    """Detection, an optional direction classifier, recognition: a :class:`~ppocr.infer.det.TextDetector`, a
    :class:`~ppocr.infer.cls.TextClassifier` (or None) and a :class:`~ppocr.infer.rec.TextRecognizer`, usually
    built from exported model folders with :meth:`from_dirs`.

    >>> ocr = TextSystem.from_dirs()  # the shipped English models
    >>> ocr.ocr("doc/imgs/doc_1.jpg")  # [TextLine(text="...", score=0.97, points=[[x, y] x4]), ...]

    The classifier turns crops it finds turned the right way up before recognition; with ``turn_pages``,
    a page whose crops mostly say it is turned (upside down, or on its side) is turned back and detected
    again, so that its lines are found whole and read in order. ``both_ways``: boxes whose text may run
    either way round are read both ways, the surer reading kept (after the classifier, when there is one).
    """

    def __init__(self, detector, recognizer, drop_score: float = 0.5, both_ways: bool = True, classifier=None,
                 turn_pages: bool = True):
        self.detector, self.recognizer, self.classifier = detector, recognizer, classifier
        self.drop_score = float(drop_score)
        self.both_ways = bool(both_ways)
        self.turn_pages = bool(turn_pages)

    @classmethod
    def from_dirs(cls, det_model_dir: Optional[str] = None, rec_model_dir: Optional[str] = None,
                  reading: Union[str, ReadingPolicy, None] = None, use_onnx: Optional[bool] = None,
                  drop_score: float = 0.5, rec_batch_num: int = 6, use_gpu: bool = False, cpu_threads: int = 2,
                  enable_mkldnn: bool = True, det_contract: Optional[Dict[str, Any]] = None,
                  rec_contract: Optional[Dict[str, Any]] = None, cls_model_dir: Optional[str] = DEFAULT_CLS_MODEL_DIR,
                  cls_contract: Optional[Dict[str, Any]] = None, cls_batch_num: int = 6, cls_thresh: float = 0.9,
                  turn_pages: bool = True, **settings: Any) -> "TextSystem":
        """The system of exported models (default: the shipped English ones).

        ``cls_model_dir``: the direction classifier (default: the shipped one; None: no classifier, as
        ``--use_angle_cls=false``), which turns crops it classifies as turned with a score of at least
        ``cls_thresh``; with ``turn_pages``, pages found turned are turned back and read again.

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
        classifier = None
        if cls_model_dir:
            from ppocr.infer.cls import TextClassifier

            classifier = TextClassifier(cls_contract or load_contract(cls_model_dir, "cls"),
                                        create_backend(cls_model_dir, **backend), cls_batch_num, cls_thresh)
        return cls(detector, recognizer, drop_score, policy.both_ways, classifier, turn_pages)

    def __call__(self, img: np.ndarray) -> "SystemOutput":
        """The lines of a BGR image in reading order (those below drop_score removed), with timings."""
        page = self.prepare(img)
        return self.finish(page, *self.recognizer.read(page.rec_inputs)) if page.crops else self.finish(page)

    def prepare(self, img: np.ndarray) -> "PreparedPage":
        """Everything before recognition: detection, reading order, crops, and the direction classifier.
        (A service runs recognition for several pages at once between :meth:`prepare` and :meth:`finish`.)"""
        page, directions = self._prepare(img)
        turned = page_turn(page.boxes, directions) if self.turn_pages and directions else 0
        if not turned:
            return page
        upright = turn(img, -turned)
        again, _ = self._prepare(upright)
        t0 = time.perf_counter()
        keep_turn = self._reads_surer(again, page)  # the recognizer confirms what the classifier proposed
        stages = {**page.timings, **again.timings}
        timings = {k: page.timings.get(k, 0.0) + again.timings.get(k, 0.0) for k in stages}
        timings["page_turn_check"] = time.perf_counter() - t0
        if not keep_turn:
            return page._replace(timings=timings)
        boxes = [points_after_turn(b, upright.shape, turned) for b in again.boxes]
        return again._replace(boxes=boxes, timings=timings, page_turn=turned)

    def _reads_surer(self, page: "PreparedPage", other: "PreparedPage") -> bool:
        """Whether the recognizer is surer of ``page``'s longest crops than of ``other``'s (mean confidence
        of its own reading, over the ``TURN_CHECK_CROPS`` longest crops of each)."""
        def confidence(p: "PreparedPage") -> float:
            longest = sorted(p.crops, key=lambda c: -c.shape[1])[:TURN_CHECK_CROPS]
            readings = self.recognizer.read(longest)[0] if longest else []
            return float(np.mean([c for _, _, c in readings])) if readings else 0.0

        return confidence(page) > confidence(other)

    def _prepare(self, img: np.ndarray) -> Tuple["PreparedPage", List[Tuple[str, float]]]:
        boxes, _, det_time = self.detector(img)
        boxes = [boxes[i] for i in sort_boxes(boxes)]
        t0 = time.perf_counter()
        crops = [crop_quad(img, b) for b in boxes]
        either_way = [i for i, b in enumerate(boxes) if self.both_ways and reads_either_way(b)]
        timings = {**{f"det_{k}": v for k, v in det_time.items()}, "crop": time.perf_counter() - t0}
        directions = []
        if self.classifier is not None and crops:
            crops, directions, cls_time = self.classifier.make_upright(crops)
            timings.update({f"cls_{k}": v for k, v in cls_time.items()})
        return PreparedPage(boxes, crops, either_way, timings), directions

    def finish(self, page: "PreparedPage", texts: Sequence[Tuple[str, float, float]] = (),
               rec_time: Optional[Dict[str, float]] = None) -> "SystemOutput":
        """The lines, from the readings of ``page.rec_inputs`` (``TextRecognizer.read``; none for a page
        without crops)."""
        rec_time = rec_time or {"pre": 0.0, "infer": 0.0, "post": 0.0}
        n = len(page.crops)
        texts = list(texts)
        for i, turned in zip(page.either_way, texts[n:]):
            if turned[2] > texts[i][2]:  # the network is surer of the crop this way round
                texts[i] = turned
        results = [TextLine(t, round(float(s), 4), rounded_points(b))
                   for b, (t, s, _) in zip(page.boxes, texts[:n]) if s >= self.drop_score]
        timings = {**page.timings, **{f"rec_{k}": v for k, v in rec_time.items()}}
        return SystemOutput(results, timings, len(page.boxes))

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
