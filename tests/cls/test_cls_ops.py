"""The direction classifier's data ops, head, loss, decoding and config checks, on hand-made cases."""
import numpy as np
import pytest

from ppocr.errors import ConfigError

TWO, FOUR = ["0", "180"], ["0", "90", "180", "270"]


def arrow(height=8, width=24):
    """A wide crop whose direction is visible: a dark block in its top-left corner."""
    img = np.full((height, width, 3), 255, np.uint8)
    img[:2, :3] = 0
    return img


@pytest.mark.parametrize("labels", [TWO, FOUR])
def test_label_encoding_and_decoding_by_hand(labels):
    from ppocr.data.imaug.cls_ops import ClsLabelEncode
    from ppocr.postprocess.cls_postprocess import ClsPostProcess

    encode = ClsLabelEncode(labels)
    assert [int(encode({"label": d})["label"]) for d in labels] == list(range(len(labels)))
    assert encode({"label": "45"}) is None and encode({"label": "hello"}) is None
    probs = np.eye(len(labels), dtype=np.float32)[::-1] * 0.7 + 0.3 / len(labels)  # last direction first
    decoded, truth = ClsPostProcess(labels)({"probs": probs}, np.arange(len(labels)))
    assert [d for d, _ in decoded] == labels[::-1]
    assert [round(s, 4) for _, s in decoded] == [round(0.7 + 0.3 / len(labels), 4)] * len(labels)
    assert [t for t, _ in truth] == labels


def test_numbers_in_yaml_label_lists_are_directions_and_bad_lists_are_refused():
    from ppocr.data.imaug.cls_ops import ClsLabelEncode

    assert ClsLabelEncode([0, 180]).label_list == TWO
    for bad in (["0"], ["0", "45"], ["180", "180"], ["90", "270"]):
        with pytest.raises(ConfigError, match="label_list"):
            ClsLabelEncode(bad)


@pytest.mark.parametrize("labels", [TWO, FOUR])
def test_random_direction_labels_say_how_to_turn_the_crop_back(labels):
    from ppocr.data.imaug.cls_ops import RandomDirectionLabel
    from ppocr.utils.directions import make_upright

    op = RandomDirectionLabel(labels)
    seen = set()
    np.random.seed(0)
    for height, width in ((8, 24), (8, 10), (20, 8)):  # wide, square-ish, tall
        upright = arrow(height, width)
        for _ in range(40):
            out = op({"image": upright.copy(), "label": "some text"})
            assert out["label"] in labels
            seen.add(out["label"])
            assert np.array_equal(make_upright(out["image"], out["label"]), upright), (height, width, out["label"])
    assert seen == set(labels)


def test_four_directions_follow_the_system_crop_step():
    """Crops of long lines turned by 90 are tall: the system turns them back by 90 before classifying, so the
    label the classifier learns is the direction left after that step (0 or 180), never 90 or 270."""
    from ppocr.data.imaug.cls_ops import RandomDirectionLabel
    from ppocr.utils.directions import make_upright, turn
    from ppocr.utils.geometry import crop_quad

    op = RandomDirectionLabel(FOUR)
    np.random.seed(1)
    line = arrow(8, 40)
    for _ in range(30):
        out = op({"image": line.copy(), "label": "x"})
        assert out["label"] in ("0", "180") and out["image"].shape[:2] == (8, 40)
        assert np.array_equal(make_upright(out["image"], out["label"]), line)
    # the same thing the system does: a page with the line turned by 90, cut out by its box
    page = np.full((60, 30, 3), 255, np.uint8)
    page[10:50, 10:18] = turn(line, 90)
    crop = crop_quad(page, np.array([[10, 10], [18, 10], [18, 50], [10, 50]], np.float32))
    assert crop.shape[:2] == (8, 40) and np.array_equal(make_upright(crop, "180"), line)


def test_cls_resize_keeps_the_aspect_ratio_and_pads():
    from ppocr.data.imaug.cls_ops import ClsResizeImg

    out = ClsResizeImg([3, 48, 192])({"image": np.zeros((24, 48, 3), np.uint8)})["image"]
    assert out.shape == (3, 48, 192)
    assert np.all(out[:, :, :96] == -1.0) and np.all(out[:, :, 96:] == 0.0)


def test_head_and_loss_by_hand():
    import paddle

    from ppocr.losses.cls_loss import ClsLoss
    from ppocr.modeling.heads.cls_head import ClsHead

    head = ClsHead(in_channels=3, class_dim=2)
    x = paddle.ones([2, 3, 1, 4])
    head.train()
    logits = head(x)["logits"]
    assert logits.shape == [2, 2]
    head.eval()
    probs = head(x)["probs"].numpy()
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-6)
    loss = ClsLoss()({"logits": paddle.to_tensor([[0.0, np.log(3.0)]])}, [None, paddle.to_tensor([1])])
    assert abs(loss["loss"].item() - np.log(4 / 3)) < 1e-6  # -log(3/4)


def test_label_lists_must_agree_and_class_dim_must_count_them():
    from ppocr.engine.runtime import build_shared
    from ppocr.utils.config import load_merged_config
    from tests.conftest import ROOT

    config = str(ROOT / "configs" / "cls" / "cls_mv3_en.yml")
    assert build_shared(load_merged_config(config)) == {"directions": FOUR}
    with pytest.raises(ConfigError, match=r"PostProcess.label_list \['0', '180'\] differs from "
                                          r"Train.dataset.transforms\[2\].RandomDirectionLabel.label_list"):
        build_shared(load_merged_config(config, ["PostProcess.label_list=['0','180']"]))
    with pytest.raises(ConfigError, match="class_dim is 2 but label_list has 4 directions"):
        build_shared(load_merged_config(config, ["Architecture.Head.class_dim=2"]))
