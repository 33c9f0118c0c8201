"""Dataset and DataLoader construction from the ``Train``/``Eval`` sections."""
from __future__ import annotations

import logging
import os
from typing import Any, Dict, Iterator, List, Optional, Sequence

import numpy as np
from paddle.io import BatchSampler, DataLoader

from ppocr.data import lmdb_dataset, simple_dataset  # noqa: F401  (registers datasets)
from ppocr.data.label_scan import LabelCheck, check_det_label, check_text_label
from ppocr.errors import ConfigError
from ppocr.utils.registry import DATASETS

logger = logging.getLogger("ppocr")


LENGTH_JITTER = 0.25  # log-scale jitter of the bucketing key: crop widths in a batch differ by up to ~1.6x


class EpochBatchSampler(BatchSampler):
    """Batches in an order fixed by (seed, epoch), so a resumed run can skip what it already saw.

    Each yielded key is ``epoch * num_samples + index``: the dataset decodes the epoch from it to seed
    augmentation, which keeps persistent DataLoader workers (forked once) in step with the epoch.
    With ``world_size`` > 1 (data-parallel training) every rank draws the same epoch order and takes every
    ``world_size``-th sample of it from position ``rank``; the order is padded with its first samples so
    that all ranks get the same number of batches.
    """

    def __init__(self, num_samples: int, batch_size: int, shuffle: bool, drop_last: bool, seed: int = 0,
                 rank: int = 0, world_size: int = 1, lengths: Optional[Sequence[int]] = None):
        self.num_samples, self.batch_size = num_samples, batch_size
        self.shuffle, self.drop_last, self.seed = shuffle, drop_last, seed
        self.rank, self.world_size = rank, world_size
        self.per_rank = -(-num_samples // world_size)  # ceil
        self.lengths = None if lengths is None else np.asarray(lengths)
        self.epoch, self.start_batch = 0, 0

    def set_epoch(self, epoch: int, start_batch: int = 0) -> None:
        self.epoch, self.start_batch = epoch, start_batch

    def __iter__(self) -> Iterator[List[int]]:
        rng = np.random.RandomState((self.seed + self.epoch) % (2 ** 32))
        order = rng.permutation(self.num_samples) if self.shuffle else np.arange(self.num_samples)
        if self.world_size > 1:
            order = np.resize(order, self.per_rank * self.world_size)[self.rank::self.world_size]
        if self.lengths is not None:
            batches = self._bucketed(order, rng)
        else:
            batches = [order[b * self.batch_size:(b + 1) * self.batch_size] for b in range(len(self))]
        offset = self.epoch * self.num_samples
        for batch in batches[self.start_batch:]:
            yield (batch + offset).tolist()

    def _bucketed(self, order: np.ndarray, rng: np.random.RandomState) -> List[np.ndarray]:
        """Batches of similar length (crop width): the shuffled order is cut into pools of 64 batches, each
        pool is sorted by length and cut into batches, and the batches are shuffled, so that each batch pads
        little while the epoch stays random. The sort key is jittered by up to +-25%, so that crops also
        meet some padding, as in prediction batches (a model that never saw any reads worse in them)."""
        pool = 64 * self.batch_size
        batches = []
        for start in range(0, len(order), pool):
            chunk = order[start:start + pool]
            keys = self.lengths[chunk] * np.exp(rng.uniform(-LENGTH_JITTER, LENGTH_JITTER, len(chunk)))
            chunk = chunk[np.argsort(keys, kind="stable")]
            batches += [chunk[i:i + self.batch_size] for i in range(0, len(chunk), self.batch_size)]
        if self.drop_last:
            batches = [b for b in batches if len(b) == self.batch_size]
        if self.shuffle:
            batches = [batches[i] for i in rng.permutation(len(batches))]
        return batches[:len(self)]

    def __len__(self) -> int:
        full, rest = divmod(self.per_rank, self.batch_size)
        return full + (0 if self.drop_last or rest == 0 else 1)


def collate_batch(samples: List[Optional[list]]) -> list:
    """Stack the usable samples' fields (the last is each sample's dataset index); append the skipped count.
    Arrays of different sizes (variable-width recognition crops) are zero-padded to the largest."""
    good = [s for s in samples if s is not None]
    skipped = np.array(len(samples) - len(good), dtype="int64")
    if not good:
        return [skipped]
    fields = [_stack_padded([np.asarray(s[i]) for s in good]) for i in range(len(good[0]))]
    return fields + [skipped]


def _stack_padded(arrays: List[np.ndarray]) -> np.ndarray:
    shapes = {a.shape for a in arrays}
    if len(shapes) == 1 and arrays[0].size:
        return np.stack(arrays)
    # Paddle's loader cannot carry zero-size arrays (the polys of a page without text are [0, 4, 2]), so
    # empty dimensions are zero-padded to 1 like unequal ones; zero rows mean nothing to the consumers
    # (DetMetric skips ground truths of zero area).
    target = np.maximum(np.max(np.array([a.shape for a in arrays]), axis=0), 1)
    return np.stack([np.pad(a, [(0, t - n) for n, t in zip(a.shape, target)]) for a in arrays])


def _init_worker(worker_id: int) -> None:
    """Ctrl-C is for the trainer, which saves and then stops the workers; a worker that inherited the
    trainer's handler would log the signal again, so it ignores SIGINT. (SIGTERM is left to Paddle's own
    worker shutdown.) Only a signal disposition changes here: nothing that could take a lock after fork."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def label_check_for(model_type: str, shared: Optional[Dict[str, Any]] = None, transforms=None) -> LabelCheck:
    """Detection labels must be valid JSON boxes; recognition labels must fit the dictionary and length;
    direction labels must be one of the classifier's directions, unless ``transforms`` make them from the
    crops (RandomDirectionLabel: the labels are then texts, which it replaces)."""
    if model_type == "det":
        return check_det_label
    if model_type == "cls":
        if any("RandomDirectionLabel" in entry for entry in transforms or []):
            return check_text_label
        directions = (shared or {}).get("directions", [])

        def check_direction(label: str) -> Optional[str]:
            return None if label.strip() in directions else f"label {label!r} is not one of label_list {directions}"

        return check_direction
    if shared and "character" in shared:
        character, max_len = shared["character"], shared["max_text_length"]
        return lambda text: character.problem(text, max_len)
    return check_text_label


def build_dataset(config: Dict[str, Any], mode: str, shared: Optional[Dict[str, Any]] = None):
    """``shared`` (see ``ppocr.engine.runtime.build_shared``) reaches the ops that take it and the label check."""
    section = config.get(mode)
    if not section or "dataset" not in section:
        raise ConfigError(f"config has no {mode}.dataset section")
    model_type = config.get("Architecture", {}).get("model_type", "det")
    seed = int(config.get("Global", {}).get("seed") or 0)
    return DATASETS.build(section["dataset"], f"{mode}.dataset", mode=mode, seed=seed,
                          check_label=label_check_for(model_type, shared, section["dataset"].get("transforms")),
                          ops_context=shared or {})


def scan_config_section(config: Dict[str, Any], mode: str, shared: Optional[Dict[str, Any]] = None):
    """The pre-scan alone (what tools/check_data.py prints): a ``ScanReport`` for ``mode``'s dataset."""
    ds = config[mode]["dataset"]
    model_type = config.get("Architecture", {}).get("model_type", "det")
    if DATASETS.get(ds.get("name", ""), f"{mode}.dataset.name") is simple_dataset.SimpleDataSet:
        return simple_dataset.scan_label_files(ds.get("label_file_list"), ds.get("data_dir"), ds.get("ratio_list"),
                                               ds.get("delimiter", "\t"), 0,
                                               label_check_for(model_type, shared, ds.get("transforms")),
                                               f"{mode}.dataset")
    return build_dataset(config, mode, shared).report


def shared_memory_ok() -> bool:
    """Workers pass batches through /dev/shm; fall back when it is missing or tiny (e.g. in containers)."""
    try:
        st = os.statvfs("/dev/shm")
        return st.f_bavail * st.f_frsize > 1 << 30
    except OSError:
        return False


def build_dataloader(config: Dict[str, Any], mode: str, shared: Optional[Dict[str, Any]] = None, rank: int = 0,
                     world_size: int = 1):
    """Return ``(loader, dataset, batch_sampler)``. Each batch is ``fields + [indices, skipped_count]``;
    with ``world_size`` > 1 the sampler gives this ``rank`` its share of every epoch."""
    dataset = build_dataset(config, mode, shared)
    loader_cfg = config[mode].get("loader", {}) or {}
    batch_size = int(loader_cfg.get("batch_size_per_card", 1))
    num_workers = int(loader_cfg.get("num_workers", 0))
    # Bucket by crop width, which is what inference batches by (crops sorted by aspect ratio): a model
    # trained on batches padded well beyond each crop learns to rely on the padding and drops characters
    # and spaces when it reads a crop alone (measured: 0.75 word accuracy in padded batches, 0.48 alone).
    lengths = dataset.aspect_ratios() if loader_cfg.get("bucket_by_length") else None
    sampler = EpochBatchSampler(len(dataset), batch_size, bool(loader_cfg.get("shuffle", mode == "Train")),
                                bool(loader_cfg.get("drop_last", mode == "Train")) and len(dataset) >= batch_size,
                                seed=int(config.get("Global", {}).get("seed") or 0), rank=rank, world_size=world_size,
                                lengths=lengths)
    use_shm = bool(loader_cfg.get("use_shared_memory", True))
    if num_workers > 0 and use_shm and not shared_memory_ok():
        logger.warning("/dev/shm is missing or smaller than 1 GiB: DataLoader workers run without shared "
                       "memory (slower). Mount a larger /dev/shm or set loader.num_workers: 0.")
        use_shm = False
    # Persistent workers are forked once, before training starts threads: forking a process whose
    # OpenCV/OpenMP pools hold locks can deadlock the child (seen at the second epoch).
    loader = DataLoader(dataset, batch_sampler=sampler, num_workers=num_workers, collate_fn=collate_batch,
                        use_shared_memory=use_shm, return_list=True, persistent_workers=num_workers > 0,
                        worker_init_fn=_init_worker if num_workers > 0 else None)
    return loader, dataset, sampler
