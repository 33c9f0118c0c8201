"""Lexicon correction of CTC readings: a misread word becomes the dictionary word the network also saw.

Greedy CTC decoding takes the most likely class per output column, so one uncertain column turns
"dumplings" into "dumvlings". For each word of the greedy reading that is not in the lexicon, the
dictionary words one edit away (a letter replaced, added or dropped) and its splits into two dictionary
words (a missed space) are scored by the CTC probability of spelling them over the word's own columns;
the best one replaces the reading when its probability is at most ``max_loss`` nats below the reading's:
the network must have seen it too. Confident readings of names and codes are kept, since every spelling
other than the read one is far less likely. Never touched: tokens with digits, words already in the
lexicon, words shorter than ``min_length`` letters, and capitals shorter than ``min_length + 1``
(abbreviations and currency codes such as SDN or CHF, more often than misread words).
"""
from __future__ import annotations

import os
import string
from typing import Iterable, List, Optional, Tuple, Union

import numpy as np

from ppocr.infer.reading.ctc import ctc_log_likelihood
from ppocr.infer.reading.model_files import resolve_model_file
from ppocr.postprocess.rec_postprocess import ctc_emission_columns
from ppocr.utils.character import CharacterDict

LEXICON_FILE = "lexicon.txt"  # beside an exported recognizer: used by default for that model
# Chosen on generated crops (lines, sign words, till-receipt lines): 2 corrects too little, 8 replaces
# correct readings of names and abbreviations.
DEFAULT_MAX_LOSS = 4.0
_LETTERS = string.ascii_lowercase
_EDGE_PUNCTUATION = string.punctuation


def one_edit_away(word: str) -> Iterable[str]:
    """Every lowercase string one letter substitution, insertion or deletion from ``word``."""
    for i in range(len(word) + 1):
        head, tail = word[:i], word[i:]
        if tail:
            yield head + tail[1:]
            for c in _LETTERS:
                if c != tail[0]:
                    yield head + c + tail[1:]
        for c in _LETTERS:
            yield head + c + tail


def match_case(word: str, model: str) -> str:
    """``word`` written in the case pattern of ``model``: ALL CAPS, Capitalised or lower case."""
    if model.isupper():
        return word.upper()
    if model[:1].isupper():
        return word.capitalize()
    return word


class Lexicon:
    """A set of lowercase words and the correction of CTC readings against it (see the module doc)."""

    def __init__(self, words: Iterable[str], max_loss: float = DEFAULT_MAX_LOSS, min_length: int = 3):
        self.words = frozenset(w.strip().lower() for w in words if w.strip())
        self.max_loss = float(max_loss)
        self.min_length = int(min_length)

    @classmethod
    def from_file(cls, path: str, **kwargs) -> "Lexicon":
        if not os.path.isfile(path):
            raise FileNotFoundError(f"lexicon file not found: {path} (one word per line)")
        with open(path, encoding="utf-8") as f:
            return cls(f, **kwargs)

    def __len__(self) -> int:
        return len(self.words)

    def correct(self, probs: np.ndarray, character: CharacterDict, path: Optional[np.ndarray] = None) -> str:
        """The reading of one crop's ``[T, C]`` CTC probabilities along ``path`` (one class per column; by
        default the greedy one), its misread words corrected."""
        runs = _path_runs(probs.argmax(axis=-1) if path is None else path, character.blank)
        chars = [character.decode([cls]) for cls, _, _ in runs]
        log_probs = None  # computed for the first word that needs it: most readings have none
        out = list(chars)
        for first, last in _word_spans(chars):
            word = "".join(chars[first:last])
            if len(word) < self.min_length + word.isupper() or word.lower() in self.words \
                    or not word.isascii() or not word.isalpha():
                continue
            # The word's columns: from after the character before it to before the character after it.
            start = runs[first - 1][2] + 1 if first > 0 else 0
            end = runs[last][1] if last < len(runs) else len(probs)
            if log_probs is None:
                log_probs = np.log(np.maximum(probs, 1e-12))
            better = self._best_candidate(log_probs[start:end], word, character)
            if better is not None:
                out[first:last] = [better] + [""] * (last - first - 1)
        return "".join(out)

    def _best_candidate(self, log_probs: np.ndarray, word: str, character: CharacterDict) -> Optional[str]:
        candidates = {match_case(c, word) for c in one_edit_away(word.lower()) if c in self.words}
        candidates.update(self._splits(word))
        scored = []
        for cand in candidates:
            labels = character.encode(cand)
            if labels is not None:  # None: a character the model cannot output (a space in a spaceless one)
                scored.append((ctc_log_likelihood(log_probs, labels, character.blank), cand))
        if not scored:
            return None
        best_score, best = max(scored)
        read = ctc_log_likelihood(log_probs, character.encode(word), character.blank)
        return best if best_score >= read - self.max_loss else None

    def _splits(self, word: str) -> List[str]:
        """``word`` cut in two dictionary words by a space the reading missed ("Icould" -> "I could")."""
        def known(part: str) -> bool:
            return part.lower() in self.words or part.lower() in ("a", "i")

        return [f"{word[:i]} {word[i:]}" for i in range(1, len(word)) if known(word[:i]) and known(word[i:])]


def resolve_lexicon(spec: Union[str, Lexicon, None], model_dir: str) -> Optional[Lexicon]:
    """The lexicon a recognizer uses: ``"auto"`` the model folder's ``lexicon.txt`` if there is one,
    ``None``/``"none"``/``""`` none, a path that file, a :class:`Lexicon` itself."""
    return resolve_model_file(spec, model_dir, LEXICON_FILE, Lexicon, Lexicon.from_file)


def _path_runs(idx: np.ndarray, blank: int) -> List[Tuple[int, int, int]]:
    """A CTC path's emitted characters as ``(class, first column, last column)``: each emission column
    and the end of the run of that class that it starts."""
    firsts = ctc_emission_columns(idx, blank)
    run_ends = np.append(np.flatnonzero(idx[1:] != idx[:-1]), len(idx) - 1)  # last column of every run
    lasts = run_ends[np.searchsorted(run_ends, firsts)]
    return [(int(idx[f]), int(f), int(last)) for f, last in zip(firsts, lasts)]


def _word_spans(chars: List[str]) -> List[Tuple[int, int]]:
    """``(first, last)`` character index ranges of the words: space-separated tokens without the
    punctuation at their ends."""
    spans = []
    i = 0
    while i < len(chars):
        if chars[i] == " ":
            i += 1
            continue
        j = i
        while j < len(chars) and chars[j] != " ":
            j += 1
        first, last = i, j
        while first < last and chars[first] in _EDGE_PUNCTUATION:
            first += 1
        while last > first and chars[last - 1] in _EDGE_PUNCTUATION:
            last -= 1
        if last > first:
            spans.append((first, last))
        i = j
    return spans
