"""The recognition character dictionary: the single source of truth for class indices.

Label encoders, decoders, the head's output size, the dataset's label check and the exported
``inference.yml`` all take the same :class:`CharacterDict`, so they cannot disagree about which
index means which character (the classic cause of "the model trains but predicts garbage").

Class layouts (``classes[i]`` is the meaning of output channel ``i``):

* ``mode="ctc"``:       ``[blank, c_1, ..., c_n]``          - blank is 0, as the CTC loss expects.
* ``mode="attention"``: ``[sos, c_1, ..., c_n, eos]``       - start token 0, end token last.

``c_1..c_n`` are the dictionary file's characters in file order, followed by ``" "`` when
``use_space_char`` is set and the file does not already contain a space. In both modes the
dictionary character ``chars[k]`` therefore has class index ``k + 1``.
"""
from __future__ import annotations

import functools
import logging
import os
import string
from typing import Any, Callable, Dict, Iterable, List, Optional

from ppocr.errors import ConfigError

logger = logging.getLogger("ppocr")

MODES = ("ctc", "attention")
# PaddleOCR 2.x's Global.character_type: "en" and "EN_symbol" are built-in character sets ("en" folds labels to
# lower case and drops other characters); every other value (a language: "ch", "EN", "french", ...) means
# "the dictionary file at character_dict_path".
BUILT_IN_SETS = {"en": string.digits + string.ascii_lowercase,
                 "EN_symbol": string.printable[:-6]}  # digits, letters, punctuation: 94 characters
DICT_FILE_TYPES = ("ch", "EN", "latin", "arabic", "cyrillic", "devanagari", "french", "german", "japan", "korean",
                   "it", "xi", "pu", "ru", "ar", "ta", "ug", "fa", "ur", "rs", "oc", "rsc", "bg", "uk", "be", "te",
                   "ka", "chinese_cht", "hi", "mr", "ne")
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_DICT = "ppocr/utils/en_dict.txt"
_MAX_LISTED = 10  # characters named in one problem message before "... and N more"


def resolve_dict_path(path: str) -> str:
    """``path`` as given, else relative to the repository root (configs say ``ppocr/utils/...``,
    which must keep working when a tool is started from another directory)."""
    if os.path.isfile(path):
        return path
    if not os.path.isabs(path):
        in_repo = os.path.join(REPO_ROOT, path)
        if os.path.isfile(in_repo):
            return in_repo
    raise FileNotFoundError(f"character dictionary not found: {path} (Global.character_dict_path)")


def read_dict_file(path: str) -> List[str]:
    """One character per line. Blank lines are skipped; a line holding just " " is the space.

    Stray whitespace around a single character (``"a "``, a CRLF file) is tolerated, but a line with
    several characters is an error: encoding works per character, so such an entry could never match.
    """
    chars = []
    # utf-8-sig: dictionaries saved by Windows editors start with a BOM that would become a "character".
    with open(path, encoding="utf-8-sig") as f:
        for line_no, raw in enumerate(f, 1):
            line = raw.rstrip("\r\n")
            if not line:
                continue
            if len(line) > 1:
                line = line.strip()
                if len(line) != 1:
                    raise ConfigError(f"{path}:{line_no}: a dictionary line must hold exactly one character, "
                                      f"got {raw.rstrip(chr(10))!r}")
            chars.append(line)
    if not chars:
        raise ConfigError(f"character dictionary {path} is empty")
    return chars


def _quote_chars(chars: List[str]) -> str:
    shown = ", ".join(repr(c) for c in chars[:_MAX_LISTED])
    return shown + (f" ... and {len(chars) - _MAX_LISTED} more" if len(chars) > _MAX_LISTED else "")


class CharacterDict:
    """Characters <-> class indices for recognition (see the module docstring for the layouts).

    Args:
        dict_path: dictionary file, one character per line; None means the built-in
            ``ppocr/utils/en_dict.txt`` (digits, ASCII letters and punctuation).
        use_space_char: add ``" "`` as a class (no-op if the file already lists it).
        mode: ``"ctc"`` (CRNN-style heads) or ``"attention"`` (sos/eos decoders).

    Duplicate characters in the file keep their first position; one warning lists them.
    """

    def __init__(self, dict_path: Optional[str] = None, use_space_char: bool = False, mode: str = "ctc"):
        shown = dict_path or DEFAULT_DICT
        self._setup(read_dict_file(resolve_dict_path(shown)), use_space_char, mode, source=shown, fold_case=False)
        self.dict_path: Optional[str] = shown

    @classmethod
    def from_list(cls, chars: Iterable[str], use_space_char: bool = False, mode: str = "ctc",
                  source: str = "<list>", fold_case: bool = False) -> "CharacterDict":
        """Build from characters in memory (tests, inference.yml, the built-in sets)."""
        obj = cls.__new__(cls)
        chars = list(chars)
        for c in chars:
            if not isinstance(c, str) or len(c) != 1:
                raise ConfigError(f"{source}: dictionary entries must be single characters, got {c!r}")
        if not chars:
            raise ConfigError(f"{source}: the character list is empty")
        obj._setup(chars, use_space_char, mode, source, fold_case)
        obj.dict_path = None
        return obj

    @classmethod
    def for_character_type(cls, character_type: Optional[str], dict_path: Optional[str] = None,
                           use_space_char: bool = False, mode: str = "ctc") -> "CharacterDict":
        """The dictionary that PaddleOCR 2.x's ``Global.character_type`` names (see BUILT_IN_SETS): "en" is
        PaddleOCR 2.0's lowercase English set, whose labels are folded to lower case with other characters
        dropped; a language name, or none, reads ``dict_path`` (default: the built-in en_dict.txt)."""
        if character_type in BUILT_IN_SETS:
            if dict_path:
                logger.info(f"Global.character_type {character_type} is a built-in character set: "
                            f"Global.character_dict_path ({dict_path}) is not read")
            return cls.from_list(BUILT_IN_SETS[character_type], use_space_char, mode,
                                 source=f"character_type {character_type}", fold_case=character_type == "en")
        if character_type is not None and character_type not in DICT_FILE_TYPES:
            raise ConfigError(f"Global.character_type: unknown value {character_type!r}; use "
                              f"{', '.join(BUILT_IN_SETS)} (built-in sets) or a language such as ch or EN with "
                              f"Global.character_dict_path")
        if character_type not in (None, "EN") and not dict_path:
            raise ConfigError(f"Global.character_type {character_type} needs Global.character_dict_path (the "
                              f"dictionary file, e.g. ppocr/utils/ppocr_keys_v1.txt for ch)")
        return cls(dict_path, use_space_char, mode)

    def _setup(self, file_chars: List[str], use_space_char: bool, mode: str, source: str,
               fold_case: bool = False) -> None:
        if mode not in MODES:
            raise ConfigError(f"unknown character dictionary mode {mode!r}; valid modes: {', '.join(MODES)}")
        self.mode = mode
        # PaddleOCR 2.0's "en" set: labels are read in lower case and characters outside the set dropped.
        self.fold_case = fold_case
        self.use_space_char = bool(use_space_char)
        self.source = source
        unique, dups = [], []
        seen = set()
        for c in file_chars:
            if c in seen:
                dups.append(c)
            else:
                seen.add(c)
                unique.append(c)
        if dups:
            logger.warning(f"character dictionary {source}: {len(dups)} duplicate entries ignored "
                           f"(the first occurrence keeps its index): {_quote_chars(sorted(set(dups)))}")
        self.dict_chars: List[str] = unique  # as read from the file, without an added space
        self.space_added = self.use_space_char and " " not in seen
        self.chars: List[str] = unique + ([" "] if self.space_added else [])
        if mode == "ctc":
            self.classes: List[str] = ["blank"] + self.chars
        else:
            self.classes = ["sos"] + self.chars + ["eos"]
        self.num_classes = len(self.classes)
        # Dictionary character k is class k + 1 in both layouts.
        self._index: Dict[str, int] = {c: i + 1 for i, c in enumerate(self.chars)}
        self._special = {0} if mode == "ctc" else {0, self.num_classes - 1}

    # -- special tokens -------------------------------------------------------------------------
    @property
    def blank(self) -> int:
        """Index of the CTC blank (ctc mode only)."""
        if self.mode != "ctc":
            raise AttributeError(f"a CharacterDict in {self.mode!r} mode has no CTC blank")
        return 0

    @property
    def sos(self) -> int:
        """Index of the start token (attention mode only)."""
        if self.mode != "attention":
            raise AttributeError(f"a CharacterDict in {self.mode!r} mode has no sos token")
        return 0

    @property
    def eos(self) -> int:
        """Index of the end token (attention mode only)."""
        if self.mode != "attention":
            raise AttributeError(f"a CharacterDict in {self.mode!r} mode has no eos token")
        return self.num_classes - 1

    def __len__(self) -> int:
        return self.num_classes

    def __contains__(self, ch: str) -> bool:
        return ch in self._index

    # -- encoding ---------------------------------------------------------------------------------
    def fold(self, text: str) -> str:
        """``text`` as the dictionary reads it: unchanged, or (fold_case) in lower case without the characters
        outside the dictionary."""
        if not self.fold_case:
            return text
        return "".join(c for c in text.lower() if c in self._index)

    def encode(self, text: str) -> Optional[List[int]]:
        """Class indices of ``text`` (no special tokens), or None if a character is not in the dictionary."""
        out = [self._index.get(c) for c in self.fold(text)]
        return None if None in out else out

    def decode(self, indices: Iterable[Any]) -> str:
        """Text of class ``indices``; special tokens (blank / sos / eos) are skipped, nothing is merged."""
        chars = self.classes
        return "".join(chars[i] for i in map(int, indices) if i not in self._special)

    def problem(self, text: str, max_text_length: Optional[int] = None) -> Optional[str]:
        """Why ``text`` cannot be a training label, or None. Usable as the dataset's label check."""
        text = self.fold(text) if text else text
        if not text or not text.strip():
            return "empty label" + (" (no letter or digit of the lowercase set)" if self.fold_case else "")
        unknown = list(dict.fromkeys(c for c in text if c not in self._index))  # unique, in order
        if unknown:
            hint = " (set Global.use_space_char: true to allow spaces)" if unknown == [" "] else ""
            return f"characters not in the dictionary: {_quote_chars(unknown)}{hint}"
        if max_text_length is not None and len(text) > max_text_length:
            return f"label longer than max_text_length ({len(text)} > {max_text_length})"
        return None

    def label_check(self, max_text_length: Optional[int] = None) -> Callable[[str], Optional[str]]:
        """``problem`` with the length fixed: the ``check_label`` argument of ``scan_label_file``."""
        return functools.partial(self.problem, max_text_length=max_text_length)

    # -- reporting and export ---------------------------------------------------------------------
    def describe(self) -> str:
        """One log line, e.g. ``96 classes: 94 dictionary characters + space + CTC blank (ppocr/utils/en_dict.txt)``."""
        body = f"{len(self.dict_chars)} dictionary characters" + (" + space" if self.space_added else "")
        if self.mode == "ctc":
            return f"{self.num_classes} classes: {body} + CTC blank ({self.source})"
        return f"{self.num_classes} classes: sos + {body} + eos ({self.source})"

    def to_contract(self) -> Dict[str, Any]:
        """What ``inference.yml`` stores: the characters inline, so an exported model needs no dict file."""
        contract = {"mode": self.mode, "use_space_char": self.use_space_char, "num_classes": self.num_classes,
                    "characters": list(self.dict_chars)}
        if self.fold_case:
            contract["fold_case"] = True
        return contract

    @classmethod
    def from_contract(cls, d: Dict[str, Any], model_dir: str) -> "CharacterDict":
        """Rebuild the dictionary saved by :meth:`to_contract`; ``model_dir`` names the source in errors."""
        where = os.path.join(model_dir, "inference.yml")
        if not isinstance(d, dict) or not isinstance(d.get("characters"), list):
            raise ConfigError(f"{where}: no 'characters' list for the recognition dictionary; "
                              f"re-export the model with tools/export_model.py")
        obj = cls.from_list([str(c) for c in d["characters"]], bool(d.get("use_space_char", False)),
                            str(d.get("mode", "ctc")), source=where, fold_case=bool(d.get("fold_case", False)))
        expected = d.get("num_classes")
        if expected is not None and int(expected) != obj.num_classes:
            raise ConfigError(f"{where}: the character list gives {obj.num_classes} classes but the model was "
                              f"exported with {expected}; the file was edited or is corrupt")
        return obj

    def __repr__(self) -> str:
        return f"CharacterDict({self.describe()})"


def check_op_dictionary(op: str, character: Any, mode: str, character_dict_path: Optional[str],
                        use_space_char: Optional[bool]) -> None:
    """Checks shared by the label encoders and decoders that take the toolkit's ``character``.

    It must be a CharacterDict of the op's ``mode``. PaddleOCR 2.0 also let ``character_dict_path`` and
    ``use_space_char`` sit on the op: they are accepted when they agree with the shared dictionary; a
    different value would silently give the op other class indices than the head and decoder, so it is
    an error pointing to Global instead."""
    if not isinstance(character, CharacterDict):
        raise ConfigError(f"{op} needs the recognition CharacterDict (passed by the toolkit as 'character')")
    if character.mode != mode:
        raise ConfigError(f"{op} needs a '{mode}' character dictionary, got mode {character.mode!r}")
    if character_dict_path is not None and character.dict_path is not None:
        try:
            same = os.path.samefile(resolve_dict_path(character_dict_path), resolve_dict_path(character.dict_path))
        except FileNotFoundError:
            same = False
        if not same:
            raise ConfigError(f"{op}.character_dict_path ({character_dict_path}) differs from "
                              f"Global.character_dict_path ({character.dict_path}); set it in Global only")
    if use_space_char is not None and bool(use_space_char) != character.use_space_char:
        raise ConfigError(f"{op}.use_space_char ({use_space_char}) differs from Global.use_space_char "
                          f"({character.use_space_char}); set it in Global only")
