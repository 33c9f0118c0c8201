"""Recognition label encoders: ``data["label"]`` text -> fixed-length int64 class-index arrays.

The :class:`~ppocr.utils.character.CharacterDict` (``character``) and ``max_text_length`` are handed in
by the toolkit through the registry context, built once from ``Global.character_dict_path``,
``Global.use_space_char`` and ``Global.max_text_length``; the YAML entry is just ``CTCLabelEncode:``.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

import numpy as np

from ppocr.errors import ConfigError
from ppocr.utils.character import CharacterDict, check_op_dictionary
from ppocr.utils.registry import TRANSFORMS


def _check_length(op: str, max_text_length: Any) -> int:
    if isinstance(max_text_length, bool) or not isinstance(max_text_length, int) or max_text_length < 1:
        raise ConfigError(f"{op}: max_text_length must be a positive integer, got {max_text_length!r}")
    return max_text_length


class _RecLabelEncode:
    """Shared checks; subclasses build the array from the class indices."""

    mode = "ctc"  # the CharacterDict layout the subclass's arrays assume

    def __init__(self, character: CharacterDict, max_text_length: int = 25,
                 character_dict_path: Optional[str] = None, character_type: Optional[str] = None,
                 use_space_char: Optional[bool] = None):
        name = type(self).__name__
        check_op_dictionary(name, character, self.mode, character_dict_path, use_space_char)
        # character_type is read once, in Global, into the shared CharacterDict (for_character_type).
        self.character = character
        self.max_text_length = _check_length(name, max_text_length)

    def indices(self, text: Any) -> Optional[List[int]]:
        """Class indices of a usable label, else None (the dataset pre-scan normally removed those)."""
        if not isinstance(text, str) or self.character.problem(text, self.max_text_length):
            return None
        return self.character.encode(text)


@TRANSFORMS.register
class CTCLabelEncode(_RecLabelEncode):
    """``label`` -> int64 ``[max_text_length]`` class indices padded with the blank (0); ``length`` = chars.

    Returns None (sample skipped) for empty, out-of-dictionary or too-long labels.
    """

    mode = "ctc"

    def __call__(self, data: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        idx = self.indices(data["label"])
        if idx is None:
            return None
        label = np.zeros(self.max_text_length, dtype=np.int64)  # 0 is the CTC blank
        label[:len(idx)] = idx
        data["label"] = label
        data["length"] = np.int64(len(idx))
        return data


@TRANSFORMS.register
class AttnLabelEncode(_RecLabelEncode):
    """``label`` -> int64 ``[max_text_length + 2]`` = ``[sos, chars..., eos, eos, ...]``; ``length`` = chars.

    Padding with eos (not sos) means every position after the text asks the decoder to keep stopping.
    Returns None for empty, out-of-dictionary or too-long labels.
    """

    mode = "attention"

    def __call__(self, data: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        idx = self.indices(data["label"])
        if idx is None:
            return None
        label = np.full(self.max_text_length + 2, self.character.eos, dtype=np.int64)
        label[0] = self.character.sos
        label[1:len(idx) + 1] = idx
        data["label"] = label
        data["length"] = np.int64(len(idx))
        return data
