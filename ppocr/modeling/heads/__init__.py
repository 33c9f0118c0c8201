"""Heads, registered in ``ppocr.utils.registry.HEADS``."""
# Importing the modules registers their classes.
from ppocr.modeling.heads import cls_head, det_db_head, det_east_head, rec_att_head, rec_ctc_head  # noqa: F401
