"""Direction classifier ops: the label encoder, free labels from any text crop, and the input resize.

Labels are directions (``ppocr/utils/directions.py``): a PaddleOCR 2.0 cls label file (``path\\t0`` /
``path\\t180``) trains as it is, and :class:`RandomDirectionLabel` turns any recognition dataset (whose labels
are texts) into classifier data with no extra labelling.
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Sequence

import numpy as np

from ppocr.data.imaug.rec_img_aug import check_image_shape, resize_norm_img
from ppocr.utils.directions import as_system_crop, parse_label_list, turn
from ppocr.utils.registry import TRANSFORMS


@TRANSFORMS.register
class ClsLabelEncode:
    """``label`` (a direction such as ``"180"``) -> its int64 index in ``label_list``; None (sample skipped)
    for a label not in the list."""

    def __init__(self, label_list: Sequence = ("0", "180")):
        self.label_list = parse_label_list(label_list, "ClsLabelEncode")

    def __call__(self, data: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        label = str(data["label"]).strip()
        if label not in self.label_list:
            return None
        data["label"] = np.int64(self.label_list.index(label))
        return data


@TRANSFORMS.register
class RandomDirectionLabel:
    """Turn an upright text crop by a random direction of ``label_list`` and make that direction its label
    (replacing the text), so that a recognition dataset trains a classifier. Put it before ClsLabelEncode.

    With all four directions, the crop then goes through the system's crop step (crops much taller than
    wide are turned by 90 degrees, :func:`ppocr.utils.directions.as_system_crop`) and the label follows: the
    classifier learns the crops the system will show it, where long lines are only ever 0 or 180 and short
    words may be any of the four.
    """

    def __init__(self, label_list: Sequence = ("0", "180")):
        self.label_list = parse_label_list(label_list, "RandomDirectionLabel")
        self.like_system = len(self.label_list) == 4

    def __call__(self, data: Dict[str, Any]) -> Dict[str, Any]:
        degrees = int(self.label_list[np.random.randint(len(self.label_list))])
        img = turn(np.asarray(data["image"]), degrees)
        if self.like_system:
            img, degrees = as_system_crop(img, degrees)
        data["image"], data["label"] = img, str(degrees)
        return data


@TRANSFORMS.register
class ClsResizeImg:
    """Resize a crop to ``image_shape = [C, H, W]`` (aspect ratio kept, right-padded, normalised to [-1, 1])."""

    def __init__(self, image_shape: Sequence[int] = (3, 48, 192)):
        self.image_shape = list(check_image_shape(image_shape, "ClsResizeImg"))

    def __call__(self, data: Dict[str, Any]) -> Dict[str, Any]:
        data["image"] = resize_norm_img(data["image"], self.image_shape)[0]
        return data
