"""Datasets over PaddleOCR label files and LMDB; bad samples are reported and counted, never replaced."""
from __future__ import annotations

import io
import logging
import os
import random
import time
from typing import Any, Dict, List, Optional

import numpy as np
from paddle.io import Dataset
from PIL import Image
from tqdm import tqdm

from ppocr.data.imaug import create_operators, transform
from ppocr.data.label_scan import LabelCheck, Sample, ScanReport, check_text_label, scan_label_file
from ppocr.errors import ConfigError
from ppocr.utils.registry import DATASETS

logger = logging.getLogger("ppocr")


class OCRDataset(Dataset):
    """Common part: sample list, ops, per-(epoch, index) seeding, and failure reporting."""

    def __init__(self, samples: List[Sample], transforms: list, path: str, seed: int,
                 ops_context: Optional[Dict[str, Any]] = None):
        self.samples = samples
        self.ops = create_operators(transforms or [], f"{path}.transforms", ops_context)
        self.seed = seed

    def __len__(self) -> int:
        return len(self.samples)

    def load(self, sample: Sample) -> Dict[str, Any]:
        with open(sample.image_path, "rb") as f:
            return {"img_path": sample.image_path, "image": f.read(), "label": sample.label}

    def aspect_ratios(self) -> np.ndarray:
        """Width / height of every sample's image, from the image headers (nothing is decoded): the width a
        recognition crop gets at the model height is proportional to it. 0 where the header is unreadable
        (such a sample is reported when it is loaded)."""
        start = time.perf_counter()
        ratios = np.zeros(len(self.samples), dtype=np.float32)
        for i, sample in enumerate(tqdm(self.samples, desc="reading image sizes", unit="img", mininterval=2.0,
                                        disable=len(self.samples) < 20000 or not os.isatty(2))):
            try:
                with Image.open(io.BytesIO(self.load(sample)["image"])) as im:
                    w, h = im.size
                ratios[i] = w / max(h, 1)
            except Exception:  # noqa: BLE001 - any unreadable header; the sample is reported at load time
                ratios[i] = 0.0
        logger.info(f"read the sizes of {len(ratios)} images for width buckets in {time.perf_counter() - start:.1f} s")
        return ratios

    def __getitem__(self, key: int) -> Optional[list]:
        """``key`` is ``epoch * len(self) + index`` (see EpochBatchSampler); a plain index means epoch 0."""
        epoch, index = divmod(int(key), len(self.samples))
        # Seed augmentation from (seed, epoch, index): identical data whatever the worker count or resume point.
        rng_seed = (self.seed * 1_000_003 + epoch * 10_007 + index) % (2 ** 32)
        random.seed(rng_seed)
        np.random.seed(rng_seed)
        sample = self.samples[index]
        try:
            out = transform(self.load(sample), self.ops)
        except Exception as e:  # a corrupt sample must not kill a long run: report it and go on
            logger.warning(f"skipping {sample.source} ({sample.image_path}): {e}")
            return None
        if out is None:
            return None
        return out + [np.array(index, dtype="int64")] if isinstance(out, list) else out


def scan_label_files(label_file_list: List[str], data_dir: str, ratio_list, delimiter: str, seed: int,
                     check_label: LabelCheck, path: str) -> ScanReport:
    if not data_dir or not os.path.isdir(data_dir):
        raise ConfigError(f"{path}.data_dir: directory not found: {data_dir!r}")
    if isinstance(label_file_list, str):
        label_file_list = [label_file_list]
    if not label_file_list:
        raise ConfigError(f"{path}.label_file_list is empty")
    if ratio_list is None:
        ratio_list = [1.0]
    if isinstance(ratio_list, (int, float)):
        ratio_list = [float(ratio_list)]
    if len(ratio_list) == 1:
        ratio_list = list(ratio_list) * len(label_file_list)
    if len(ratio_list) != len(label_file_list):
        raise ConfigError(f"{path}.ratio_list has {len(ratio_list)} entries for {len(label_file_list)} label files")
    total = ScanReport()
    rng = random.Random(seed)
    for label_file, ratio in zip(label_file_list, ratio_list):
        if not os.path.isfile(label_file):
            raise ConfigError(f"{path}.label_file_list: file not found: {label_file}")
        report = scan_label_file(label_file, data_dir, delimiter, check_label)
        samples = report.samples
        if ratio < 1.0:  # PaddleOCR semantics: use this fraction of the file
            samples = rng.sample(samples, max(1, round(len(samples) * ratio))) if samples else samples
        total.samples += samples
        total.problems += report.problems
    return total


@DATASETS.register
class SimpleDataSet(OCRDataset):
    """Images on disk listed in label files: ``relative/path.jpg<TAB>label`` per line."""

    def __init__(self, data_dir: str, label_file_list: List[str], transforms: list, ratio_list=None,
                 delimiter: str = "\t", mode: str = "Train", seed: int = 0, check_label: LabelCheck = check_text_label,
                 ops_context: Optional[Dict[str, Any]] = None):
        path = f"{mode}.dataset"
        self.report = scan_label_files(label_file_list, data_dir, ratio_list, delimiter, seed, check_label, path)
        (logger.warning if self.report.problems else logger.info)(f"{mode} data: {self.report.summary()}")
        if not self.report.samples:
            raise ConfigError(f"{path}: no usable samples in {label_file_list} under {data_dir}")
        super().__init__(self.report.samples, transforms, path, seed, ops_context)
