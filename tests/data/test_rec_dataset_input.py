"""Recognition data edge cases: bad labels are skipped and counted at pre-scan, odd images are handled."""
import cv2
import numpy as np

from ppocr.data.simple_dataset import SimpleDataSet
from ppocr.utils.character import CharacterDict

OPS = [{"DecodeImage": {"img_mode": "BGR"}}, {"CTCLabelEncode": None},
       {"RecResizeImg": {"image_shape": [3, 32, 100]}}, {"KeepKeys": {"keep_keys": ["image", "label", "length"]}}]


def test_rec_labels_and_images_edge_cases(tmp_path):
    character = CharacterDict(None, use_space_char=True)
    imgs = tmp_path / "imgs"
    imgs.mkdir()
    cv2.imwrite(str(imgs / "word.png"), np.full((32, 80, 3), 255, np.uint8))
    cv2.imwrite(str(imgs / "tiny.png"), np.zeros((1, 1, 3), np.uint8))
    cv2.imwrite(str(imgs / "gray.png"), np.full((20, 60), 128, np.uint8))
    cv2.imwrite(str(imgs / "rgba.png"), np.full((24, 70, 4), 200, np.uint8))
    label = tmp_path / "label.txt"
    label.write_text("\n".join([
        "imgs/word.png\tHello 42",
        "imgs/word.png\t",               # empty label
        "imgs/word.png\t中文€",           # only characters outside the dictionary
        "imgs/word.png\t" + "x" * 30,    # longer than max_text_length
        "imgs/tiny.png\tA",
        "imgs/gray.png\tgray",
        "imgs/rgba.png\trgba",
    ]) + "\n", encoding="utf-8")
    ds = SimpleDataSet(str(tmp_path), [str(label)], OPS, check_label=character.label_check(25),
                       ops_context={"character": character, "max_text_length": 25})
    problems = dict(ds.report.problems)
    assert len(ds) == 4 and len(problems) == 3
    assert problems[f"{label}:2"] == "empty label"
    assert "not in the dictionary" in problems[f"{label}:3"] and "中" in problems[f"{label}:3"]
    assert "longer than max_text_length (30 > 25)" in problems[f"{label}:4"]
    for i, text in enumerate(["Hello 42", "A", "gray", "rgba"]):
        image, encoded, length, index = ds[i]
        assert image.shape == (3, 32, 100) and image.dtype == np.float32
        assert -1.0 <= image.min() and image.max() <= 1.0
        assert character.decode(encoded[:length]) == text and int(index) == i
