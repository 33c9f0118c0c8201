"""How crops are read beyond the networks: the reading policy (policy.py) and its steps, one module each:
crop preparation and the retries' tests (crops.py), language-model decoding of CTC outputs (ctc.py, with the
character n-gram model of char_lm.py) and lexicon correction (lexicon.py)."""
from ppocr.infer.reading.policy import (
                                        PRESETS,
                                        ReadingPolicy,
                                        add_reading_args,
                                        policy_from_args,
                                        reading_flags,
                                        resolve_policy,
)

__all__ = ["PRESETS", "ReadingPolicy", "add_reading_args", "policy_from_args", "reading_flags", "resolve_policy"]
