"""Every shipped YAML loads, builds all its parts and runs one forward/backward step."""
from pathlib import Path

import numpy as np
import paddle
import paddle.nn.functional as F
import pytest

from ppocr.data.imaug import create_operators
from ppocr.engine.runtime import build_components, build_shared
from ppocr.losses import build_loss
from ppocr.modeling.common import upsample_nearest
from ppocr.optimizer import build_optimizer
from ppocr.utils.config import load_merged_config

CONFIGS = sorted(str(p) for p in (Path(__file__).resolve().parents[2] / "configs").rglob("*.yml"))


def det_batch(algorithm, n=2, size=64):
    """DB: [image, threshold_map, threshold_mask, shrink_map, shrink_mask]; EAST: [image, score_map, geo_map,
    training_mask] at stride 4, with one text region."""
    rng = np.random.RandomState(0)
    if algorithm == "EAST":
        m = size // 4
        score = np.zeros((n, 1, m, m))
        score[:, :, 5:8, 3:12] = 1
        geo = rng.uniform(-20, 20, (n, 9, m, m))
        geo[:, 8] = 1 / 12
        fields = [rng.randn(n, 3, size, size), score, geo, np.ones((n, 1, m, m))]
    else:
        shrink = np.zeros((n, size, size))
        shrink[:, 20:30, 10:50] = 1
        fields = [rng.randn(n, 3, size, size), rng.uniform(0.3, 0.7, (n, size, size)), np.ones((n, size, size)),
                  shrink, np.ones((n, size, size))]
    return [paddle.to_tensor(np.asarray(f, "float32")) for f in fields]


def check_det_outputs(algorithm, preds, n, size=64):
    if algorithm == "EAST":
        assert preds["f_score"].shape == [n, 1, size // 4, size // 4]
        assert preds["f_geo"].shape == [n, 8, size // 4, size // 4]
    else:  # probability, threshold and binary maps in training, the probability map alone in eval
        assert preds["maps"].shape == [n, 3 if n == 2 else 1, size, size]


def rec_batch(cfg, shared, n=2):
    """Images at the config's training shape and the encoded labels of 'ab1' and 'Z'."""
    c, h, w = next(op["RecResizeImg"]["image_shape"] for op in cfg["Train"]["dataset"]["transforms"]
                   if "RecResizeImg" in op)
    encoder = create_operators([op for op in cfg["Train"]["dataset"]["transforms"] if "LabelEncode" in str(op)],
                               "Train.dataset.transforms", shared)[0]
    labels = [encoder({"label": t}) for t in ("ab1", "Z")]
    image = paddle.to_tensor(np.random.RandomState(0).uniform(-1, 1, (n, c, h, w)).astype("float32"))
    return [image, paddle.to_tensor(np.stack([d["label"] for d in labels])),
            paddle.to_tensor(np.array([d["length"] for d in labels], "int64"))]


def cls_batch(cfg, n=2):
    """Images at the classifier's shape and the directions '0' and the last of its label_list, encoded."""
    c, h, w = next(op["ClsResizeImg"]["image_shape"] for op in cfg["Train"]["dataset"]["transforms"]
                   if "ClsResizeImg" in op)
    encoder = create_operators([op for op in cfg["Train"]["dataset"]["transforms"] if "ClsLabelEncode" in op],
                               "Train.dataset.transforms")[0]
    labels = [encoder({"label": d})["label"] for d in ("0", encoder.label_list[-1])]
    assert labels == [0, len(encoder.label_list) - 1]
    image = paddle.to_tensor(np.random.RandomState(0).uniform(-1, 1, (n, c, h, w)).astype("float32"))
    return [image, paddle.to_tensor(np.array(labels, "int64"))]


@pytest.mark.parametrize("path", CONFIGS, ids=[Path(p).name for p in CONFIGS])
def test_config_builds_and_trains_one_step(path):
    paddle.seed(0)
    cfg = load_merged_config(path)
    shared = build_shared(cfg)
    for mode in ("Train", "Eval"):
        assert create_operators(cfg[mode]["dataset"]["transforms"], f"{mode}.dataset.transforms", shared)
    model, post_process, metric = build_components(cfg, shared)
    loss_fn = build_loss(cfg["Loss"])
    optimizer, lr = build_optimizer(cfg["Optimizer"], 1, 10, model.parameters())
    assert post_process is not None and metric is not None
    model_type = cfg["Architecture"]["model_type"]
    is_det = model_type == "det"
    algorithm = cfg["Architecture"]["algorithm"]
    batch = det_batch(algorithm) if is_det else cls_batch(cfg) if model_type == "cls" else rec_batch(cfg, shared)
    model.train()
    preds = model(batch[0], batch[1:]) if model.needs_targets else model(batch[0])
    if is_det:
        check_det_outputs(algorithm, preds, 2)
    elif model_type == "cls":
        assert preds["logits"].shape == [2, len(shared["directions"])]
    else:
        assert preds["logits"].shape[0] == 2 and preds["logits"].shape[2] == shared["character"].num_classes
    losses = loss_fn(preds, batch)
    assert np.isfinite(losses["loss"].item())
    losses["loss"].backward()
    trainable = [p for p in model.parameters() if not p.stop_gradient]
    before = [p.numpy().copy() for p in trainable]
    optimizer.step()
    changed = sum(not np.array_equal(b, p.numpy()) for b, p in zip(before, trainable))
    # TPS's last localization layer starts at zero (identity transform), so the layers before it get no
    # gradient in the very first step; everything else must move.
    assert changed >= 0.9 * len(trainable)
    model.eval()
    with paddle.no_grad():
        out = model(batch[0][:1])
    if is_det:
        check_det_outputs(algorithm, out, 1)
    else:
        probs = out["probs"].numpy()
        np.testing.assert_allclose(probs.sum(-1), 1.0, rtol=1e-4)
        assert len(post_process(out)) == 1


def test_upsample_nearest_matches_interpolate():
    x = paddle.rand([2, 3, 5, 7])
    for scale in (2, 4, 8):
        expected = F.interpolate(x, scale_factor=scale, mode="nearest")
        np.testing.assert_array_equal(upsample_nearest(x, scale).numpy(), expected.numpy())


def test_mobilenetv3_stage_widths():
    from ppocr.modeling.backbones.det_mobilenet_v3 import DetMobileNetV3

    assert DetMobileNetV3(model_name="large", scale=0.5).out_channels == [16, 24, 56, 480]
    assert DetMobileNetV3(model_name="small", scale=1.0).out_channels == [16, 24, 48, 576]
    feats = DetMobileNetV3(model_name="large", scale=0.5)(paddle.rand([1, 3, 64, 96]))
    assert [f.shape[2:] for f in feats] == [[16, 24], [8, 12], [4, 6], [2, 3]]  # strides 4, 8, 16, 32


def test_db_loss_is_zero_for_a_perfect_prediction():
    from ppocr.losses.det_db_loss import DBLoss

    batch = det_batch(1, 32)
    gt_shrink, gt_thresh = batch[3], batch[1]
    maps = paddle.stack([gt_shrink, gt_thresh, gt_shrink], axis=1)
    losses = DBLoss()({"maps": maps}, batch)
    assert losses["loss"].item() == pytest.approx(0.0, abs=1e-3)
    wrong = paddle.stack([1 - gt_shrink, gt_thresh * 0, 1 - gt_shrink], axis=1)
    assert DBLoss()({"maps": wrong}, batch)["loss"].item() > 5
