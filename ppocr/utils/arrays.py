"""Small array helpers shared by post-processing and metrics."""
from __future__ import annotations

from typing import Any

import numpy as np


def to_numpy(x: Any) -> np.ndarray:
    """A numpy array from a Paddle tensor (``.numpy()``), an array or a nested list."""
    return x.numpy() if hasattr(x, "numpy") else np.asarray(x)
