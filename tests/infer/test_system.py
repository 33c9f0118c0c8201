"""Two-stage system: reading order, rectification, and the predict_system CLI outputs."""
import json

import cv2
import numpy as np
import pytest

from ppocr.infer.system import crop_quad, reads_either_way, sort_boxes
from tests.conftest import ROOT, SHIPPED, run_tool


def quad(x0, y0, x1, y1):
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)


def test_sort_boxes_reads_lines_top_to_bottom_then_left_to_right():
    boxes = [quad(200, 52, 260, 70), quad(10, 50, 80, 70), quad(10, 10, 90, 30), quad(120, 12, 180, 30)]
    assert sort_boxes(boxes) == [2, 3, 1, 0]
    assert sort_boxes([]) == []
    # A line whose boxes step down a little (slight skew) stays one line, read left to right, even when a
    # later box sits slightly higher than the first; the next line starts a full text height lower.
    skewed = [quad(10, 100, 60, 120), quad(70, 103, 120, 123), quad(130, 99, 180, 119), quad(10, 130, 60, 150)]
    assert sort_boxes(skewed) == [0, 1, 2, 3]


def test_crop_quad_straightens_and_turns_tall_crops():
    img = np.zeros((100, 200, 3), np.uint8)
    img[20:40, 50:150] = 255
    crop = crop_quad(img, quad(50, 20, 150, 40))
    assert crop.shape[:2] == (20, 100) and crop.mean() > 250
    tall = crop_quad(img, quad(10, 10, 30, 90))  # 20 wide, 80 high -> rotated to 80 wide
    assert tall.shape[:2] == (20, 80)


def test_reads_either_way_flags_upright_and_steep_boxes():
    assert not reads_either_way(quad(10, 10, 200, 40))  # a horizontal line
    assert reads_either_way(quad(10, 10, 30, 200))  # upright: turned before recognition
    c, s = np.cos(np.radians(45)), np.sin(np.radians(45))
    slanted = np.array([[0, 0], [100 * c, -100 * s], [100 * c + 20 * s, -100 * s + 20 * c], [20 * s, 20 * c]])
    assert reads_either_way(slanted + 200)
    c, s = np.cos(np.radians(20)), np.sin(np.radians(20))
    tilted = np.array([[0, 0], [100 * c, -100 * s], [100 * c + 20 * s, -100 * s + 20 * c], [20 * s, 20 * c]])
    assert not reads_either_way(tilted + 200)


@pytest.mark.skipif(not SHIPPED, reason="needs the shipped models")
@pytest.mark.parametrize("turn", [cv2.ROTATE_90_COUNTERCLOCKWISE, cv2.ROTATE_90_CLOCKWISE])
def test_vertical_text_is_read_whichever_way_it_runs(turn):
    """A chart axis title reads bottom-up, a book spine top-down: the system reads the crop both ways."""
    from PIL import Image, ImageDraw, ImageFont

    from ppocr import TextSystem

    pil = Image.new("RGB", (260, 50), "white")
    font = ImageFont.truetype(str(ROOT / "doc" / "fonts" / "DejaVuSans.ttf"), 24)
    ImageDraw.Draw(pil).text((10, 10), "Revenue 2024", fill=(0, 0, 0), font=font)
    img = cv2.rotate(cv2.cvtColor(np.asarray(pil), cv2.COLOR_RGB2BGR), turn)  # 50 wide, 260 high
    system = TextSystem.from_dirs(drop_score=0.0)
    box = quad(2, 2, 48, 258)
    system.detector = lambda image: ([box], None, {"pre": 0.0, "infer": 0.0, "post": 0.0})
    lines = system(img).lines
    assert [line.text for line in lines] == ["Revenue 2024"]


@pytest.mark.skipif(not SHIPPED, reason="needs the shipped models")
def test_predict_system_writes_pictures_results_and_json(tmp_path):
    imgs = tmp_path / "imgs"
    run_tool("tools/gen_data.py", "det", "--out", tmp_path / "g", "--num", 1, "--seed", 21)
    imgs.mkdir()
    (tmp_path / "g" / "images" / "000000.jpg").rename(imgs / "page.jpg")
    (imgs / "broken.png").write_bytes(b"not an image")
    out = tmp_path / "res"
    # No model flags and another working directory: the default models are found relative to the package.
    proc = run_tool(ROOT / "tools" / "infer" / "predict_system.py", f"--image_dir={imgs}", f"--output_dir={out}",
                    f"--output_json={tmp_path / 'out.jsonl'}", "--drop_score=0.5", cwd=tmp_path)
    assert "skipping" in proc.stdout and "broken.png" in proc.stdout and "1 images done, 1 failed" in proc.stdout
    assert (out / "page.jpg").is_file()
    path, items = (out / "system_results.txt").read_text().splitlines()[0].split("\t")
    items = json.loads(items)
    assert path.endswith("page.jpg") and len(items) >= 5
    assert all(set(i) == {"transcription", "points", "score"} and i["score"] >= 0.5 for i in items)
    record = json.loads((tmp_path / "out.jsonl").read_text().splitlines()[0])
    assert [line["text"] for line in record["lines"]] == [i["transcription"] for i in items]


@pytest.mark.skipif(not SHIPPED, reason="needs the shipped models")
def test_python_api_finds_a_rendered_line():
    import cv2
    from PIL import Image, ImageDraw, ImageFont

    from ppocr import TextSystem

    pil = Image.new("RGB", (600, 120), "white")
    font = ImageFont.truetype(str(ROOT / "doc" / "fonts" / "DejaVuSans.ttf"), 24)
    draw = ImageDraw.Draw(pil)
    draw.text((20, 20), "Invoice 2023", fill=(0, 0, 0), font=font)
    x0, y0, x1, y1 = draw.textbbox((20, 20), "Invoice 2023", font=font)
    results = TextSystem.from_dirs(drop_score=0.0).ocr(cv2.cvtColor(np.asarray(pil), cv2.COLOR_RGB2BGR))
    assert len(results) == 1 and results[0].to_dict().keys() == {"transcription", "points", "score"}
    assert results[0].text == "Invoice 2023"
    # The box covers the text and not much more: unclip 1.5 moves the sides of a 155 x 18 px line out by
    # area x 1.5 / perimeter = 12 px (2.7 x its area), around a predicted region smaller than the ink.
    pts = np.array(results[0].points)
    bx0, by0, bx1, by1 = pts[:, 0].min(), pts[:, 1].min(), pts[:, 0].max(), pts[:, 1].max()
    inter = max(0, min(x1, bx1) - max(x0, bx0)) * max(0, min(y1, by1) - max(y0, by0))
    assert inter / ((x1 - x0) * (y1 - y0)) > 0.95 and (bx1 - bx0) * (by1 - by0) < 2.7 * (x1 - x0) * (y1 - y0)
