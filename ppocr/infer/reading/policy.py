"""How crops are read beyond the networks: the reading steps as one recorded policy.

Each field of :class:`ReadingPolicy` is one step, declared once here with its default, its range, its flag
and its help; the predictors, ``tools/eval_dev.py`` and the benchmarks generate their flags from it.
``tools/export_model.py`` writes the policy into the model's ``inference.yml`` (section ``Reading``), so a
model is read the way it was meant to be read whatever the toolkit's defaults become; a flag still changes
one field for one run. Presets: ``plain`` (PaddleOCR 2.0's reading: one detection pass, greedy CTC, no
retries, no language model or lexicon) and ``shipped`` (every step, as the shipped models are read).
"""
from __future__ import annotations

import argparse
import dataclasses
import logging
from dataclasses import dataclass, field
from typing import Any, Dict, Optional

from ppocr.errors import ConfigError

logger = logging.getLogger("ppocr")


def _step(default: Any, flag: str, help: str, low: Optional[float] = None) -> Any:
    return field(default=default, metadata={"flag": flag, "help": help, "min": low})


# How the shipped values were chosen, all with the shipped recognizer: stretch_retry on generated lines, where
# 1.3 lifted word accuracy most for the least extra work; crop_margin on generated lines cut tight at their ink
# (0.887 -> 0.909); lm_weight / lm_bonus / beam by the mean word accuracy over nine generated crop sets (weights
# 0.4-0.5 with rewards 1.5-2.5 read alike; 0.4 with 1.5 costs least on codes that are not words).
@dataclass(frozen=True)
class ReadingPolicy:
    large_text_pass: bool = _step(
        True, "--det_large_text_pass",
        "detect again at half scale; lines found there at least 80 px tall at the input scale replace the pieces "
        "the full scale split them into")
    both_ways: bool = _step(
        True, "--rec_both_ways",
        "boxes turned upright or slanted steeply (whose text may run either way) are read both ways round and "
        "the surer reading is kept")
    stretch_retry: float = _step(
        1.3, "--rec_stretch_retry",
        "crops read as dense text (condensed fonts) are read again this much wider and the surer reading is kept; "
        "1 turns it off", low=1.0)
    invert_retry: bool = _step(
        True, "--rec_invert_retry",
        "crops that look like light text on a dark background are read again with inverted colours and the surer "
        "reading is kept")
    crop_margin: float = _step(
        0.1, "--rec_crop_margin",
        "predict_rec only: background added left and right of every crop, times its height (a character touching "
        "the edge of a tight crop is misread; the system's crops come from unclipped boxes and get none); "
        "0 turns it off", low=0.0)
    char_lm: str = _step(
        "auto", "--rec_char_lm",
        "character language model (tools/build_char_lm.py) that unsure CTC readings are decoded with; auto: "
        "char_lm.json.gz in the model folder if there is one; none: greedy decoding")
    lm_weight: float = _step(0.4, "--rec_lm_weight", "weight of the language model against the network", low=0.0)
    lm_bonus: float = _step(
        1.5, "--rec_lm_bonus", "reward per word character, which keeps the language model from preferring short "
                               "readings")
    beam: int = _step(8, "--rec_beam", "readings kept per output column by the language-model search", low=1)
    lexicon: str = _step(
        "auto", "--rec_lexicon",
        "word list (one per line) that misread words of CTC readings are corrected to when the model found the "
        "word's spelling nearly as likely; auto: lexicon.txt in the model folder if there is one; none: off")

    def __post_init__(self):
        for f in dataclasses.fields(self):
            value, low = getattr(self, f.name), f.metadata["min"]
            if low is not None and float(value) < low:
                raise ConfigError(f"{f.name} ({f.metadata['flag']}) must be >= {low}, got {value}")

    def to_dict(self) -> Dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: Dict[str, Any], where: str) -> "ReadingPolicy":
        """The policy saved in ``where`` (an inference.yml); unknown steps are an error naming the file."""
        names = [f.name for f in dataclasses.fields(cls)]
        unknown = sorted(set(values or {}) - set(names))
        if unknown:
            raise ConfigError(f"{where}: Reading has unknown steps {', '.join(unknown)}; known: {', '.join(names)}")
        return cls(**(values or {}))


PRESETS = {
    "plain": ReadingPolicy(large_text_pass=False, both_ways=False, stretch_retry=1.0, invert_retry=False,
                           crop_margin=0.0, char_lm="none", lexicon="none"),
    "shipped": ReadingPolicy(),
}


def resolve_policy(reading: Any, saved: Optional[Dict[str, Any]] = None, where: str = "inference.yml",
                   **overrides: Any) -> ReadingPolicy:
    """The policy to read with: ``reading`` (a preset name or a ReadingPolicy), else the one ``saved`` in the
    model's inference.yml, else ``shipped``; then ``overrides`` (field names; None leaves a field alone)."""
    if isinstance(reading, ReadingPolicy):
        policy = reading
    elif reading is not None:
        if reading not in PRESETS:
            raise ConfigError(f"unknown reading preset {reading!r}; choose {', '.join(PRESETS)}")
        policy = PRESETS[reading]
    elif saved is not None:
        policy = ReadingPolicy.from_dict(saved, where)
    else:
        policy = PRESETS["shipped"]
    names = {f.name for f in dataclasses.fields(ReadingPolicy)}
    unknown = sorted(set(overrides) - names)
    if unknown:
        raise TypeError(f"unknown reading steps {', '.join(unknown)}; known: {', '.join(sorted(names))}")
    changed = {k: v for k, v in overrides.items() if v is not None}
    return dataclasses.replace(policy, **changed) if changed else policy


def add_reading_args(parser: argparse.ArgumentParser, str2bool) -> None:
    """``--reading PRESET`` and one flag per step (unset: the model's own policy)."""
    group = parser.add_argument_group("reading (defaults: the Reading section of the model's inference.yml)")
    group.add_argument("--reading", choices=sorted(PRESETS), default=None,
                       help="start from a preset instead of the model's own policy: plain (PaddleOCR 2.0's reading) "
                            "or shipped (every step)")
    for f in dataclasses.fields(ReadingPolicy):
        kind, metavar = {"bool": (str2bool, "BOOL"), "float": (float, "X"), "int": (int, "N")}.get(
            str(f.type), (str, "auto|none|PATH"))
        group.add_argument(f.metadata["flag"], dest=f"reading_{f.name}", type=kind, default=None, metavar=metavar,
                           help=f"{f.metadata['help']} (shipped: {f.default})")


def reading_flags(args: argparse.Namespace) -> Dict[str, Any]:
    """The step flags that were given, as ReadingPolicy fields (each logged: it changes the model's own
    setting for this run)."""
    given = {}
    for f in dataclasses.fields(ReadingPolicy):
        value = getattr(args, f"reading_{f.name}")
        if value is not None:
            logger.info(f"reading: {f.name} = {value} ({f.metadata['flag']})")
            given[f.name] = value
    return given


def policy_from_args(args: argparse.Namespace, saved: Optional[Dict[str, Any]], where: str) -> ReadingPolicy:
    """The policy of ``--reading`` or the model's ``saved`` one, with the step flags that were given on top."""
    return resolve_policy(args.reading, saved, where, **reading_flags(args))
