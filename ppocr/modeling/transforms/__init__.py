"""Input rectification networks (Architecture.Transform), registered in ``RECTIFIERS``."""
from ppocr.modeling.transforms import tps  # noqa: F401  (registers)
