"""CTC arithmetic over one crop's ``[T, C]`` output columns: likelihood of a spelling, its best alignment,
and prefix beam search with a character language model.

Greedy decoding (the argmax of every column, see ``CTCLabelDecode``) is right when the network is sure.
Where it is not, the spelling the network finds nearly as likely may be the one that reads as text:
:func:`ctc_beam_search` keeps the ``beam`` best prefixes column by column, each scored by its CTC
probability times ``P_lm(prefix) ** lm_weight`` times ``exp(char_bonus)`` per word character (the bonus keeps
the language model from preferring short readings).
"""
from __future__ import annotations

import math
from typing import Callable, Dict, List, Sequence, Tuple

import numpy as np

from ppocr.infer.reading.char_lm import WORD_MARK, CharNGramLM, in_word
from ppocr.postprocess.rec_postprocess import ctc_emission_columns
from ppocr.utils.character import CharacterDict


def ctc_log_likelihood(log_probs: np.ndarray, labels: Sequence[int], blank: int) -> float:
    """log P(labels | frames) under CTC: the sum over every alignment (forward algorithm).

    ``log_probs`` is ``[T, C]`` log-probabilities; -inf when the labels need more frames than there are.
    """
    if len(labels) == 0:
        return float(log_probs[:, blank].sum())
    alpha, _, _ = _forward(log_probs, labels, blank, np.logaddexp)
    return float(np.logaddexp(alpha[-1], alpha[-2]))


def ctc_alignment(log_probs: np.ndarray, labels: Sequence[int], blank: int) -> np.ndarray:
    """The most likely CTC path spelling ``labels``: one class per frame (Viterbi). ``labels`` must fit
    in the frames (see :func:`ctc_log_likelihood`)."""
    if len(labels) == 0:
        return np.full(log_probs.shape[0], blank, dtype=np.int64)
    alpha, back, ext = _forward(log_probs, labels, blank, np.maximum, keep_back=True)
    if not np.isfinite(max(alpha[-1], alpha[-2])):
        raise ValueError(f"{len(labels)} labels do not fit in {log_probs.shape[0]} frames")
    n_frames = log_probs.shape[0]
    state = len(ext) - 1 if alpha[-1] >= alpha[-2] else len(ext) - 2  # a path ends in the last label or blank
    path = np.empty(n_frames, dtype=np.int64)
    for t in range(n_frames - 1, -1, -1):
        path[t] = ext[state]
        if t:
            state -= int(back[t][state])
    return path


def reading_score(probs: np.ndarray, labels: Sequence[int], blank: int) -> float:
    """The score of reading ``labels`` from CTC ``probs`` [T, C], as greedy decoding scores its own reading:
    the mean probability of the characters at the columns where the most likely path spelling them emits
    them. A reading changed by a language model or a lexicon is so scored by what the network saw."""
    if len(labels) == 0:
        return 0.0
    path = ctc_alignment(np.log(np.maximum(probs, 1e-12)), labels, blank)
    columns = ctc_emission_columns(path, blank)
    return float(probs[columns, path[columns]].mean())


def _forward(log_probs: np.ndarray, labels: Sequence[int], blank: int, combine, keep_back: bool = False):
    """The CTC forward recursion over non-empty ``labels`` with ``combine`` = logaddexp (likelihood) or
    maximum (Viterbi): ``(alpha, back, ext)``, the last frame's score of every state of ``ext`` (the labels
    with blanks around them). With ``keep_back``, ``back[t]`` holds how many states back each state's best
    predecessor at frame ``t`` was (0, 1 or 2)."""
    ext = np.full(2 * len(labels) + 1, blank, dtype=np.int64)  # blank, l1, blank, l2, ..., blank
    ext[1::2] = labels
    n_frames = log_probs.shape[0]
    alpha = np.full(len(ext), -np.inf)
    if n_frames == 0:
        return alpha, [], ext
    # A state may skip the blank before it unless it repeats the label two states back.
    skip = np.zeros(len(ext), bool)
    skip[2:] = (ext[2:] != blank) & (ext[2:] != ext[:-2])
    alpha[:2] = log_probs[0, ext[:2]]
    back: List[np.ndarray] = [np.zeros(len(ext), np.int64)]
    for t in range(1, n_frames):
        step = np.concatenate(([-np.inf], alpha[:-1]))
        jump = np.where(skip, np.concatenate(([-np.inf, -np.inf], alpha[:-2])), -np.inf)
        if keep_back:
            back.append(np.argmax(np.stack([alpha, step, jump]), axis=0))
        alpha = combine(combine(alpha, step), jump) + log_probs[t, ext]
    return alpha, back, ext


def ctc_beam_search(probs: np.ndarray, character: CharacterDict, lm: CharNGramLM, lm_weight: float,
                    char_bonus: float, beam: int = 8, min_prob: float = 1e-3) -> str:
    """The best reading of ``probs`` (``[T, C]``, softmax outputs) under CTC and the language model (see
    the module doc). Classes below ``min_prob`` in a column are not tried there (the column's most likely
    class always is)."""
    blank = character.blank
    # prefix -> [P(prefix, ending in blank), P(prefix, ending in its last char)], language model included.
    beams: Dict[str, List[float]] = {"": [1.0, 0.0]}
    states = {"": lm.start}  # prefix -> the language model's state after it
    factors: Dict[Tuple[str, str], float] = {}

    def extend(prefix: str, char: str) -> float:
        """The language model's factor for ``prefix + char``, whose state it records."""
        state = states[prefix]
        longer = prefix + char
        if longer not in states:
            states[longer] = lm.advance(state, char)
        key = (state, char)
        if key not in factors:
            bonus = char_bonus if in_word(char) else 0.0  # the model scores word characters only
            factors[key] = math.exp(lm_weight * lm.score(state, char) + bonus)
        return factors[key]

    tried = probs >= min_prob
    # Columns where only the blank is tried just scale every prefix alike: a run of them is one step.
    blank_only = (tried.sum(axis=1) == 1) & tried[:, blank]
    t = 0
    while t < len(probs):
        if blank_only[t]:
            end = t + 1
            while end < len(probs) and blank_only[end]:
                end += 1
            # Each prefix now ends in a blank; the blanks' probability is common to all, renormalised away.
            totals = {prefix: pb + pnb for prefix, (pb, pnb) in beams.items()}
            scale = max(totals.values()) or 1.0
            beams = {prefix: [total / scale, 0.0] for prefix, total in totals.items()}
            t = end
            continue
        beams = _beam_step(probs[t], tried[t], beams, character, extend, beam)
        t += 1
    return max(beams, key=lambda prefix: (beams[prefix][0] + beams[prefix][1])
               * math.exp(lm_weight * lm.score(states[prefix], WORD_MARK)))


def _beam_step(column: np.ndarray, tried: np.ndarray, beams: Dict[str, List[float]], character: CharacterDict,
               extend: Callable[[str, str], float], beam: int) -> Dict[str, List[float]]:
    """One column of the prefix beam search: every prefix extended by every tried class (``extend`` gives the
    language model's factor), the ``beam`` best kept and renormalised (long lines would underflow)."""
    blank = character.blank
    classes = np.flatnonzero(tried)
    if classes.size == 0:
        classes = np.array([int(column.argmax())])
    chars = [(float(column[k]), character.decode([int(k)])) for k in classes if int(k) != blank]
    p_blank = float(column[blank])
    nxt: Dict[str, List[float]] = {}
    for prefix, (pb, pnb) in beams.items():
        entry = nxt.setdefault(prefix, [0.0, 0.0])
        entry[0] += (pb + pnb) * p_blank
        last = prefix[-1:]
        for p, char in chars:
            if char == last:
                entry[1] += pnb * p  # the same emission, one column longer
                grow = pb * p  # a repeat needs a blank between
            else:
                grow = (pb + pnb) * p
            if grow:
                longer = nxt.setdefault(prefix + char, [0.0, 0.0])
                longer[1] += grow * extend(prefix, char)
    best = sorted(nxt.items(), key=lambda item: item[1][0] + item[1][1], reverse=True)[:beam]
    scale = best[0][1][0] + best[0][1][1] or 1.0
    return {prefix: [pb / scale, pnb / scale] for prefix, (pb, pnb) in best}
