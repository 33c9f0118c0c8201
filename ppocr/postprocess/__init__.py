"""Post-processing: raw network outputs -> boxes / text. Importing registers every class."""
from __future__ import annotations

from typing import Any, Dict, Optional

from ppocr.postprocess import (  # noqa: F401  (ClsPostProcess, DBPostProcess, EASTPostProcess)
    cls_postprocess,
    db_postprocess,
    east_postprocess,
    rec_postprocess,  # noqa: F401  (CTCLabelDecode, AttnLabelDecode)
)
from ppocr.utils.registry import POSTPROCESS

__all__ = ["build_post_process"]


def build_post_process(cfg: Dict[str, Any], context: Optional[Dict[str, Any]] = None) -> Any:
    """Build from the YAML ``PostProcess`` section, e.g. ``{"name": "DBPostProcess", "thresh": 0.3}``;
    ``context`` holds shared objects such as the recognition ``character`` dictionary."""
    return POSTPROCESS.build(cfg, "PostProcess", context)
