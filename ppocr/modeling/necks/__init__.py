"""Necks, registered in ``ppocr.utils.registry.NECKS``."""
from ppocr.modeling.necks import db_fpn, east_fpn, rnn  # noqa: F401  (registers)
