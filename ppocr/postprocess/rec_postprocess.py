"""Recognition decoding: per-step class probabilities -> ``(text, score)`` per image.

Both decoders take the shared :class:`~ppocr.utils.character.CharacterDict` (``character``), so
index meanings always match the label encoders and the head size.
"""
from __future__ import annotations

import abc
from typing import Any, Dict, List, Optional, Tuple, Union

import numpy as np

from ppocr.utils.arrays import to_numpy
from ppocr.utils.character import CharacterDict, check_op_dictionary
from ppocr.utils.registry import POSTPROCESS

TextScore = Tuple[str, float]


def _softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=-1, keepdims=True)  # shift for numerical stability
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def probs_from(preds: Union[Dict[str, Any], Any], ndim: int = 3) -> np.ndarray:
    """Float probabilities (``[N, T, C]``, or ``[N, C]`` with ``ndim=2`` for a classifier) from
    ``{"probs": ...}``, ``{"logits": ...}`` or a bare array (taken as probabilities, which is what the heads
    return in eval mode)."""
    if isinstance(preds, dict):
        if "probs" in preds:
            probs = to_numpy(preds["probs"])
        elif "logits" in preds:
            probs = _softmax(to_numpy(preds["logits"]).astype(np.float32))
        else:
            raise KeyError(f"predictions need a 'probs' or 'logits' entry, got keys {sorted(preds)}")
    else:
        probs = to_numpy(preds)
    if probs.ndim != ndim:
        dims = "[batch, steps, classes]" if ndim == 3 else "[batch, classes]"
        raise ValueError(f"predictions must be {dims}, got shape {probs.shape}")
    return probs


class _RecDecode(abc.ABC):
    mode = "ctc"

    def __init__(self, character: CharacterDict, character_dict_path: Optional[str] = None,
                 character_type: Optional[str] = None, use_space_char: Optional[bool] = None):
        name = type(self).__name__
        check_op_dictionary(name, character, self.mode, character_dict_path, use_space_char)
        self.character = character

    def __call__(self, preds: Any, label: Any = None
                 ) -> Union[List[TextScore], Tuple[List[TextScore], List[TextScore]]]:
        """Decode a batch; with ``label`` (the encoded label batch) also return the decoded ground truth,
        as ``(predictions, labels)`` with every label scored 1.0 - the pair the metric consumes."""
        probs = probs_from(preds)
        if probs.shape[-1] != self.character.num_classes:
            raise ValueError(f"{type(self).__name__}: the model outputs {probs.shape[-1]} classes but the "
                             f"dictionary has {self.character.describe()}")
        idx = probs.argmax(axis=-1)
        best = np.take_along_axis(probs, idx[..., None], axis=-1)[..., 0]
        texts = [self._decode_one(i, p) for i, p in zip(idx, best)]
        if label is None:
            return texts
        return texts, self.decode_labels(label)

    def decode_labels(self, label: Any) -> List[TextScore]:
        """Ground-truth texts of an encoded label batch (padding and special tokens dropped)."""
        return [(self._label_text(row), 1.0) for row in to_numpy(label).astype(np.int64)]

    @abc.abstractmethod
    def _decode_one(self, idx: np.ndarray, prob: np.ndarray) -> TextScore:
        """Text and score of one sample's per-step argmax classes and their probabilities."""

    @abc.abstractmethod
    def _label_text(self, row: np.ndarray) -> str:
        """Text of one encoded ground-truth label."""


def _text_score(character: CharacterDict, idx: np.ndarray, prob: np.ndarray) -> TextScore:
    if idx.size == 0:
        return "", 0.0
    return character.decode(idx), float(prob.mean())


def ctc_emission_columns(idx: np.ndarray, blank: int) -> np.ndarray:
    """The output columns where greedy CTC emits a character (the first of each run of one class): not
    blank, and not a repeat of the column before, since a repeat only counts again after a blank or another
    class."""
    keep = idx != blank
    keep[1:] &= idx[1:] != idx[:-1]
    return np.flatnonzero(keep)


@POSTPROCESS.register
class CTCLabelDecode(_RecDecode):
    """Greedy CTC decoding: per-step argmax, merge repeats, drop blanks.

    The score is the mean probability of the kept characters (0.0 for an empty result).
    """

    mode = "ctc"

    def _decode_one(self, idx: np.ndarray, prob: np.ndarray) -> TextScore:
        emitted = ctc_emission_columns(idx, self.character.blank)
        return _text_score(self.character, idx[emitted], prob[emitted])

    def _label_text(self, row: np.ndarray) -> str:
        # Labels are not CTC paths: "aa" is stored as [a, a, 0, ...], so only padding is dropped.
        return self.character.decode(row)


@POSTPROCESS.register
class AttnLabelDecode(_RecDecode):
    """Attention decoding: per-step argmax up to the first eos; sos tokens are skipped.

    The score is the mean probability of the characters before eos (0.0 if there are none).
    """

    mode = "attention"

    def _before_eos(self, idx: np.ndarray) -> int:
        stops = np.flatnonzero(idx == self.character.eos)
        return int(stops[0]) if stops.size else len(idx)

    def _decode_one(self, idx: np.ndarray, prob: np.ndarray) -> TextScore:
        end = self._before_eos(idx)
        idx, prob = idx[:end], prob[:end]
        keep = idx != self.character.sos
        return _text_score(self.character, idx[keep], prob[keep])

    def _label_text(self, row: np.ndarray) -> str:
        return self.character.decode(row[:self._before_eos(row)])
