"""Bad input gives one clear message naming the file/line, and never kills a run."""
import logging
import shutil

import numpy as np
import pytest

from ppocr.data.label_scan import check_det_label, scan_label_file
from ppocr.data.lmdb_dataset import LMDBDataSet
from ppocr.data.loader import EpochBatchSampler, build_dataloader, collate_batch, scan_config_section
from ppocr.data.simple_dataset import SimpleDataSet
from ppocr.errors import ConfigError
from ppocr.utils.config import load_merged_config
from ppocr.utils.registry import DATASETS
from tests.conftest import DET_CONFIG, fast_det_overrides

EVAL_OPS = [{"DecodeImage": {"img_mode": "BGR"}}, {"DetLabelEncode": None},
            {"DetResizeForTest": {"image_shape": [64, 64]}}, {"NormalizeImage": None}, {"ToCHWImage": None},
            {"KeepKeys": {"keep_keys": ["image", "shape", "polys", "ignore_tags"]}}]
GOOD = '[{"transcription": "ab", "points": [[1, 1], [20, 1], [20, 9], [1, 9]]}]'


@pytest.fixture
def data_dir(det_data, tmp_path):
    d = tmp_path / "d"
    shutil.copytree(det_data, d)
    return d


def test_prescan_reports_each_problem_with_file_and_line(data_dir):
    label = data_dir / "bad.txt"
    shutil.copy(data_dir / "images" / "000005.jpg", data_dir.parent / "secret.jpg")
    (data_dir / "empty.jpg").write_bytes(b"")
    label.write_text("\n".join([
        f"images/000000.jpg\t{GOOD}",                     # 1 ok
        "images/000001.jpg " + GOOD,                      # 2 space instead of tab
        'images/000002.jpg\t[{"transcription": "a", "points": [[1,1],[2,2]',  # 3 JSON syntax error
        "images/missing.jpg\t" + GOOD,                    # 4 missing image
        "images/000003.jpg\t",                            # 5 empty label
        'images/000004.jpg\t[{"transcription": "a"}]',  # 6 no points
        f"../{data_dir.name}/../secret.jpg\t{GOOD}",      # 7 climbs out of data_dir
        f"{data_dir / 'images' / '000005.jpg'}\t{GOOD}",  # 8 absolute: allowed
    ]) + "\n")
    report = scan_label_file(str(label), str(data_dir), check_label=check_det_label)
    assert len(report.samples) == 2 and report.samples[1].image_path == str(data_dir / "images" / "000005.jpg")
    problems = dict(report.problems)
    assert "use a tab" in problems[f"{label}:2"]
    assert "bad JSON" in problems[f"{label}:3"]
    assert "image not found" in problems[f"{label}:4"] and "missing.jpg" in problems[f"{label}:4"]
    assert problems[f"{label}:5"] == "empty label"
    assert "no 'points'" in problems[f"{label}:6"]
    assert "leads outside data_dir" in problems[f"{label}:7"]


def test_corrupt_and_empty_images_are_skipped_and_named(data_dir, caplog):
    (data_dir / "images" / "000001.jpg").write_bytes(b"")
    (data_dir / "images" / "000002.jpg").write_bytes(b"\xff\xd8 this is not a jpeg")
    ds = SimpleDataSet(str(data_dir), [str(data_dir / "label.txt")], EVAL_OPS, mode="Eval")
    with caplog.at_level(logging.WARNING, logger="ppocr"):
        out = [ds[i] for i in range(3)]
    assert out[0] is not None and out[1] is None and out[2] is None
    text = caplog.text
    assert "label.txt:2" in text and "the file is empty" in text
    assert "label.txt:3" in text and "not a valid image" in text
    batch = collate_batch(out)
    assert int(batch[-1]) == 2 and batch[0].shape == (1, 3, 64, 64)


def test_missing_data_dir_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match=r"Train.dataset.data_dir: directory not found: '.*nope'"):
        SimpleDataSet(str(tmp_path / "nope"), [str(tmp_path / "l.txt")], EVAL_OPS)


def test_missing_label_file_and_bad_ratio_list(data_dir):
    with pytest.raises(ConfigError, match="label_file_list: file not found"):
        SimpleDataSet(str(data_dir), [str(data_dir / "nope.txt")], EVAL_OPS)
    with pytest.raises(ConfigError, match="ratio_list has 2 entries for 1 label files"):
        SimpleDataSet(str(data_dir), [str(data_dir / "label.txt")], EVAL_OPS, ratio_list=[1.0, 0.5])


def test_several_label_files_with_ratio_list(data_dir):
    label = str(data_dir / "label.txt")
    ds = SimpleDataSet(str(data_dir), [label, label], EVAL_OPS, ratio_list=[1.0, 0.5])
    assert len(ds) == 6 + 3


def test_unknown_dataset_name_and_alias():
    with pytest.raises(ConfigError, match="Did you mean 'SimpleDataSet'"):
        DATASETS.get("SimpleDataset")
    assert DATASETS.get("LMDBDateSet") is LMDBDataSet


def test_two_datasets_read_one_lmdb_in_one_process(tmp_path):
    """LMDB refuses a second handle on a file in one process: Train and Eval on the same LMDB share one."""
    from ppocr.synth.generate import GenConfig, generate

    generate(GenConfig("rec", str(tmp_path / "rec"), 3, seed=1, lmdb=True), progress=False)
    ops = [{"DecodeImage": None}, {"KeepKeys": {"keep_keys": ["image", "label"]}}]
    first = DATASETS.build({"name": "LMDBDataSet", "data_dir": str(tmp_path), "transforms": ops}, "Train.dataset")
    image = first[0][0]
    second = DATASETS.build({"name": "LMDBDataSet", "data_dir": str(tmp_path), "transforms": ops}, "Eval.dataset")
    np.testing.assert_array_equal(second[0][0], image)
    assert first[2][1] == second[2][1]


def test_lmdb_dataset_reads_generated_lmdb(tmp_path):
    from ppocr.synth.generate import GenConfig, generate

    generate(GenConfig("rec", str(tmp_path / "rec"), 5, seed=1, lmdb=True), progress=False)
    ops = [{"DecodeImage": None}, {"KeepKeys": {"keep_keys": ["image", "label"]}}]
    ds = DATASETS.build({"name": "LMDBDateSet", "data_dir": str(tmp_path), "transforms": ops}, "Train.dataset")
    assert len(ds) == 5
    image, label, index = ds[4]
    assert image.ndim == 3 and image.shape[2] == 3 and label and int(index) == 4


def test_aspect_ratios_from_headers(tmp_path):
    import cv2

    from ppocr.synth.generate import GenConfig, generate

    generate(GenConfig("rec", str(tmp_path / "rec"), 5, seed=1, lmdb=True), progress=False)
    ops = [{"DecodeImage": None}, {"KeepKeys": {"keep_keys": ["image", "label"]}}]
    ds = DATASETS.build({"name": "LMDBDataSet", "data_dir": str(tmp_path), "transforms": ops}, "Train.dataset")
    ratios = ds.aspect_ratios()
    from ppocr.data import lmdb_dataset

    assert not lmdb_dataset._environments  # closed again: DataLoader workers fork after this and open their own
    decoded = [ds[i][0] for i in range(5)]
    np.testing.assert_allclose(ratios, [im.shape[1] / im.shape[0] for im in decoded], rtol=1e-6)

    (tmp_path / "files").mkdir()
    cv2.imwrite(str(tmp_path / "files" / "a.png"), np.zeros((10, 40, 3), np.uint8))
    (tmp_path / "files" / "b.png").write_bytes(b"not an image")
    (tmp_path / "files" / "label.txt").write_text("a.png\tab\nb.png\tcd\n")
    files = SimpleDataSet(data_dir=str(tmp_path / "files"), label_file_list=[str(tmp_path / "files" / "label.txt")],
                          transforms=ops)
    assert files.aspect_ratios().tolist() == [4.0, 0.0]  # an unreadable header sorts first, is reported at load


def test_sampler_shards_each_epoch_over_ranks_without_overlap():
    shards = [EpochBatchSampler(10, 2, shuffle=True, drop_last=False, seed=3, rank=r, world_size=3) for r in range(3)]
    for s in shards:
        s.set_epoch(1)
    keys = [sum(list(s), []) for s in shards]
    assert [len(k) for k in keys] == [4, 4, 4] and len(shards[0]) == 2  # ceil(10 / 3) = 4 each, padded
    assert set(sum(keys, [])) == set(range(10, 20))  # every sample of epoch 1 is seen
    single = EpochBatchSampler(10, 2, shuffle=True, drop_last=False, seed=3)
    single.set_epoch(1)
    order = sum(list(single), [])
    assert keys[1] == (order + order[:2])[1::3]  # the same epoch order, every third sample


def test_epoch_batch_sampler_is_deterministic_and_resumable():
    s = EpochBatchSampler(10, 3, shuffle=True, drop_last=False, seed=7)
    s.set_epoch(1)
    full = list(s)
    # keys encode the epoch: epoch * num_samples + index
    assert sorted(sum(full, [])) == list(range(10, 20)) and len(full) == len(s) == 4
    s.set_epoch(1, start_batch=2)
    assert list(s) == full[2:]
    s.set_epoch(2)
    assert [[k - 20 for k in b] for b in s] != [[k - 10 for k in b] for b in full]


def test_check_data_scan_on_a_config(data_dir):
    label = data_dir / "label.txt"
    lines = label.read_text().splitlines()
    lines[1] = lines[1].replace("\t", " ", 1)
    label.write_text("\n".join(lines) + "\n")
    cfg = load_merged_config(DET_CONFIG, fast_det_overrides(data_dir, data_dir / "out"))
    report = scan_config_section(cfg, "Train")
    assert len(report.samples) == 5 and report.problems[0][0] == f"{label}:2"


def test_loader_batches_carry_indices_and_skip_count(data_dir):
    cfg = load_merged_config(DET_CONFIG, fast_det_overrides(data_dir, data_dir / "out"))
    loader, ds, sampler = build_dataloader(cfg, "Train")
    batches = list(loader)
    assert len(batches) == 3
    image, *_, indices, skipped = batches[0]
    assert image.shape == [2, 3, 128, 128] and int(skipped.item()) == 0
    assert sorted(np.concatenate([b[-2].numpy() for b in batches]).tolist()) == list(range(6))


def test_check_data_cli_lists_problems_and_exits_1(data_dir):
    from tests.conftest import run_tool

    label = data_dir / "label.txt"
    lines = label.read_text().splitlines()
    lines[2] = lines[2].split("\t")[0] + "\t[{bad json"
    label.write_text("\n".join(lines) + "\n")
    opts = fast_det_overrides(data_dir, data_dir / "out")
    proc = run_tool("tools/check_data.py", "-c", DET_CONFIG, "-o", *opts, check=False)
    assert proc.returncode == 1
    assert "Train: 5 usable samples, 1 bad label lines skipped" in proc.stdout
    assert f"{label}:3: bad JSON" in proc.stdout


def test_length_buckets_keep_batches_alike_deterministic_and_resumable():
    lengths = np.random.RandomState(0).randint(1, 60, size=500)
    s = EpochBatchSampler(500, 8, shuffle=True, drop_last=False, seed=1, lengths=lengths)
    s.set_epoch(3)
    batches = [[k - 1500 for k in b] for b in s]
    assert sorted(sum(batches, [])) == list(range(500)) and len(batches) == len(s) == 63
    spread = np.mean([np.ptp(lengths[b]) for b in batches])
    plain = EpochBatchSampler(500, 8, shuffle=True, drop_last=False, seed=1)
    plain.set_epoch(3)
    assert spread < 0.25 * np.mean([np.ptp(lengths[[k - 1500 for k in b]]) for b in plain])
    s.set_epoch(3, start_batch=10)
    assert [[k - 1500 for k in b] for b in s] == batches[10:]


def test_collate_pads_variable_width_crops():
    from ppocr.data.imaug.rec_img_aug import RecResizeImg

    op = RecResizeImg(image_shape=[3, 32, 100], max_width=400)
    widths = [op({"image": np.full((32, w, 3), 200, np.uint8)})["image"].shape[2] for w in (20, 150, 1000)]
    assert widths == [100, 152, 400]  # at least W, the natural width rounded up to 4, at most max_width
    batch = collate_batch([[np.ones((3, 32, 100)), np.array(1)], None, [np.ones((3, 32, 152)), np.array(2)]])
    image, index, skipped = batch
    assert image.shape == (2, 3, 32, 152) and image[0, :, :, 100:].max() == 0 and int(skipped) == 1


def test_collate_carries_a_page_without_text():
    """Zero-size arrays (a page with no boxes) cannot pass Paddle's loader: they are padded to one zero row."""
    empty = [np.ones((3, 8, 8)), np.zeros((0, 4, 2), np.float32), np.zeros((0,), bool), np.array(0)]
    polys, tags = collate_batch([empty])[1:3]
    assert polys.shape == (1, 1, 4, 2) and not polys.any() and tags.shape == (1, 1) and not tags.any()
    page = [np.ones((3, 8, 8)), np.ones((2, 4, 2), np.float32), np.ones((2,), bool), np.array(1)]
    polys = collate_batch([empty, page])[1]
    assert polys.shape == (2, 2, 4, 2) and not polys[0].any()


def test_worker_processes_read_lmdb_as_the_main_process_does(tmp_path, monkeypatch, caplog):
    """The shipped recognizer's config reads an LMDB with one worker process: the batches hold the samples of
    no worker, with shared memory and without it (the fallback where /dev/shm is small)."""
    import ppocr.data.loader as loader_module
    from ppocr.engine.runtime import build_shared
    from ppocr.synth.generate import GenConfig, generate
    from tests.conftest import ROOT

    generate(GenConfig("rec", str(tmp_path / "rec"), 12, seed=2, lmdb=True), progress=False)

    def batches(workers):
        cfg = load_merged_config(str(ROOT / "configs" / "rec" / "rec_mv3_crnn_en.yml"), [
            f"Train.dataset.data_dir={tmp_path / 'rec'}", "Train.loader.batch_size_per_card=4",
            f"Train.loader.num_workers={workers}"])
        return [[field.numpy() for field in batch[:-1]] for batch in build_dataloader(cfg, "Train", build_shared(cfg))[0]]

    alone = batches(0)
    assert len(alone) == 3 and sorted(np.concatenate([b[-1] for b in alone]).tolist()) == list(range(12))
    runs = [batches(1)]
    monkeypatch.setattr(loader_module, "shared_memory_ok", lambda: False)
    with caplog.at_level("WARNING", logger="ppocr"):
        runs.append(batches(1))
    assert "DataLoader workers run without shared memory" in caplog.text
    for workers in runs:  # the same samples in the same batches (RecAug's draws differ per process)
        assert [b[-1].tolist() for b in workers] == [b[-1].tolist() for b in alone]
        assert [b[0].shape for b in workers] == [b[0].shape for b in alone]


def test_lmdb_labels_are_checked_like_label_files(tmp_path, caplog):
    import lmdb

    from ppocr.synth.generate import GenConfig, generate
    from ppocr.utils.character import CharacterDict

    generate(GenConfig("rec", str(tmp_path / "rec"), 4, seed=1, lmdb=True), progress=False)
    path = tmp_path / "rec" / "lmdb"
    env = lmdb.open(str(path))
    with env.begin(write=True) as txn:
        txn.put(b"label-000000002", b"  ")
        txn.put(b"label-000000003", "caf\u00e9".encode())  # outside the English dictionary
    env.close()
    check = CharacterDict(None, use_space_char=True).problem
    ops = [{"DecodeImage": None}, {"KeepKeys": {"keep_keys": ["image", "label"]}}]
    with caplog.at_level("WARNING", logger="ppocr"):
        ds = LMDBDataSet(str(tmp_path), ops, check_label=check)
    assert len(ds) == 2 and [s.source for s in ds.report.samples] == [f"{path}:1", f"{path}:4"]
    assert ds.report.problems == [(f"{path}:2", "empty label"),
                                  (f"{path}:3", "characters not in the dictionary: '\u00e9'")]
    # one warning names each skipped sample and why
    assert "2 usable samples, 2 bad label lines skipped" in caplog.text and f"{path}:2: empty label" in caplog.text


def test_lmdb_folders_are_found_through_links_and_a_link_loop_ends(tmp_path):
    from ppocr.data.lmdb_dataset import find_lmdb_dirs

    for name in ("a", "b/inner"):
        (tmp_path / "data" / name).mkdir(parents=True)
        (tmp_path / "data" / name / "data.mdb").write_bytes(b"")
    mix = tmp_path / "mix"
    mix.mkdir()
    (mix / "first").symlink_to(tmp_path / "data" / "a")
    (mix / "second").symlink_to(tmp_path / "data" / "b")
    (mix / "loop").symlink_to(mix)  # a link back up the tree: walked once, not forever
    assert find_lmdb_dirs(str(mix)) == [str(mix / "first"), str(mix / "second" / "inner")]
