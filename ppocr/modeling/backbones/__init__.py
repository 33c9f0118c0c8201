"""Backbones, registered per model_type in ``ppocr.utils.registry.BACKBONES``."""
# Importing the modules registers their classes.
from ppocr.modeling.backbones import det_mobilenet_v3, det_resnet_vd, rec_mobilenet_v3, rec_resnet_vd  # noqa: F401
