"""Retries: crops read again changed, the reading the network is surer of kept. A reading is
``(text, score, confidence)`` (see TextRecognizer.read); ``read`` reads a list of crops into such readings and
timings."""
from __future__ import annotations

from typing import Callable, Dict, List, Sequence, Tuple

import numpy as np

from ppocr.data.imaug.rec_img_aug import reverse_color, stretch_width
from ppocr.infer.reading.crops import light_on_dark

Reading = Tuple[str, float, float]
ReadCrops = Callable[[Sequence[np.ndarray]], Tuple[List[Reading], Dict[str, float]]]
# A reading with more characters than this per crop height (printed text has about 2) comes from condensed
# text: a CTC model emits at most one character per output column, and narrow glyphs get too few columns.
DENSE_CHARS_PER_HEIGHT = 2.8


def retry_surer(read: ReadCrops, crops: Sequence[np.ndarray], indices: List[int],
                alter: Callable[[np.ndarray], np.ndarray], results: List[Reading], timings: Dict[str, float]) -> None:
    """Read ``crops[indices]`` again changed by ``alter``; where the network is surer of that reading
    (its confidence), it replaces the one in ``results``. The time taken is added to ``timings``."""
    if not indices:
        return
    again, more = read([alter(crops[i]) for i in indices])
    for i, reading in zip(indices, again):
        if reading[2] > results[i][2]:
            results[i] = reading
    for stage in timings:
        timings[stage] += more[stage]


def dense(crops: Sequence[np.ndarray], results: Sequence[Reading]) -> List[int]:
    """The crops read as more than DENSE_CHARS_PER_HEIGHT characters per crop height."""
    return [i for i, (text, _, _) in enumerate(results)
            if len(text) * crops[i].shape[0] > DENSE_CHARS_PER_HEIGHT * max(crops[i].shape[1], 1)]


def stretch_retry(read: ReadCrops, crops: Sequence[np.ndarray], results: List[Reading], timings: Dict[str, float],
                  factor: float) -> None:
    """Dense readings (condensed fonts, squeezed words): read again ``factor`` times wider."""
    retry_surer(read, crops, dense(crops, results), lambda c: stretch_width(c, factor), results, timings)


def invert_retry(read: ReadCrops, crops: Sequence[np.ndarray], results: List[Reading],
                 timings: Dict[str, float]) -> None:
    """Crops that look like light text on a dark background: read again with inverted colours (the network
    reads dark-on-light text better, as most printed text is)."""
    light = [i for i, c in enumerate(crops) if light_on_dark(c)]
    retry_surer(read, crops, light, reverse_color, results, timings)
