"""Per-sample random generators: what makes generated data independent of worker count and order."""
import numpy as np


def sample_rng(seed: int, index: int, stream: int = 0) -> np.random.Generator:
    """The generator for sample ``index``: independent of worker count and order. ``stream`` > 0 gives
    other independent generators for the same index (e.g. the page that several crops share)."""
    return np.random.default_rng([int(seed), int(index)] + ([int(stream)] if stream else []))
