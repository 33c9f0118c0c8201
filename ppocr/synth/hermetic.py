"""One switch that keeps the generator to the fonts and words the repository ships.

With ``PPOCR_HERMETIC=1`` in the environment, the default font folders leave out ``/usr/share/fonts`` and
the system word list is not read, so the same seed renders the same images on every machine, whatever
packages it has. The test suite sets it; a user may set it for data that does not depend on the machine.
An explicit ``--fonts DIR`` is still honoured.
"""
from __future__ import annotations

import os

HERMETIC_ENV = "PPOCR_HERMETIC"


def hermetic() -> bool:
    """True when the environment asks for the repository's own fonts and words only."""
    return os.environ.get(HERMETIC_ENV, "").strip().lower() in ("1", "true", "yes", "on")
