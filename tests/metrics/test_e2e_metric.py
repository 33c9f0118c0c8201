"""End-to-end word F1 and CER on hand-made pages."""
import pytest

from ppocr.metrics.e2e_metric import E2EMetric


def test_word_f1_ignores_line_splits_and_order_and_counts_repeats():
    m = E2EMetric()
    # Same words, other line breaks and order: perfect F1; the CER sees the other order.
    m.update(["world 42", "Hello"], ["Hello world", "42"])
    r = m.get_metric()
    assert r["word_f1"] == 1.0 and r["words"] == 3 and r["cer"] > 0


def test_hand_computed_precision_recall_and_cer():
    m = E2EMetric()
    # gt words: the, the, cat, ### ignored -> 3; predicted: the, cat, sat, on -> 4; matched: the, cat -> 2.
    m.update(["the cat sat on"], ["the the cat", "###"])
    r = m.get_metric()
    assert r["word_precision"] == pytest.approx(2 / 4) and r["word_recall"] == pytest.approx(2 / 3)
    assert r["word_f1"] == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    m2 = E2EMetric()
    m2.update(["the cat", "sat"], ["the bat sat"])  # pages read "the cat sat": one substitution in 11 chars
    assert m2.get_metric()["cer"] == pytest.approx(1 / 11)


def test_case_option_and_empty_pages():
    m = E2EMetric(ignore_case=True)
    m.update(["HELLO"], ["hello"])
    assert m.get_metric()["word_f1"] == 1.0
    empty = E2EMetric()
    empty.update([], [])
    assert empty.get_metric() == {"word_precision": 0.0, "word_recall": 0.0, "word_f1": 0.0, "cer": 0.0,
                                  "pages": 1, "words": 0}


def test_punctuation_option_matches_words_not_their_punctuation():
    strict, loose = E2EMetric(), E2EMetric(ignore_case=True, strip_punct=True)
    for m in (strict, loose):
        m.update(["total: $5", "(Thanks)"], ["Total $5.", "thanks"])
    assert strict.get_metric()["word_f1"] == 0.0
    assert loose.get_metric()["word_f1"] == 1.0  # "$5." and "$5" both strip to "5"; cases folded
