"""Model construction from the ``Architecture`` section."""
from __future__ import annotations

from typing import Any, Dict, Optional

import ppocr.modeling.backbones  # noqa: F401  (registers)
import ppocr.modeling.heads  # noqa: F401
import ppocr.modeling.necks  # noqa: F401
import ppocr.modeling.transforms  # noqa: F401
from ppocr.modeling.architectures.base_model import BaseModel


def build_model(arch: Dict[str, Any], context: Optional[Dict[str, Any]] = None) -> BaseModel:
    """Build the model; ``context`` carries shared wiring such as a recognizer's class count."""
    return BaseModel(arch, context)
