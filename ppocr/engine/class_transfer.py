"""Fine-tuning a recognizer onto another dictionary: the head's rows follow their characters.

A recognizer's last layer has one row (weights and bias) per class. When ``Global.pretrained_model`` was
trained with another dictionary (the shipped ASCII model fine-tuned with ``ppocr/utils/latin_dict.txt``),
each class of the new dictionary takes the row of the same character; a character the old dictionary
lacks starts from the row of the one it looks most like (``é`` from ``e``, ``€`` from ``C``, ``’`` from
``'``) with its bias lowered, so the model first reads it as that character and training only has to
teach the difference; characters like no old one keep their fresh initialisation with the lowest old bias.
"""
from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence

import numpy as np

from ppocr.utils.logging import get_logger

# A new character's bias starts this far below its look-alike's, so the old reading wins until trained.
NEW_CLASS_BIAS_MARGIN = 1.0
# Characters without a Unicode decomposition to an ASCII letter, and their nearest ASCII look-alike.
LOOKALIKES = {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ħ": "h",
              "Ħ": "H", "ı": "i", "ŧ": "t", "Ŧ": "T", "ĸ": "k", "ŋ": "n", "Ŋ": "N", "þ": "p", "Þ": "P",
              "ß": "B", "æ": "a", "Æ": "A", "œ": "o", "Œ": "O", "€": "C", "£": "L", "¥": "Y", "¢": "c",
              "§": "S", "°": "o", "±": "+", "×": "x", "÷": "+", "«": "<", "»": ">", "¡": "!", "¿": "?",
              "©": "C", "®": "R", "·": ".", "•": "*", "†": "+", "‡": "+", "‰": "%", "¶": "P", "‘": "'",
              "’": "'", "‚": ",", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-", "′": "'"}


def lookalike(char: str) -> Optional[str]:
    """The ASCII character ``char`` is drawn most like, if any (by decomposition, then the table)."""
    base = unicodedata.normalize("NFD", char)[0]
    if base != char and base.isascii():
        return base
    return LOOKALIKES.get(char)


@dataclass
class ClassMap:
    """For each new class: the old class index its row comes from (or None), and whether it is borrowed."""

    source: List[Optional[int]]
    borrowed: List[bool]

    @classmethod
    def between(cls, old: Sequence[str], new: Sequence[str]) -> "ClassMap":
        index = {c: i for i, c in enumerate(old)}
        source, borrowed = [], []
        for c in new:
            if c in index:
                source.append(index[c])
                borrowed.append(False)
            else:
                similar = lookalike(c)
                source.append(index.get(similar) if similar else None)
                borrowed.append(source[-1] is not None)
        return cls(source, borrowed)

    def summary(self) -> str:
        kept = sum(s is not None and not b for s, b in zip(self.source, self.borrowed))
        borrowed = sum(self.borrowed)
        fresh = len(self.source) - kept - borrowed
        return (f"{kept} classes kept their rows, {borrowed} started from a look-alike character's "
                f"(é from e), {fresh} fresh")


def transfer_rows(old: np.ndarray, fresh: np.ndarray, mapping: ClassMap, is_bias: bool) -> np.ndarray:
    """The new class rows of one head tensor (class axis last: weights ``[in, C]``, bias ``[C]``)."""
    out = np.array(fresh, copy=True)
    for k, (src, borrowed) in enumerate(zip(mapping.source, mapping.borrowed)):
        if src is not None:
            out[..., k] = old[..., src]
            if is_bias and borrowed:
                out[k] -= NEW_CLASS_BIAS_MARGIN
        elif is_bias:
            out[k] = old.min()
    return out


def transfer_head(state: Dict[str, Any], own: Dict[str, Any], old: Sequence[str], new: Sequence[str]
                  ) -> Dict[str, Any]:
    """``state`` with the head tensors whose class axis holds ``old`` rebuilt for ``new`` (others as given).

    ``own``: the model's state dict (shapes and fresh initialisation of the new head)."""
    import paddle

    mapping = ClassMap.between(old, new)
    out = dict(state)
    moved = []
    for key, value in own.items():
        theirs = state.get(key)
        # Also when the sizes agree: the same number of classes may stand for other characters.
        if not key.startswith("head.") or theirs is None or theirs.shape[-1] != len(old) \
                or value.shape[-1] != len(new) or list(theirs.shape[:-1]) != list(value.shape[:-1]):
            continue
        rows = transfer_rows(np.asarray(theirs), np.asarray(value), mapping, is_bias=len(value.shape) == 1)
        out[key] = paddle.to_tensor(rows, dtype=value.dtype)
        moved.append(key)
    if moved:
        get_logger().info(f"pretrained dictionary has {len(old)} classes, this one {len(new)}: "
                          f"{mapping.summary()} ({', '.join(moved)})")
    return out


def pretrained_classes(path: str) -> Optional[List[str]]:
    """The recognition classes a pretrained model was trained with, from its contract: an exported model's
    ``inference.yml``, or the ``config.yml`` that training wrote beside a checkpoint. None if unknown."""
    from ppocr.engine.runtime import build_shared
    from ppocr.errors import ConfigError
    from ppocr.infer.contract import load_contract
    from ppocr.utils.character import CharacterDict
    from ppocr.utils.config import load_config

    folder = path if os.path.isdir(path) else os.path.dirname(path)
    try:
        if os.path.isfile(os.path.join(folder, "inference.yml")):
            contract = load_contract(folder)
            if "Character" in contract:
                return CharacterDict.from_contract(contract["Character"], folder).classes
        elif os.path.isfile(os.path.join(folder, "config.yml")):
            character = build_shared(load_config(os.path.join(folder, "config.yml"))).get("character")
            return character.classes if character else None
    except (ConfigError, FileNotFoundError) as e:
        get_logger().warning(f"cannot read the dictionary of the pretrained model {path}: {e}")
    return None
