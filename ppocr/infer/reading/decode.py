"""CTC readings decoded beyond greedy: with a character language model where the network is unsure, then
with a lexicon; a changed reading is scored by the network's probabilities of its own characters."""
from __future__ import annotations

from typing import Optional, Tuple

import numpy as np

from ppocr.infer.reading.char_lm import CharNGramLM
from ppocr.infer.reading.ctc import ctc_alignment, ctc_beam_search, reading_score
from ppocr.infer.reading.lexicon import Lexicon
from ppocr.utils.character import CharacterDict

# A reading whose every output column is at least this sure of its class is not searched further with the
# language model: no other spelling comes close (and the search costs time).
SURE_COLUMN = 0.99


class BeyondGreedy:
    """``decoder(probs, greedy, greedy_score) -> (text, score)`` for one crop's CTC ``probs`` [T, C].

    With a language model, a reading with an output column less sure than ``SURE_COLUMN`` is decoded again by
    a beam search (``beam`` readings) that weighs the network's probabilities against the model's spelling of
    words (``lm_weight``, ``lm_bonus``; see :mod:`ppocr.infer.reading.ctc`). With a lexicon, words of the
    reading that are not in it are corrected to a dictionary word one edit away when the network found that
    spelling nearly as likely (see :mod:`ppocr.infer.reading.lexicon`). A changed reading is scored like a
    greedy one (:func:`~ppocr.infer.reading.ctc.reading_score`), so --drop_score filters it alike."""

    def __init__(self, character: CharacterDict, char_lm: Optional[CharNGramLM], lexicon: Optional[Lexicon],
                 lm_weight: float = 0.4, lm_bonus: float = 1.5, beam: int = 8):
        self.character, self.char_lm, self.lexicon = character, char_lm, lexicon
        self.lm_weight, self.lm_bonus, self.beam = float(lm_weight), float(lm_bonus), int(beam)

    def __call__(self, probs: np.ndarray, greedy: str, greedy_score: float) -> Tuple[str, float]:
        text, path = greedy, None
        if self.char_lm is not None and probs.max(axis=1).min() < SURE_COLUMN:
            text = ctc_beam_search(probs, self.character, self.char_lm, self.lm_weight, self.lm_bonus, self.beam)
            if text != greedy and self.lexicon is not None:
                path = ctc_alignment(np.log(np.maximum(probs, 1e-12)), self.character.encode(text),
                                     self.character.blank)
        if self.lexicon is not None:
            text = self.lexicon.correct(probs, self.character, path)
        if text == greedy:
            return text, greedy_score
        try:
            return text, reading_score(probs, self.character.encode(text), self.character.blank)
        except ValueError:  # more characters than columns: cannot be the network's reading
            return greedy, greedy_score
