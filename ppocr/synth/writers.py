"""Output writers: an image folder with one ``label.txt``, or a PaddleOCR-style LMDB.

Samples must be written in index order (the generator guarantees this) so that the
label file is identical whatever the number of worker processes.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Optional, Union

from ppocr.data.lmdb_format import NUM_SAMPLES_KEY, image_key, label_key

LABEL_FILE = "label.txt"
IMAGE_DIR = "images"
LMDB_DIR = "lmdb"
_IMAGE_NAME = re.compile(r"^\d{6,}\.jpg$")


def image_name(index: int) -> str:
    """Relative path of sample ``index`` (0-based): ``images/000000.jpg``."""
    return f"{IMAGE_DIR}/{index:06d}.jpg"


class FolderWriter:
    """Writes ``DIR/images/NNNNNN.jpg`` and ``DIR/label.txt`` (``relpath<TAB>label`` lines)."""

    def __init__(self, out_dir: Union[str, os.PathLike], num: Optional[int] = None):
        self.out_dir = Path(out_dir)
        (self.out_dir / IMAGE_DIR).mkdir(parents=True, exist_ok=True)
        if num is not None:
            self._remove_stale(num)
        self._tmp = self.out_dir / (LABEL_FILE + ".partial")
        self._labels = open(self._tmp, "w", encoding="utf-8", newline="\n")
        self.count = 0

    def _remove_stale(self, num: int) -> None:
        # A previous larger run into the same folder would leave unlabelled images behind.
        for p in (self.out_dir / IMAGE_DIR).iterdir():
            if _IMAGE_NAME.match(p.name) and int(p.stem) >= num:
                p.unlink()

    @property
    def label_path(self) -> Path:
        """Where the label file ends up."""
        return self.out_dir / LABEL_FILE

    def write(self, index: int, image: bytes, label: str) -> None:
        """Store one encoded image and its label string (no tabs/newlines in paths)."""
        rel = image_name(index)
        with open(self.out_dir / rel, "wb") as f:
            f.write(image)
        self._labels.write(f"{rel}\t{label}\n")
        self.count += 1

    def close(self) -> None:
        """Finish the label file (renamed into place so a crash leaves no half file)."""
        if not self._labels.closed:
            self._labels.close()
            os.replace(self._tmp, self.label_path)

    def __enter__(self) -> "FolderWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self._labels.close()
            self._tmp.unlink(missing_ok=True)


class LmdbWriter:
    """Writes an LMDB at ``DIR/lmdb`` in PaddleOCR's layout (ppocr/data/lmdb_format.py)."""

    def __init__(self, out_dir: Union[str, os.PathLike], map_size: int = 1 << 36,
                 commit_every: int = 1000):
        import lmdb  # optional dependency: only needed for --lmdb

        self.path = Path(out_dir) / LMDB_DIR
        self.path.mkdir(parents=True, exist_ok=True)
        for stale in ("data.mdb", "lock.mdb"):
            (self.path / stale).unlink(missing_ok=True)
        self.env = lmdb.open(str(self.path), map_size=map_size, subdir=True, lock=True)
        self.commit_every = commit_every
        self._txn = self.env.begin(write=True)
        self.count = 0

    @property
    def label_path(self) -> Path:
        """The LMDB directory (reported in the summary line)."""
        return self.path

    def write(self, index: int, image: bytes, label: str) -> None:
        """Store sample ``index`` (0-based) under LMDB index ``index + 1``."""
        key = index + 1
        self._txn.put(image_key(key), image)
        self._txn.put(label_key(key), label.encode("utf-8"))
        self.count += 1
        if self.count % self.commit_every == 0:
            self._txn.commit()
            self._txn = self.env.begin(write=True)

    def close(self) -> None:
        """Write ``num-samples`` and close the environment."""
        if self._txn is not None:
            self._txn.put(NUM_SAMPLES_KEY, str(self.count).encode())
            self._txn.commit()
            self._txn = None
            self.env.sync()
            self.env.close()

    def __enter__(self) -> "LmdbWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        elif self._txn is not None:
            self._txn.abort()
            self._txn = None
            self.env.close()
