"""Text recognition on any backend: crops batched by aspect ratio -> RecResizeImg -> network -> decode."""
from __future__ import annotations

import copy
import time
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

from ppocr.data.imaug import create_operators, transform
from ppocr.data.imaug.rec_img_aug import natural_width
from ppocr.errors import ConfigError
from ppocr.infer.reading import ReadingPolicy, resolve_policy
from ppocr.infer.reading.char_lm import resolve_char_lm
from ppocr.infer.reading.crops import side_margin
from ppocr.infer.reading.decode import BeyondGreedy
from ppocr.infer.reading.lexicon import resolve_lexicon
from ppocr.infer.reading.retries import invert_retry, stretch_retry
from ppocr.postprocess import build_post_process
from ppocr.postprocess.rec_postprocess import probs_from
from ppocr.utils.character import CharacterDict

MAX_BATCH_SPREAD = 1.25  # widest / narrowest input width within one batch of a dynamic-width model


class TextRecognizer:
    """``recognizer(crops_bgr) -> ([(text, score), ...], timings)``, results in input order.

    Crops are sorted by width/height and cut into batches of ``batch_num``; for models with a dynamic
    width the batch is resized to the widest aspect ratio in it (at least the training width), so
    short words are not stretched and long lines are not squeezed.

    The reading steps come from ``reading`` (a :class:`~ppocr.infer.reading.ReadingPolicy`; default: the
    ``Reading`` section of the model's inference.yml, else the shipped policy). Every crop first gets
    ``crop_margin`` x its height of background on the left and on the right (a character that touches the edge
    of a tight crop is misread). The retries (``stretch_retry``, ``invert_retry``) read some crops again
    changed and keep the surer reading (:mod:`ppocr.infer.reading.retries`). With a character language model
    (``char_lm``) or a lexicon (``lexicon``), CTC readings are decoded beyond greedy
    (:class:`~ppocr.infer.reading.decode.BeyondGreedy`).
    """

    def __init__(self, contract: Dict[str, Any], backend, batch_num: int = 6, model_dir: str = "<config>",
                 reading: Optional[ReadingPolicy] = None):
        policy = reading or resolve_policy(None, contract.get("Reading"), f"{model_dir}/inference.yml")
        self.contract = contract
        self.policy = policy
        self.character = CharacterDict.from_contract(contract["Character"], model_dir)
        context = {"character": self.character}
        self.op_cfgs = copy.deepcopy(contract["PreProcess"])
        self.resize_index = next(i for i, e in enumerate(self.op_cfgs) if "RecResizeImg" in e)
        # The recognizer picks each batch's width itself, so a training-time max_width does not apply.
        self.resize_cfg = {k: v for k, v in (self.op_cfgs[self.resize_index]["RecResizeImg"] or {}).items()
                           if k != "max_width"}
        self.op_cfgs[self.resize_index] = {"RecResizeImg": self.resize_cfg}
        self.channels, self.height, self.width = self.resize_cfg.get("image_shape", [3, 32, 100])
        self.dynamic_width = contract["input_shape"][3] is None
        self.ops = create_operators(self.op_cfgs, "inference.yml PreProcess", context)
        self._ops_by_width = {self.width: self.ops}
        self.post_process = build_post_process(contract["PostProcess"], context=context)
        self.output_names = contract["outputs"]
        self.backend = backend
        self.batch_num = max(1, int(batch_num))
        self.lexicon = resolve_lexicon(policy.lexicon, model_dir)
        self.char_lm = resolve_char_lm(policy.char_lm, model_dir)
        self.decoder = BeyondGreedy(self.character, self.char_lm, self.lexicon, policy.lm_weight, policy.lm_bonus,
                                    policy.beam)
        for name, used in (("a lexicon", self.lexicon), ("a character language model", self.char_lm)):
            if used is not None and self.character.mode != "ctc":
                raise ConfigError(f"{name} decodes CTC readings; the model in {model_dir} decodes in "
                                  f"{self.character.mode!r} mode (turn it off with 'none')")

    def _ops_for_width(self, width: int) -> list:
        """The contract's ops with RecResizeImg set to ``width`` (same op class as in training), built once
        per width: batch widths repeat, since they are rounded to multiples of 4."""
        if width not in self._ops_by_width:
            cfg = copy.deepcopy(self.op_cfgs[self.resize_index])
            cfg["RecResizeImg"] = dict(self.resize_cfg, image_shape=[self.channels, self.height, width])
            ops = list(self.ops)
            ops[self.resize_index] = create_operators([cfg], "inference.yml PreProcess")[0]
            self._ops_by_width[width] = ops
        return self._ops_by_width[width]

    def batch_width(self, crops: Sequence[np.ndarray]) -> int:
        if not self.dynamic_width:
            return self.width
        return max([self.width] + [natural_width(c.shape[0], c.shape[1], self.height) for c in crops])

    def batches(self, crops: Sequence[np.ndarray]) -> List[np.ndarray]:
        """Crop indices in batches of at most ``batch_num``, by increasing aspect ratio. For dynamic-width models
        a batch also ends where the next crop would be more than ``MAX_BATCH_SPREAD`` times as wide as its first
        one: padding a crop far beyond its width costs time and misleads a model trained on batches of alike
        widths (the shipped one read 18 of 72 real crops alone, 15 in unrestricted batches of 6)."""
        order = np.argsort([c.shape[1] / max(c.shape[0], 1) for c in crops], kind="stable")
        width = [self.batch_width([c]) for c in crops]  # what each crop would get alone (all alike if fixed)
        batches: List[np.ndarray] = []
        start = 0
        for end in range(1, len(order) + 1):
            full = end - start == self.batch_num
            spread = end < len(order) and width[order[end]] > MAX_BATCH_SPREAD * width[order[start]]
            if end == len(order) or full or spread:
                batches.append(order[start:end])
                start = end
        return batches

    def __call__(self, crops: Sequence[np.ndarray]) -> Tuple[List[Tuple[str, float]], Dict[str, float]]:
        readings, timings = self.read(crops)
        return [(text, score) for text, score, _ in readings], timings

    def read(self, crops: Sequence[np.ndarray]) -> Tuple[List[Tuple[str, float, float]], Dict[str, float]]:
        """``([(text, score, confidence), ...], timings)``: ``score`` is the network's probability of the text
        returned, ``confidence`` that of its own greedy reading of the crop, which is what decides between two
        readings of one crop (retries, both ways round): a language model or a lexicon moves the text away from
        the network's favourite and so lowers its score, whichever way round the crop was."""
        t0 = time.perf_counter()
        if self.policy.crop_margin:
            crops = [side_margin(c, self.policy.crop_margin) for c in crops]
        margin_time = time.perf_counter() - t0
        results, timings = self._read(crops)
        timings["pre"] += margin_time
        if self.policy.stretch_retry != 1:
            stretch_retry(self._read, crops, results, timings, self.policy.stretch_retry)
        if self.policy.invert_retry:
            invert_retry(self._read, crops, results, timings)
        return results, timings

    def _read(self, crops: Sequence[np.ndarray]) -> Tuple[List[Tuple[str, float, float]], Dict[str, float]]:
        results: List[Optional[Tuple[str, float, float]]] = [None] * len(crops)
        timings = {"pre": 0.0, "infer": 0.0, "post": 0.0}
        for idx in self.batches(crops):
            t0 = time.perf_counter()
            ops = self._ops_for_width(self.batch_width([crops[i] for i in idx]))
            x = np.stack([transform({"image": crops[i], "img_path": "<crop>"}, ops)[0] for i in idx])
            t1 = time.perf_counter()
            outputs = dict(zip(self.output_names, self.backend.run(x)))
            t2 = time.perf_counter()
            greedy = self.post_process(outputs)
            readings = greedy
            if self.lexicon is not None or self.char_lm is not None:
                readings = [self.decoder(p, text, score) for p, (text, score) in zip(probs_from(outputs), greedy)]
            # A space before or after a line means nothing; a model may put one into a wide margin.
            for i, (text, score), (_, confidence) in zip(idx, readings, greedy):
                results[i] = (text.strip(" "), float(score), float(confidence))
            timings["pre"] += t1 - t0
            timings["infer"] += t2 - t1
            timings["post"] += time.perf_counter() - t2
        return results, timings


def recognize_images(recognizer: TextRecognizer, paths, output_dir: Optional[str] = None,
                     benchmark: bool = False) -> Dict[str, Tuple[str, float]]:
    """Recognize every image (each one a text crop): print ``path\ttext\tscore`` and a summary, write
    ``rec_results.txt`` into ``output_dir``. Unreadable files are reported and skipped. ``benchmark`` adds
    per-stage times and the throughput at batch 1 and at the recognizer's batch size."""
    import logging
    import os

    from ppocr.infer.images import read_crops

    logger = logging.getLogger("ppocr")
    failed: List[str] = []
    names, crops = read_crops(paths, failed, "recognize")
    results: Dict[str, Tuple[str, float]] = {}
    if crops:
        t0 = time.perf_counter()
        texts, timings = recognizer(crops)
        elapsed = time.perf_counter() - t0
        for path, (text, score) in zip(names, texts):
            results[path] = (text, score)
            print(f"{path}\t{text}\t{score:.4f}")
        logger.info(f"recognized {len(crops)} crops in {elapsed:.2f} s ({len(crops) / elapsed:.1f} crops/s, "
                    f"batch {recognizer.batch_num}); {len(failed)} failed")
        if benchmark:
            for stage, sec in timings.items():
                logger.info(f"benchmark {stage}: {1000 * sec / len(crops):.2f} ms/crop")
            log_batch_throughput(recognizer, crops[:64])
    if output_dir:
        os.makedirs(output_dir, exist_ok=True)
        with open(os.path.join(output_dir, "rec_results.txt"), "w", encoding="utf-8") as f:
            f.writelines(f"{p}\t{t}\t{s:.4f}\n" for p, (t, s) in results.items())
    return results


def log_batch_throughput(recognizer: TextRecognizer, crops: List[np.ndarray]) -> None:
    """Crops/s at batch 1 and at ``recognizer.batch_num``, each after a warm-up for its batch shape."""
    import logging

    for batch in sorted({1, recognizer.batch_num}):
        rec = copy.copy(recognizer)  # same backend and ops, other batch size
        rec.batch_num = batch
        rec(crops[:batch])
        t0 = time.perf_counter()
        rec(crops)
        logging.getLogger("ppocr").info(f"benchmark batch {batch}: {len(crops) / (time.perf_counter() - t0):.1f} "
                                        f"crops/s over {len(crops)} crops")
