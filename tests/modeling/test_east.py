"""EAST and ResNet50_vd: geometry targets against hand-computed offsets, restoring quads, locality-aware NMS,
the loss on known errors, and the detection backbone's strides."""
import numpy as np
import paddle
import pytest

from ppocr.data.imaug.make_east_map import MakeEastMap, quad_short_side
from ppocr.losses.det_east_loss import EASTLoss
from ppocr.modeling.backbones.det_resnet_vd import DetResNetVd
from ppocr.postprocess.east_postprocess import EASTPostProcess, restore_quads
from ppocr.postprocess.locality_aware_nms import locality_aware_nms, merge_adjacent, standard_nms

QUAD = np.array([[8, 8], [56, 8], [56, 32], [8, 32]], np.float32)  # 48 x 24 px


def east_maps(quads, texts=None, size=64):
    data = {"image": np.zeros((size, size, 3), np.uint8), "polys": np.array(quads, np.float32),
            "ignore_tags": np.array([t == "###" for t in (texts or ["a"] * len(quads))])}
    return MakeEastMap(min_text_size=10, shrink_ratio=0.3)(data)


def test_geometry_of_a_known_quad_matches_hand_computed_offsets():
    out = east_maps([QUAD])
    score, geo, mask = out["score_map"][0], out["geo_map"], out["training_mask"][0]
    assert score.shape == (16, 16) and geo.shape == (9, 16, 16) and mask.min() == 1
    # Map pixel (row 5, col 6) stands for input point (24, 20): offsets are vertex minus point.
    assert score[5, 6] == 1
    assert geo[:8, 5, 6].tolist() == [8 - 24, 8 - 20, 56 - 24, 8 - 20, 56 - 24, 32 - 20, 8 - 24, 32 - 20]
    assert geo[8, 5, 6] == pytest.approx(1 / 24)
    # Only the quad shrunk by 0.3 x 24 = 7.2 px is positive: its points lie within (15.2..48.8, 15.2..24.8).
    rows, cols = np.nonzero(score)
    assert 4 * cols.min() >= 15.2 - 2 and 4 * cols.max() <= 48.8 + 2
    assert 4 * rows.min() >= 15.2 - 2 and 4 * rows.max() <= 24.8 + 2
    assert score[0, 0] == 0 and geo[:, 0, 0].tolist() == [0] * 9


def test_ignored_and_tiny_quads_are_masked_not_targets():
    tiny = np.array([[40, 44], [60, 44], [60, 50], [40, 50]], np.float32)  # 6 px high < min_text_size 10
    out = east_maps([QUAD, tiny], ["###", "ok"])
    assert out["score_map"].sum() == 0
    mask = out["training_mask"][0]
    assert mask[5, 6] == 0 and mask[12, 12] == 0 and mask[0, 0] == 1
    assert quad_short_side(tiny) == 6


def test_restore_returns_the_original_quad_and_postprocess_finds_it():
    out = east_maps([QUAD])
    quads, scores = restore_quads(out["score_map"][0], out["geo_map"], score_thresh=0.5)
    assert len(quads) == int(out["score_map"].sum()) and np.allclose(quads, QUAD[None], atol=1e-4)
    post = EASTPostProcess(score_thresh=0.8, cover_thresh=0.1, nms_thresh=0.2)
    result = post({"f_score": out["score_map"][None], "f_geo": out["geo_map"][None, :8]},
                  np.array([[64, 64, 1.0, 1.0]]))[0]
    assert result["points"].shape == (1, 4, 2) and np.allclose(result["points"][0], QUAD, atol=1e-3)
    # An input resized by 0.5 maps back to the original image's coordinates.
    half = post({"f_score": out["score_map"][None], "f_geo": out["geo_map"][None, :8]},
                np.array([[128, 128, 0.5, 0.5]]))[0]
    assert np.allclose(half["points"][0], 2 * QUAD, atol=1e-3)


def box(x0, y0, x1, y1):
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32)


def test_lanms_merges_overlapping_quads_of_one_word_and_keeps_words_apart():
    quads = np.stack([box(0, 0, 40, 10), box(1, 0, 41, 10), box(100, 0, 140, 10)])
    scores = np.array([1.0, 3.0, 2.0], np.float32)
    merged, totals = merge_adjacent(quads, scores, 0.2)
    assert len(merged) == 2 and totals.tolist() == [4.0, 2.0]
    assert np.allclose(merged[0], box(0.75, 0, 40.75, 10))  # weighted by score: (1 * 0 + 3 * 1) / 4
    kept, kept_scores = locality_aware_nms(quads, scores, 0.2)
    assert len(kept) == 2 and sorted(kept[:, 0, 0].tolist()) == [0.75, 100.0]


def test_standard_nms_suppresses_overlaps_but_not_neighbours():
    quads = np.stack([box(0, 0, 40, 10), box(50, 0, 90, 10), box(2, 1, 42, 11)])
    keep = standard_nms(quads, np.array([0.5, 0.7, 0.9], np.float32), 0.2)
    assert keep.tolist() == [2, 1]  # box 0 overlaps the higher-scoring box 2; box 1 stands alone


def test_lanms_keeps_only_the_highest_scoring_candidates_beyond_the_cap():
    quads = np.stack([box(50 * k, 0, 50 * k + 40, 10) for k in range(6)])  # six separate words
    scores = np.array([0.1, 0.9, 0.2, 0.8, 0.3, 0.7], np.float32)
    kept, kept_scores = locality_aware_nms(quads, scores, 0.2, max_candidates=3)
    assert sorted(kept[:, 0, 0].tolist()) == [50.0, 150.0, 250.0]
    assert sorted(kept_scores.tolist(), reverse=True) == pytest.approx([0.9, 0.8, 0.7])


def test_east_loss_is_zero_for_perfect_maps_and_hand_computed_for_offsets():
    out = east_maps([QUAD])
    batch = [None] + [paddle.to_tensor(out[k][None]) for k in ("score_map", "geo_map", "training_mask")]
    loss = EASTLoss()
    perfect = loss({"f_score": batch[1], "f_geo": batch[2][:, :8]}, batch)
    assert float(perfect["loss_geo"]) == pytest.approx(0, abs=1e-6)
    assert float(perfect["loss_score"]) == pytest.approx(0, abs=1e-5)
    # Every offset 2 px off: smooth L1 = 1.5 per coordinate, x 8 / (8 x 24) per text pixel.
    off = loss({"f_score": batch[1], "f_geo": batch[2][:, :8] + 2.0}, batch)
    assert float(off["loss_geo"]) == pytest.approx(1.5 / 24, rel=1e-4)


def test_resnet50_vd_detection_strides_and_channels():
    net = DetResNetVd(layers=50)
    net.eval()
    outs = net(paddle.zeros([1, 3, 64, 96]))
    assert net.out_channels == [256, 512, 1024, 2048]
    assert [list(o.shape) for o in outs] == [[1, 256, 16, 24], [1, 512, 8, 12], [1, 1024, 4, 6], [1, 2048, 2, 3]]


def test_paddleocr_east_process_train_op_gives_the_same_fields():
    """A PaddleOCR 2.0 EAST config's EASTProcessTrain step yields a normalised CHW image and the EAST maps."""
    from ppocr.data.imaug import create_operators, transform

    ops = create_operators([{"EASTProcessTrain": {"image_shape": [128, 128], "background_ratio": 0.5,
                                                  "min_crop_side_ratio": 0.1, "min_text_size": 4}},
                            {"KeepKeys": {"keep_keys": ["image", "score_map", "geo_map", "training_mask"]}}])
    np.random.seed(0)
    for _ in range(6):
        data = {"image": np.full((100, 160, 3), 255, np.uint8), "polys": np.array([QUAD]),
                "ignore_tags": np.array([False]), "texts": ["word"]}
        data["image"][10:30, 10:50] = 0
        image, score, geo, mask = transform(data, ops)
        assert image.shape == (3, 128, 128) and image.dtype == np.float32 and image.min() < -1
        assert score.shape == (1, 32, 32) and geo.shape == (9, 32, 32) and mask.shape == (1, 32, 32)
