"""Lexicon correction of CTC readings (ppocr/infer/reading/lexicon.py) on hand-made probability tables."""
import itertools

import numpy as np
import pytest

from ppocr.infer.models import DEFAULT_REC_MODEL_DIR
from ppocr.infer.reading.ctc import ctc_log_likelihood
from ppocr.infer.reading.lexicon import LEXICON_FILE, Lexicon, match_case, one_edit_away, resolve_lexicon
from ppocr.utils.character import CharacterDict

CHARS = CharacterDict.from_list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,", use_space_char=True)


def collapse(path, blank):
    out = [c for i, c in enumerate(path) if c != blank and (i == 0 or c != path[i - 1])]
    return tuple(out)


def test_ctc_log_likelihood_sums_every_alignment():
    rng = np.random.default_rng(0)
    probs = rng.dirichlet(np.ones(3), size=5)  # 5 frames, blank=0 and two letters
    for labels in ([1], [1, 2], [1, 1], [2, 1, 2], []):
        brute = sum(np.prod([probs[t, c] for t, c in enumerate(path)])
                    for path in itertools.product(range(3), repeat=5) if collapse(path, 0) == tuple(labels))
        assert ctc_log_likelihood(np.log(probs), labels, 0) == pytest.approx(np.log(brute), rel=1e-9)
    # "aa" needs a blank between the letters: three frames at least.
    assert ctc_log_likelihood(np.log(probs[:2]), [1, 1], 0) == -np.inf


def test_one_edit_away_and_case():
    edits = set(one_edit_away("cat"))
    assert {"at", "ca", "cut", "cart", "cats", "scat"} <= edits and "cat" not in edits and "act" not in edits
    # 3 deletions, 3 x 25 substitutions, 4 x 26 insertions; doubling a letter before or after it is one string.
    assert len(edits) == 3 + 3 * 25 + 4 * 26 - 3
    assert match_case("dumplings", "DUMVLINGS") == "DUMPLINGS"
    assert match_case("dumplings", "Dumvlings") == "Dumplings"
    assert match_case("dumplings", "dumvlings") == "dumplings"


def reading(text, doubt=None, peak=0.9):
    """[T, C] probabilities reading ``text`` greedily, one column per character with a blank column after
    each; ``doubt = (position, other_char, p)`` gives that column's second choice probability p."""
    probs = np.full((2 * len(text), CHARS.num_classes), 1e-4)
    for i, ch in enumerate(text):
        probs[2 * i, CHARS.encode(ch)[0]] = peak
        probs[2 * i + 1, CHARS.blank] = 0.95
    if doubt:
        pos, other, p = doubt
        probs[2 * pos, CHARS.encode(other)[0]] = p
    return probs / probs.sum(axis=1, keepdims=True)


LEXICON = Lexicon(["dumplings", "steamed", "pork", "market", "set", "sat", "chi", "son", "if", "could", "cou"])


def test_a_doubtful_column_is_corrected_to_the_dictionary_word():
    probs = reading("Steamed Dumvlings", doubt=(11, "p", 0.3))  # "v" read over a 0.3 "p"
    assert LEXICON.correct(probs, CHARS) == "Steamed Dumplings"
    caps = reading("FRESH HARKET,", doubt=(6, "M", 0.2))
    assert LEXICON.correct(caps, CHARS) == "FRESH MARKET,"  # the comma stays


def test_a_missed_space_splits_a_word_in_two():
    probs = reading("if Icould")
    probs[2 * 3 + 1, CHARS.encode(" ")[0]] = 0.3  # the column after "I" also saw a space
    assert LEXICON.correct(probs / probs.sum(axis=1, keepdims=True), CHARS) == "if I could"
    assert LEXICON.correct(reading("if Icould"), CHARS) == "if Icould"  # no space seen: no split


def test_confident_readings_names_and_codes_stay():
    # Nothing else was seen in the column: the dictionary spelling is far less likely than the reading.
    assert LEXICON.correct(reading("Dumvlings", doubt=(3, "p", 0.0001)), CHARS) == "Dumvlings"
    assert LEXICON.correct(reading("pork 7920F714"), CHARS) == "pork 7920F714"  # digits: a code
    # Three capitals are an abbreviation or a currency code more often than a misread word.
    assert LEXICON.correct(reading("4.50 CHF", doubt=(7, "I", 0.4)), CHARS) == "4.50 CHF"
    assert LEXICON.correct(reading("SDN BHD", doubt=(1, "O", 0.4)), CHARS) == "SDN BHD"
    assert LEXICON.correct(reading("sct", doubt=(1, "a", 0.3)), CHARS) == "sat"  # lower case: a word


def test_shipped_recognizer_has_its_lexicon(tmp_path):
    lexicon = resolve_lexicon("auto", DEFAULT_REC_MODEL_DIR)
    assert lexicon is not None and len(lexicon) > 50000 and "dumplings" in lexicon.words
    assert resolve_lexicon("none", DEFAULT_REC_MODEL_DIR) is None
    assert resolve_lexicon("auto", str(tmp_path)) is None  # a model folder without lexicon.txt
    (tmp_path / LEXICON_FILE).write_text("Alpha\nbeta\n")
    assert resolve_lexicon("auto", str(tmp_path)).words == {"alpha", "beta"}
    with pytest.raises(FileNotFoundError, match="lexicon file not found"):
        resolve_lexicon(str(tmp_path / "missing.txt"), DEFAULT_REC_MODEL_DIR)
