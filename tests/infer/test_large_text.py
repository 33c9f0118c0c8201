"""The detector's large-text pass: tall lines found at half scale replace the pieces the full scale made."""
import numpy as np
import pytest

from ppocr.infer.reading.large_text import box_heights, merge_large_text
from tests.conftest import ROOT, SHIPPED_DET


def quad(x0, y0, x1, y1):
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]


def test_box_heights_average_the_shorter_edges():
    assert box_heights(np.array([quad(0, 0, 50, 20), [[0, 0], [50, 0], [50, 30], [0, 10]]])).tolist() == [20, 20]
    assert box_heights(np.array([quad(0, 0, 20, 200)])).tolist() == [20]  # a vertical line: its letters' height


def test_a_large_line_replaces_the_pieces_it_covers():
    boxes = np.array([quad(10, 10, 60, 40), quad(120, 15, 200, 50), quad(10, 300, 300, 320)], np.float32)
    scores = np.array([0.7, 0.6, 0.9], np.float32)
    merged, merged_scores = merge_large_text(boxes, scores, np.array([quad(0, 0, 400, 100)], np.float32),
                                             np.array([0.95], np.float32))
    # the two pieces inside the headline go, the line far below stays
    assert merged.tolist() == [quad(10, 300, 300, 320), quad(0, 0, 400, 100)]
    assert merged_scores.tolist() == pytest.approx([0.9, 0.95])


def test_a_large_box_over_several_lines_is_ignored():
    # two lines, one wholly above the other, merged into one tall box at the small scale
    boxes = np.array([quad(0, 0, 300, 30), quad(0, 40, 300, 70)], np.float32)
    merged, _ = merge_large_text(boxes, np.array([0.9, 0.9], np.float32),
                                 np.array([quad(0, 0, 300, 70)], np.float32), np.array([0.8], np.float32))
    assert merged.tolist() == boxes.tolist()


@pytest.mark.skipif(not (SHIPPED_DET / "inference.json").is_file(), reason="no shipped detector")
def test_shipped_system_reads_a_headline_with_the_large_text_pass():
    import cv2
    from PIL import Image, ImageDraw, ImageFont

    from ppocr import TextSystem

    pil = Image.new("RGB", (960, 720), "white")
    draw = ImageDraw.Draw(pil)
    font = str(ROOT / "doc" / "fonts" / "DejaVuSans.ttf")
    draw.text((20, 100), "Grand Opening", fill=(0, 0, 0), font=ImageFont.truetype(font, 100))
    draw.text((20, 500), "Fresh bread every morning", fill=(0, 0, 0),
              font=ImageFont.truetype(font, 20))
    img = cv2.cvtColor(np.asarray(pil), cv2.COLOR_RGB2BGR)
    texts = {on: [line.text for line in TextSystem.from_dirs(large_text_pass=on).ocr(img)] for on in (False, True)}
    # when written: without the pass the 100 px headline came out as "4", "Z" (pieces of its letters)
    assert texts[True] == ["Grand Opening", "Fresh bread every morning"], texts
    assert "Grand Opening" not in texts[False], texts


@pytest.mark.skipif(not (SHIPPED_DET / "inference.json").is_file(), reason="no shipped detector")
@pytest.mark.parametrize("shape", [(1, 3000, 3), (2, 2, 3), (40, 40, 3)])
def test_the_large_text_pass_skips_images_with_no_room_for_a_large_line(shape):
    from ppocr.infer.backends import PaddleInferenceBackend
    from ppocr.infer.contract import load_contract
    from ppocr.infer.det import TextDetector

    class Counting(PaddleInferenceBackend):
        runs = 0

        def run(self, x):
            Counting.runs += 1
            return super().run(x)

    detector = TextDetector(load_contract(str(SHIPPED_DET), "det"), Counting(str(SHIPPED_DET)))
    boxes, scores, _ = detector(np.full(shape, 255, np.uint8))  # blank: nothing found, and no error
    assert len(boxes) == len(scores) == 0
    assert Counting.runs == 1  # the full-scale pass only: the image is too small to hold an 80 px line
    detector(np.full((400, 600, 3), 255, np.uint8))
    assert Counting.runs == 3  # a page with room for one: both passes
