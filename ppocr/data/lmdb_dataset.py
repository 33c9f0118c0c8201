"""LMDB datasets in PaddleOCR's layout (ppocr/data/lmdb_format.py)."""
from __future__ import annotations

import logging
import os
from typing import Any, Dict, Iterator, List, Optional, Tuple

import lmdb
import numpy as np

from ppocr.data.label_scan import LabelCheck, Sample, ScanReport, check_text_label
from ppocr.data.lmdb_format import NUM_SAMPLES_KEY, image_key, label_key
from ppocr.data.simple_dataset import OCRDataset
from ppocr.errors import ConfigError
from ppocr.utils.registry import DATASETS

logger = logging.getLogger("ppocr")


def find_lmdb_dirs(root: str) -> List[str]:
    """The folders under ``root`` that hold an LMDB, symbolic links followed (a training set may be a folder of
    links to LMDBs); a folder reached twice, as a link back up the tree would make it, is walked once."""
    found, walked = [], set()
    for folder, subfolders, files in os.walk(root, followlinks=True):
        real = os.path.realpath(folder)
        if real in walked:
            subfolders[:] = []
            continue
        walked.add(real)
        if "data.mdb" in files:
            found.append(folder)
    return sorted(found)


# LMDB allows one handle per file per process (a second lmdb.open of the same path fails), and a handle must
# not cross a fork: each process keeps its own, shared by every dataset that reads the file.
_environments: Dict[Tuple[int, str], lmdb.Environment] = {}


def environment(path: str) -> lmdb.Environment:
    """This process's read-only handle on the LMDB in ``path``."""
    key = (os.getpid(), os.path.realpath(path))
    if key not in _environments:
        _environments[key] = lmdb.open(path, max_readers=32, readonly=True, lock=False, readahead=False,
                                       meminit=False)
    return _environments[key]


def close_environments() -> None:
    """Close this process's handles (before DataLoader workers fork; they open their own)."""
    for key in [k for k in _environments if k[0] == os.getpid()]:
        _environments.pop(key).close()


def lmdb_labels(path: str) -> Iterator[Tuple[int, str]]:
    """``(index, label)`` of every sample of the LMDB in ``path`` (1-based, as the keys); "" where the
    label is missing."""
    with environment(path).begin(write=False) as txn:
        for i in range(1, int(txn.get(NUM_SAMPLES_KEY) or 0) + 1):
            raw = txn.get(label_key(i))
            yield i, raw.decode("utf-8", "replace") if raw is not None else ""


@DATASETS.register(aliases=["LMDBDateSet"])
class LMDBDataSet(OCRDataset):
    """Every LMDB under ``data_dir`` (searched recursively); labels are checked like label files."""

    def __init__(self, data_dir: str, transforms: list, mode: str = "Train", seed: int = 0,
                 check_label: LabelCheck = check_text_label, label_file_list=None, ratio_list=None,
                 ops_context: Optional[Dict[str, Any]] = None):
        path = f"{mode}.dataset"
        if not data_dir or not os.path.isdir(data_dir):
            raise ConfigError(f"{path}.data_dir: directory not found: {data_dir!r}")
        self.dirs = find_lmdb_dirs(data_dir)
        if not self.dirs:
            raise ConfigError(f"{path}.data_dir: no LMDB (data.mdb) found under {data_dir}")
        self.report = ScanReport()
        samples, problems = self.report.samples, self.report.problems
        for d in self.dirs:
            for i, label in lmdb_labels(d):
                where = f"{d}:{i}"
                problem = "empty label" if not label.strip() else check_label(label)
                if problem:
                    problems.append((where, problem))
                else:
                    samples.append(Sample(image_path=f"{d}::{i}", label=label, source=where))
        (logger.warning if problems else logger.info)(f"{mode} data ({len(self.dirs)} LMDB dirs): "
                                                      f"{self.report.summary()}")
        close_environments()  # DataLoader workers may fork after this: none may inherit a handle
        if not samples:
            raise ConfigError(f"{path}: no usable samples in the LMDBs under {data_dir}")
        super().__init__(samples, transforms, path, seed, ops_context)

    def aspect_ratios(self) -> np.ndarray:
        ratios = super().aspect_ratios()
        close_environments()  # reading the sizes opened them again
        return ratios

    def load(self, sample: Sample) -> Dict[str, Any]:
        d, i = sample.image_path.rsplit("::", 1)
        with environment(d).begin(write=False) as txn:
            image = txn.get(image_key(i))
        if image is None:
            raise ValueError(f"missing image-{int(i):09d} in {d}")
        return {"img_path": sample.image_path, "image": image, "label": sample.label}
