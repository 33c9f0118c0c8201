"""Necks, registered in ``ppocr.utils.registry.NECKS``."""
from ppocr.modeling.necks import db_fpn  # noqa: F401  (registers)
