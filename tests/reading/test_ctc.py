"""CTC alignment and beam search (ppocr/infer/reading/ctc.py) against brute force over every path."""
import itertools

import numpy as np
import pytest

from ppocr.infer.reading.char_lm import CharNGramLM
from ppocr.infer.reading.ctc import ctc_alignment, ctc_beam_search, ctc_log_likelihood
from ppocr.utils.character import CharacterDict

CHARS = CharacterDict.from_list("ab", use_space_char=False)  # blank 0, a 1, b 2


def collapse(path, blank=0):
    out, prev = [], None
    for c in path:
        if c != prev and c != blank:
            out.append(c)
        prev = c
    return tuple(out)


def all_paths(n_frames, n_classes=3):
    return itertools.product(range(n_classes), repeat=n_frames)


@pytest.mark.parametrize("labels", [[1], [1, 2], [1, 1], [2, 1, 2], []])
def test_alignment_is_the_most_likely_path_of_the_labels(labels):
    probs = np.random.default_rng(1).dirichlet(np.ones(3), size=5)
    path = ctc_alignment(np.log(probs), labels, 0)
    assert collapse(path) == tuple(labels)
    best = max((p for p in all_paths(5) if collapse(p) == tuple(labels)),
               key=lambda p: np.prod(probs[np.arange(5), p]))
    assert np.prod(probs[np.arange(5), path]) == pytest.approx(np.prod(probs[np.arange(5), best]))


def test_alignment_needs_room():
    with pytest.raises(ValueError, match="do not fit"):
        ctc_alignment(np.log(np.full((2, 3), 1 / 3)), [1, 1], 0)


def test_beam_search_without_a_language_model_finds_the_most_likely_reading():
    lm = CharNGramLM.fit(["ab ba"], order=2)
    for seed in range(5):
        probs = np.random.default_rng(seed).dirichlet(np.ones(3), size=4)
        totals = {}
        for p in all_paths(4):
            totals[collapse(p)] = totals.get(collapse(p), 0.0) + np.prod(probs[np.arange(4), p])
        best = max(totals, key=totals.get)
        text = ctc_beam_search(probs, CHARS, lm, lm_weight=0.0, char_bonus=0.0, beam=100, min_prob=0.0)
        assert text == CHARS.decode(best)
        assert np.log(totals[best]) == pytest.approx(ctc_log_likelihood(np.log(probs), best, 0))


def test_language_model_settles_an_unsure_column():
    chars = CharacterDict.from_list("0123456789il", use_space_char=True)
    lm = CharNGramLM.fit(["9712 4410 7311 1971 17 91 il ill"] * 20, order=3)
    reading = ["9", "7", "?", "2"]  # the third character: "i" 0.55, "1" 0.45
    probs = np.full((2 * len(reading), len(chars) + 1), 1e-4)
    for k, ch in enumerate(reading):
        probs[2 * k + 1, 0] = 1.0  # a blank after each character
        if ch == "?":
            probs[2 * k, chars.encode("i")[0]], probs[2 * k, chars.encode("1")[0]] = 0.55, 0.45
        else:
            probs[2 * k, chars.encode(ch)[0]] = 1.0
    probs /= probs.sum(axis=1, keepdims=True)
    assert ctc_beam_search(probs, chars, lm, lm_weight=0.0, char_bonus=0.0) == "97i2"
    assert ctc_beam_search(probs, chars, lm, lm_weight=0.5, char_bonus=0.5) == "9712"
