"""End-to-end OCR scores for a page: word F1 (bag of whitespace-separated words, so reading order and line
splits do not matter) and character error rate over the page's text in reading order."""
from __future__ import annotations

import string
from collections import Counter
from typing import Dict, List, Sequence

from ppocr.metrics.rec_metric import levenshtein

IGNORE_TEXTS = ("###", "*")


class E2EMetric:
    """Accumulate pages with :meth:`update`, then :meth:`get_metric` gives word precision / recall / F1
    (micro-averaged over all words) and CER (total edit distance / total ground-truth characters).

    ``ignore_case`` compares lower-cased text; ``strip_punct`` strips ASCII punctuation from both ends of
    each word before matching words (not for the CER), so that "Total:" matches "Total"."""

    def __init__(self, ignore_case: bool = False, strip_punct: bool = False):
        self.ignore_case = ignore_case
        self.strip_punct = strip_punct
        self.reset()

    def reset(self) -> None:
        self.matched = self.predicted = self.expected = self.edits = self.chars = self.pages = 0

    def _text(self, lines: Sequence[str]) -> str:
        text = " ".join(t for t in lines if t and t not in IGNORE_TEXTS)
        return text.lower() if self.ignore_case else text

    def _words(self, text: str) -> List[str]:
        words = text.split()
        if self.strip_punct:
            words = [w for w in (w.strip(string.punctuation) for w in words) if w]
        return words

    def update(self, predicted_lines: Sequence[str], expected_lines: Sequence[str]) -> Dict[str, float]:
        """Lines of one page (predictions in reading order; ground truth ``###`` lines are left out)."""
        pred, gt = self._text(predicted_lines), self._text(expected_lines)
        pred_words, gt_words = Counter(self._words(pred)), Counter(self._words(gt))
        matched = sum((pred_words & gt_words).values())
        self.matched += matched
        self.predicted += sum(pred_words.values())
        self.expected += sum(gt_words.values())
        edits = levenshtein(pred, gt)
        self.edits += edits
        self.chars += len(gt)
        self.pages += 1
        return {"matched": matched, "edits": edits}

    def get_metric(self) -> Dict[str, float]:
        precision = self.matched / self.predicted if self.predicted else 0.0
        recall = self.matched / self.expected if self.expected else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"word_precision": precision, "word_recall": recall, "word_f1": f1,
                "cer": self.edits / self.chars if self.chars else 0.0, "pages": self.pages,
                "words": self.expected}
