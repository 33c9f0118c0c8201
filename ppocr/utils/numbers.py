"""Parse numbers written in configs without ``eval`` (e.g. ``1./255.`` or ``"3/4"``)."""
from __future__ import annotations

import re
from typing import Union

_FRACTION = re.compile(r"^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*/\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*$")


def parse_number(value: Union[int, float, str]) -> float:
    """Return ``value`` as a float; accepts numbers, numeric strings and simple fractions ``a/b``."""
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    m = _FRACTION.match(text)
    if m:
        den = float(m.group(2))
        if den == 0:
            raise ValueError(f"division by zero in {value!r}")
        return float(m.group(1)) / den
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"expected a number or a fraction like '1./255.', got {value!r}") from None
