"""A character n-gram language model of words, for decoding CTC readings with some knowledge of spelling.

A recognizer that sees one uncertain column cannot tell ``9712`` from ``97i2`` or ``Gifts`` from ``Gts``;
spelling can: digits follow digits, ``gts`` is no word. The model counts the character n-grams of the
words of a corpus (the label files the recognizer was trained on, or the user's own text) and estimates
``P(char | previous order-1 chars of the word)`` with interpolated Witten-Bell smoothing: each context's
estimate is mixed with the next shorter context's by how many different characters followed it, down to
a uniform distribution over the characters seen, so unseen n-grams are unlikely but never impossible.
Witten-Bell trusts a large corpus too far for reading, though: a context seen 50,000 times with 15 different
followers leaves an unseen follower about 1e-6, which overrules the network wherever the text is not like
the corpus (``CHF`` read as ``CHP``, ``10x`` as ``I0x``). So every probability is mixed with the uniform at
``UNIFORM_SHARE``, the share of characters the model expects to know nothing about (codes, names, other
languages): no character costs more than about ``log(UNIFORM_SHARE / 37)``.

A word is a run of letters and digits, in lower case (the case is for the recognizer to see); its start is
a context and its end a token of their own. Spaces and punctuation are not modelled: where they go
depends on the text (a hyphen ends a book line and joins a code), and a corpus of one kind of text would
teach the wrong habits for another.

Saved as gzipped JSON (``CHAR_LM_FILE`` beside an exported recognizer is used by default).
"""
from __future__ import annotations

import gzip
import json
import math
import os
from collections import defaultdict
from typing import Dict, Iterable, List, Optional, Union

from ppocr.errors import ConfigError
from ppocr.infer.reading.model_files import resolve_model_file

CHAR_LM_FILE = "char_lm.json.gz"
WORD_MARK = "\n"  # start-of-word context and end-of-word token: never part of a word
_FORMAT = "ppocr-char-ngram-v1"
# Chosen on generated crop sets with the shipped recognizer (0.01-0.1 read alike; 0 lost receipt codes).
UNIFORM_SHARE = 0.03


def in_word(char: str) -> bool:
    """Whether ``char`` belongs to a word (see the module doc)."""
    return char.isalnum()


def words_of(line: str) -> List[str]:
    """The words of a line, lower-cased."""
    return "".join(c if in_word(c) else " " for c in line.lower()).split()


class CharNGramLM:
    """``log_prob(context, char)``: natural log of P(char | the last ``order - 1`` characters of a word), and
    ``transition(text, char)``: what appending ``char`` to a reading ``text`` costs (see the module doc).

    ``counts[h][c]`` is how often ``c`` followed the context ``h`` (``len(h) < order``; ``""`` is the
    unigram context; contexts at the start of a word begin with ``WORD_MARK``; ``c`` is ``WORD_MARK`` at
    the end of a word).
    """

    def __init__(self, order: int, counts: Dict[str, Dict[str, int]], uniform_share: float = UNIFORM_SHARE):
        if order < 2:
            raise ValueError(f"order must be >= 2 (a character and its context), got {order}")
        if not 0.0 <= uniform_share < 1.0:
            raise ValueError(f"uniform_share must be in [0, 1), got {uniform_share}")
        self.uniform_share = float(uniform_share)
        self.order = int(order)
        self.counts = counts
        self._totals = {h: sum(followers.values()) for h, followers in counts.items()}
        vocabulary = set(counts.get("", {}))
        self._uniform = 1.0 / max(len(vocabulary), 1)
        self._cache: Dict[tuple, float] = {}

    @classmethod
    def fit(cls, lines: Iterable[str], order: int = 5, min_count: int = 1,
            uniform_share: float = UNIFORM_SHARE) -> "CharNGramLM":
        """Count the n-grams of the words of ``lines``. Contexts seen fewer than ``min_count`` times are
        dropped (their characters fall back to the shorter context): a smaller file."""
        counts: Dict[str, Dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for word in (w for line in lines for w in words_of(line)):
            text = WORD_MARK * (order - 1) + word + WORD_MARK
            for i in range(order - 1, len(text)):
                char = text[i]
                for n in range(order):  # context lengths 0 .. order-1
                    counts[text[i - n:i]][char] += 1
        if not counts:
            raise ValueError("no words to count: the lines hold no letters or digits")
        kept = {h: dict(f) for h, f in counts.items() if h == "" or sum(f.values()) >= min_count}
        return cls(order, kept, uniform_share)

    def merged(self, other: "CharNGramLM") -> "CharNGramLM":
        """A model of both corpora: the counts of ``other`` (of the same order) added to these."""
        if other.order != self.order:
            raise ValueError(f"cannot add the counts of an order-{other.order} model to an order-{self.order} one")
        counts = {h: dict(f) for h, f in self.counts.items()}
        for h, followers in other.counts.items():
            mine = counts.setdefault(h, {})
            for c, n in followers.items():
                mine[c] = mine.get(c, 0) + n
        return CharNGramLM(self.order, counts, self.uniform_share)

    def log_prob(self, context: str, char: str) -> float:
        """log P(``char`` | ``context``) for a lower-case ``char`` or ``WORD_MARK`` (the word ends);
        ``context`` may be longer than the model's (its end is used) and shorter (the start of a word: pad
        it with ``WORD_MARK``)."""
        history = context[len(context) - self.order + 1:]
        key = (history, char)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = math.log(self._prob(history, char))
        return cached

    def transition(self, text: str, char: str) -> float:
        """log P of ``char`` following the reading ``text`` (``WORD_MARK``: the reading ends there): a
        word character's probability given the word so far, the end of the word where a word is left, 0
        for a space or punctuation mark after one."""
        state = self.start
        for c in text:
            state = self.advance(state, c)
        return self.score(state, char)

    @property
    def start(self) -> str:
        """The state of a reading that does not end in a word (see :meth:`advance`)."""
        return WORD_MARK * (self.order - 1)

    def advance(self, state: str, char: str) -> str:
        """The state after ``char``: the last ``order - 1`` characters of the word being read (lower case,
        padded with ``WORD_MARK``), or :attr:`start` outside words. Readings are scored incrementally with
        it, as a beam search extends them."""
        return (state + char.lower())[1:] if in_word(char) else self.start

    def score(self, state: str, char: str) -> float:
        """:meth:`transition` from a state (see :meth:`advance`) instead of the whole reading."""
        if in_word(char):
            return self.log_prob(state, char.lower())
        return self.log_prob(state, WORD_MARK) if state[-1] != WORD_MARK else 0.0

    def word_log_prob(self, word: str) -> float:
        """log P of a whole word, its end included."""
        total, state = 0.0, self.start
        for c in word + WORD_MARK:
            total += self.score(state, c)
            state = self.advance(state, c)
        return total

    def _prob(self, history: str, char: str) -> float:
        # Witten-Bell, from the unigram up: p_h = (c(h, char) + types(h) * p_shorter) / (c(h) + types(h)).
        p = self._uniform
        for n in range(0, len(history) + 1):
            followers = self.counts.get(history[len(history) - n:])
            if not followers:
                break  # a longer context than an unseen one is unseen too
            types = len(followers)
            p = (followers.get(char, 0) + types * p) / (self._totals[history[len(history) - n:]] + types)
        return (1.0 - self.uniform_share) * p + self.uniform_share * self._uniform

    def save(self, path: str) -> None:
        """Write gzipped JSON atomically (a temporary file renamed over ``path``)."""
        tmp = f"{path}.tmp"
        with gzip.open(tmp, "wt", encoding="utf-8") as f:
            json.dump({"format": _FORMAT, "order": self.order, "counts": self.counts}, f,
                      ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: str) -> "CharNGramLM":
        if not os.path.isfile(path):
            raise FileNotFoundError(f"character language model not found: {path}")
        try:
            with gzip.open(path, "rt", encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError) as e:
            raise ConfigError(f"{path} is not a character language model (gzipped JSON): {e}") from e
        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            raise ConfigError(f"{path} is not a character language model: expected format {_FORMAT!r}")
        return cls(int(data["order"]), data["counts"])


def resolve_char_lm(spec: Union[str, CharNGramLM, None], model_dir: str) -> Optional[CharNGramLM]:
    """The language model a recognizer uses: ``"auto"`` the model folder's ``CHAR_LM_FILE`` if there is one,
    ``None``/``"none"``/``""`` none, a path that file, a :class:`CharNGramLM` itself."""
    return resolve_model_file(spec, model_dir, CHAR_LM_FILE, CharNGramLM, CharNGramLM.load)
