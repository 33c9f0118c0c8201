"""EAST training targets: score map, QUAD geometry map and training mask, at the network's output stride."""
from __future__ import annotations

from typing import Any, Dict, Sequence

import cv2
import numpy as np

from ppocr.data.imaug.make_shrink_map import offset_polygon
from ppocr.utils.registry import TRANSFORMS


def quad_short_side(quad: np.ndarray) -> float:
    """Length of the quad's shortest edge (the text height for a line): EAST's normalizer."""
    return float(np.linalg.norm(quad - np.roll(quad, -1, axis=0), axis=1).min())


@TRANSFORMS.register
class MakeEastMap:
    """Build ``score_map`` [1, H/s, W/s], ``geo_map`` [9, H/s, W/s] and ``training_mask`` [1, H/s, W/s].

    Map pixel (row r, column c) stands for the input point (s*c, s*r), s = ``stride``. Inside each quad
    shrunk by ``shrink_ratio`` x its shortest edge (the EAST paper's 0.3), the score is 1 and the geometry
    holds the offsets from that point to the quad's four vertices (x0, y0, ..., x3, y3: vertex minus point,
    clockwise from top-left) plus, in channel 8, 1 / shortest edge, which the loss uses to normalize.
    ``training_mask`` is 0 over "###" quads and quads whose shortest edge is below ``min_text_size``.
    """

    def __init__(self, min_text_size: float = 10, shrink_ratio: float = 0.3, stride: int = 4):
        self.min_text_size = float(min_text_size)
        self.shrink_ratio = float(shrink_ratio)
        self.stride = int(stride)

    def __call__(self, data: Dict[str, Any]) -> Dict[str, Any]:
        h, w = data["image"].shape[:2]
        s = self.stride
        mh, mw = h // s, w // s
        polys = np.asarray(data.get("polys", np.zeros((0, 4, 2))), dtype=np.float32)
        ignore = np.asarray(data.get("ignore_tags", np.zeros(len(polys), bool)), dtype=bool)
        score = np.zeros((mh, mw), np.float32)
        geo = np.zeros((9, mh, mw), np.float32)
        mask = np.ones((mh, mw), np.float32)
        for quad, ignored in zip(polys, ignore):
            short = quad_short_side(quad)
            shrunk = [] if ignored or short < self.min_text_size else \
                offset_polygon(quad, -self.shrink_ratio * short)
            if not shrunk:
                cv2.fillPoly(mask, [np.round(quad / s).astype(np.int32)], 0.0)
                continue
            region = np.zeros((mh, mw), np.uint8)
            cv2.fillPoly(region, [np.round(p / s).astype(np.int32) for p in shrunk], 1)
            rows, cols = np.nonzero(region)
            score[rows, cols] = 1.0
            geo[0:8:2, rows, cols] = quad[:, 0:1] - s * cols[None, :]
            geo[1:8:2, rows, cols] = quad[:, 1:2] - s * rows[None, :]
            geo[8, rows, cols] = 1.0 / max(short, 1.0)
        data["score_map"] = score[None]
        data["geo_map"] = geo
        data["training_mask"] = mask[None]
        return data


@TRANSFORMS.register
class EASTProcessTrain:
    """PaddleOCR 2.0's EAST training op, so that its EAST configs load unchanged: a random rescale
    (x0.5, x1, x2 or x3), a crop scaled into ``image_shape`` (one that keeps text whole, or with probability
    ``background_ratio`` any region, where the text it cuts becomes "###"), the EAST maps and a normalised
    CHW image. It is made of this library's ops: EastRandomCropData, MakeEastMap, NormalizeImage and
    ToCHWImage; the configs in configs/det/ spell those out instead.
    """

    RANDOM_SCALES = (0.5, 1.0, 2.0, 3.0)

    def __init__(self, image_shape: Sequence[int] = (512, 512), background_ratio: float = 0.125,
                 min_crop_side_ratio: float = 0.1, min_text_size: float = 10):
        from ppocr.data.imaug.operators import NormalizeImage, ToCHWImage
        from ppocr.data.imaug.random_crop_data import EastRandomCropData

        height, width = (int(v) for v in list(image_shape)[-2:])
        self.crop = EastRandomCropData(size=[width, height], min_crop_side_ratio=min_crop_side_ratio)
        self.background_ratio = float(background_ratio)
        self.min_crop_side_ratio = float(min_crop_side_ratio)
        self.maps = MakeEastMap(min_text_size=min_text_size)
        self.normalize, self.to_chw = NormalizeImage(), ToCHWImage()

    def __call__(self, data: Dict[str, Any]) -> Dict[str, Any]:
        scale = float(np.random.choice(self.RANDOM_SCALES))
        data["image"] = cv2.resize(data["image"], None, fx=scale, fy=scale)
        data["polys"] = np.asarray(data.get("polys", np.zeros((0, 4, 2))), np.float32) * scale
        if np.random.rand() < self.background_ratio:
            h, w = data["image"].shape[:2]
            cw = int(np.random.randint(max(1, int(self.min_crop_side_ratio * w)), w + 1))
            ch = int(np.random.randint(max(1, int(self.min_crop_side_ratio * h)), h + 1))
            x, y = int(np.random.randint(0, w - cw + 1)), int(np.random.randint(0, h - ch + 1))
            data = self.crop.crop_region(data, x, y, cw, ch, ignore_cut=True)
        else:
            data = self.crop(data)
        return self.to_chw(self.normalize(self.maps(data)))
