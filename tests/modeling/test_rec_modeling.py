"""Recognition modeling: backbone/neck shapes, TPS identity, attention decoding and export, CTC/attention
losses, and one train step through the four PaddleOCR 2.0 recognition architectures."""
import numpy as np
import paddle
import pytest
from paddle.static import InputSpec

from ppocr.errors import ConfigError
from ppocr.losses import build_loss
from ppocr.modeling.architectures import build_model
from ppocr.modeling.backbones.rec_mobilenet_v3 import RecMobileNetV3
from ppocr.modeling.backbones.rec_resnet_vd import BasicBlock, BottleneckBlock, RecResNetVd
from ppocr.modeling.heads.rec_att_head import AttentionHead
from ppocr.modeling.necks.rnn import SequenceEncoder
from ppocr.modeling.transforms.tps import TPS

NUM_CLASSES = 12  # attention layout: 0 = sos, 11 = eos; CTC layout: 0 = blank


@pytest.fixture(autouse=True)
def _seed():
    paddle.seed(0)
    np.random.seed(0)


def smooth_image(n=1, h=32, w=100) -> np.ndarray:
    """Low-frequency pattern: bilinear resampling of it is accurate, so identity checks can be tight."""
    yy, xx = np.mgrid[0:h, 0:w].astype("float32")
    img = np.stack([np.sin(xx / 7 + c) * np.cos(yy / 5 - c) for c in range(3)])
    return np.repeat(img[None], n, axis=0).astype("float32")


# ---------------------------------------------------------------- backbones and neck

@pytest.mark.parametrize("make,channels", [
    (lambda: RecMobileNetV3(model_name="small", scale=0.5), 288),
    (lambda: RecMobileNetV3(model_name="large", scale=0.5), 480),
    (lambda: RecResNetVd(layers=34), 512),
], ids=["mv3-small", "mv3-large", "resnet34"])
def test_backbone_output_shapes(make, channels):
    model = make()
    model.eval()
    assert model.out_channels == channels
    with paddle.no_grad():
        for width in (100, 320):
            assert model(paddle.rand([2, 3, 32, width])).shape == [2, channels, 1, width // 4]


def test_resnet_depths_and_bad_layers():
    assert RecResNetVd(layers=18).out_channels == 512
    r50 = RecResNetVd(layers=50)
    assert r50.out_channels == 2048
    assert isinstance(r50.blocks[0], BottleneckBlock)
    with pytest.raises(ConfigError, match="18, 34, 50"):
        RecResNetVd(layers=101)
    # The blocks are reusable with a plain int stride (detection) as well as (2, 1) (recognition).
    block = BasicBlock(8, 16, stride=2)
    assert block(paddle.rand([1, 8, 9, 9])).shape == [1, 16, 5, 5]  # ceil_mode shortcut pool matches conv


def test_mobilenet_bad_strides():
    with pytest.raises(ConfigError, match="small_stride"):
        RecMobileNetV3(model_name="small", small_stride=[2, 2, 2])


@pytest.mark.parametrize("encoder_type,hidden,out", [("reshape", 48, 40), ("rnn", 48, 96), ("fc", 48, 48)])
def test_sequence_encoder_shapes(encoder_type, hidden, out):
    neck = SequenceEncoder(40, encoder_type=encoder_type, hidden_size=hidden)
    assert neck.out_channels == out
    assert neck(paddle.rand([2, 40, 1, 25])).shape == [2, 25, out]


def test_sequence_encoder_errors():
    with pytest.raises(ConfigError, match="reshape, rnn, fc"):
        SequenceEncoder(40, encoder_type="transformer")
    with pytest.raises(ValueError, match="height to 1"):
        SequenceEncoder(40, encoder_type="reshape")(paddle.rand([1, 40, 2, 25]))


# ---------------------------------------------------------------- TPS

def test_tps_is_identity_at_init_and_trains():
    tps = TPS(in_channels=3, num_fiducial=20, loc_lr=0.1, model_name="small")
    tps.train()
    img = smooth_image()
    x = paddle.to_tensor(img)  # stop_gradient=True, the case that segfaults grid_sample's backward
    y = tps(x)
    assert y.shape == [1, 3, 32, 100] and tps.out_channels == 3
    diff = np.abs(y.numpy() - img)
    # Measured: mean 2.4e-5, max 7.9e-4 (float32 round-off in the TPS solve, not a geometric shift).
    assert diff.mean() < 1e-3 and diff.max() < 3e-3, (diff.mean(), diff.max())
    assert x.stop_gradient  # the caller's tensor is not modified
    y.square().mean().backward()
    grad = tps.loc_net.fc2.weight.grad
    assert grad is not None and np.isfinite(grad.numpy()).all() and np.abs(grad.numpy()).sum() > 0
    assert tps.loc_net.fc2.weight.optimize_attr["learning_rate"] == 0.1


def test_tps_exports_with_to_static():
    tps = TPS()
    tps.eval()
    static = paddle.jit.to_static(tps, input_spec=[InputSpec([None, 3, 32, 100], "float32", "x")],
                                  full_graph=True)
    x = paddle.to_tensor(smooth_image(2))
    np.testing.assert_allclose(static(x).numpy(), tps(x).numpy(), atol=1e-5)


# ---------------------------------------------------------------- attention head

def make_att_head(max_text_length=6):
    return AttentionHead(in_channels=16, out_channels=NUM_CLASSES, hidden_size=32, max_text_length=max_text_length)


@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_attention_head_train_shape(cell):
    head = AttentionHead(16, NUM_CLASSES, hidden_size=32, cell=cell, max_text_length=6)
    head.train()
    label = paddle.to_tensor([[0, 3, 4, 11, 11, 11, 11, 11]] * 2, dtype="int64")  # L = 6 -> [N, L+2]
    out = head(paddle.rand([2, 25, 16]), targets=[label, paddle.to_tensor([2, 2], dtype="int64")])
    assert list(out) == ["logits"] and out["logits"].shape == [2, 7, NUM_CLASSES]
    with pytest.raises(ValueError, match="targets"):
        head(paddle.rand([2, 25, 16]))


def test_attention_head_greedy_decodes_eos_when_forced():
    head = make_att_head()
    head.eval()
    bias = np.zeros(NUM_CLASSES, "float32")
    bias[NUM_CLASSES - 1] = 100.0  # eos dominates from the first step whatever the state
    head.generator.bias.set_value(bias)
    probs = head(paddle.rand([3, 25, 16]))["probs"]
    assert probs.shape == [3, 7, NUM_CLASSES]
    assert (probs.numpy().argmax(-1) == NUM_CLASSES - 1).all()
    np.testing.assert_allclose(probs.numpy().sum(-1), 1.0, rtol=1e-5)


def test_attention_head_exports_with_to_static():
    head = make_att_head()
    head.eval()
    x = paddle.rand([2, 25, 16])
    expected = head(x)["probs"].numpy()
    static = paddle.jit.to_static(head, input_spec=[InputSpec([None, 25, 16], "float32", "x")], full_graph=True)
    np.testing.assert_allclose(static(x)["probs"].numpy(), expected, atol=1e-5)


# ---------------------------------------------------------------- losses

def ctc_logits(path, num_classes=4, strength=20.0):
    """[1, T, C] logits with a margin of ``strength`` on the given per-step classes."""
    logits = np.zeros((1, len(path), num_classes), "float32")
    logits[0, np.arange(len(path)), path] = strength
    return paddle.to_tensor(logits, stop_gradient=False)


def test_ctc_loss_hand_checked():
    loss_fn = build_loss({"name": "CTCLoss"})
    batch = [None, paddle.to_tensor([[1, 2, 0]], dtype="int64"), paddle.to_tensor([2], dtype="int64")]
    right = ctc_logits([1, 1, 0, 2, 2])  # collapses to "1 2"
    good = loss_fn({"logits": right}, batch)["loss"]
    assert good.item() < 1e-3
    good.backward()
    assert np.isfinite(right.grad.numpy()).all()
    wrong = loss_fn({"logits": ctc_logits([3, 3, 0, 3, 3])}, batch)["loss"]
    assert wrong.item() > 20.0  # at least one step must pay the full 20-logit margin
    uniform = loss_fn({"logits": paddle.zeros([2, 5, 4])}, [None, paddle.to_tensor([[1, 2, 0]] * 2),
                                                            paddle.to_tensor([2, 2])])["loss"]
    # All paths equally likely: loss = -log(#alignments / 4^5). Counted by hand (and by brute force): 35 of
    # the 1024 length-5 paths collapse to "1 2" (blank = 0, repeats merged).
    np.testing.assert_allclose(uniform.item(), -np.log(35 / 4 ** 5), rtol=1e-4)


def test_ctc_focal_loss_is_smaller():
    batch = [None, paddle.to_tensor([[1, 2]]), paddle.to_tensor([2])]
    logits = {"logits": paddle.rand([1, 5, 4])}
    plain = build_loss({"name": "CTCLoss"})(logits, batch)["loss"].item()
    focal = build_loss({"name": "CTCLoss", "use_focal_loss": True})(logits, batch)["loss"].item()
    assert 0 < focal < plain


def test_attention_loss_masks_after_first_eos():
    loss_fn = build_loss({"name": "AttentionLoss"})
    eos = NUM_CLASSES - 1
    label = np.array([[0, 3, 4, eos, eos, eos]], "int64")  # L = 4: logits have 5 steps
    targets = label[0, 1:]
    logits = np.full((1, 5, NUM_CLASSES), -10.0, "float32")
    logits[0, np.arange(5), targets] = 10.0
    batch = [None, paddle.to_tensor(label), paddle.to_tensor([2], dtype="int64")]
    assert loss_fn({"logits": paddle.to_tensor(logits)}, batch)["loss"].item() < 1e-6
    logits[0, 3:, :] = 0.0  # garbage after the first eos (steps 3, 4) is not counted
    assert loss_fn({"logits": paddle.to_tensor(logits)}, batch)["loss"].item() < 1e-6
    logits[0, 2, :] = 0.0  # ... but the eos itself is: uniform there costs log(C) over 3 counted steps
    np.testing.assert_allclose(loss_fn({"logits": paddle.to_tensor(logits)}, batch)["loss"].item(),
                               np.log(NUM_CLASSES) / 3, rtol=1e-4)


# ---------------------------------------------------------------- whole models

MV3_SMALL = {"name": "MobileNetV3", "model_name": "small", "scale": 0.5, "small_stride": [1, 2, 2, 2]}
MV3_LARGE = {"name": "MobileNetV3", "model_name": "large", "scale": 0.5}
ARCHS = {
    "mv3-small_none_bilstm_ctc": (None, MV3_SMALL, {"encoder_type": "rnn", "hidden_size": 48}, "CTCHead"),
    "mv3-large_none_none_ctc": (None, MV3_LARGE, {"encoder_type": "reshape"}, "CTCHead"),
    "mv3-large_tps_bilstm_ctc": ({"name": "TPS", "num_fiducial": 20, "loc_lr": 0.1, "model_name": "small"},
                                 MV3_LARGE, {"encoder_type": "rnn", "hidden_size": 96}, "CTCHead"),
    "mv3-large_tps_bilstm_att": ({"name": "TPS", "num_fiducial": 20, "loc_lr": 0.1, "model_name": "small"},
                                 MV3_LARGE, {"encoder_type": "rnn", "hidden_size": 96}, "AttentionHead"),
    "r34_none_bilstm_ctc": (None, {"name": "ResNet", "layers": 34}, {"encoder_type": "rnn", "hidden_size": 256},
                            "CTCHead"),
}


def rec_arch(name):
    transform, backbone, neck, head = ARCHS[name]
    return {"model_type": "rec", "algorithm": "Att" if head == "AttentionHead" else "CRNN",
            "Transform": transform, "Backbone": backbone, "Neck": {"name": "SequenceEncoder", **neck},
            "Head": {"name": head, **({"hidden_size": 32} if head == "AttentionHead" else {})}}


@pytest.mark.parametrize("name", list(ARCHS))
def test_rec_model_train_step(name):
    head = ARCHS[name][3]
    max_len = 6
    if head == "AttentionHead":
        # As the toolkit wires it: class count and max_text_length come from the shared context.
        model = build_model(rec_arch(name), context={"out_channels": NUM_CLASSES, "max_text_length": max_len})
        eos = NUM_CLASSES - 1
        label = paddle.to_tensor([[0, 3, 4, eos] + [eos] * 4, [0, 5, 6, 7, 8, eos, eos, eos]], dtype="int64")
        loss_fn = build_loss({"name": "AttentionLoss"})
    else:
        model = build_model(rec_arch(name), context={"out_channels": NUM_CLASSES})
        label = paddle.to_tensor([[3, 4, 0, 0, 0, 0], [5, 6, 7, 8, 0, 0]], dtype="int64")
        loss_fn = build_loss({"name": "CTCLoss"})
    length = paddle.to_tensor([2, 4], dtype="int64")
    x = paddle.to_tensor(smooth_image(2))
    model.train()
    preds = model(x, targets=[label, length])
    steps = max_len + 1 if head == "AttentionHead" else 25
    assert preds["logits"].shape == [2, steps, NUM_CLASSES]
    loss = loss_fn(preds, [x, label, length])["loss"]
    assert np.isfinite(loss.item())
    loss.backward()
    grads = [p.grad for p in model.parameters() if not p.stop_gradient]
    assert all(g is not None and np.isfinite(g.numpy()).all() for g in grads)
    model.eval()
    with paddle.no_grad():
        probs = model(x[:1])["probs"]
    assert probs.shape == [1, steps, NUM_CLASSES]


def test_ctc_steps_needed_counts_repeats_and_warns(caplog):
    import logging

    import numpy as np

    from ppocr.losses.rec_ctc_loss import CTCLoss, ctc_steps_needed

    labels = np.array([[1, 1, 2, 0, 0], [3, 4, 5, 6, 7], [2, 2, 2, 2, 0]])
    lengths = np.array([3, 5, 4])
    assert ctc_steps_needed(labels, lengths).tolist() == [4, 5, 7]
    logits = paddle.randn([3, 6, 10])  # 6 time steps: the third label (needs 7) cannot be aligned
    with caplog.at_level(logging.WARNING, logger="ppocr"):
        CTCLoss()({"logits": logits}, [None, paddle.to_tensor(labels), paddle.to_tensor(lengths)])
    assert "1 labels in a batch of 3 need more than the model's 6 time steps" in caplog.text
