"""The html kind: web pages that the test writes itself (a bundled font), rendered by headless Chromium and
labelled from the DOM. Runs where Chromium, its driver and Selenium are installed (`make test` installs them
when it may: root or sudo)."""
import shutil

import numpy as np
import pytest

pytest.importorskip("selenium")
if not shutil.which("chromedriver") or not any(map(shutil.which, ("chromium", "chromium-browser"))):
    pytest.skip("Chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)",
                allow_module_level=True)

from ppocr.synth import DEFAULT_CHARSET, PageConfig, render_page, sample_rng  # noqa: E402
from ppocr.synth.html_pages import View, capture, label_lines  # noqa: E402
from ppocr.synth.real_pages import take_skipped  # noqa: E402
from tests.conftest import ROOT, run_tool  # noqa: E402

FONT_URI = (ROOT / "doc" / "fonts" / "DejaVuSans.ttf").as_uri()
# (text in the DOM, expected label, left, top in CSS px, size in px, extra style): one line each, far apart.
LINES = [("Invoice 2024-117", "Invoice 2024-117", 40, 30, 24, ""),
         ("The \ufb01nal total: $42.50", "The final total: $42.50", 40, 110, 18, ""),
         ("shout quietly", "SHOUT QUIETLY", 40, 190, 16, "text-transform: uppercase;"),
         ("Second column", "Second column", 420, 30, 14, "")]
HIDDEN = [("never shown", "visibility: hidden;"), ("not displayed", "display: none;"),
          ("under a cover", "")]


def page_html() -> str:
    lines = "".join(f'<div style="position:absolute; left:{x}px; top:{y}px; font-size:{size}px; {style}">'
                    f"{text}</div>" for text, _, x, y, size, style in LINES)
    hidden = "".join(f'<div style="position:absolute; left:40px; top:{270 + 40 * i}px; font-size:16px; {style}">'
                     f"{text}</div>" for i, (text, style) in enumerate(HIDDEN))
    cover = '<div style="position:absolute; left:30px; top:345px; width:300px; height:40px; background:#fff"></div>'
    return (f"<html><head><style>@font-face {{ font-family: Bundled; src: url('{FONT_URI}'); }} "
            f"body {{ margin: 0; background: #fff; color: #000; font-family: Bundled; }}</style></head>"
            f"<body>{lines}{hidden}{cover}"
            '<ol style="position:absolute; left:40px; top:420px; font-size:16px; margin:0"><li>Listed item</li></ol>'
            "</body></html>")


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("html")
    (folder / "good.html").write_text(page_html(), encoding="utf-8")
    (folder / "empty.html").write_text("<html><body style='background:#fff'></body></html>", encoding="utf-8")
    return folder


def ink_bounds(gray: np.ndarray, top: int, bottom: int, left: int, right: int) -> np.ndarray:
    """(x0, y0, x1, y1), exclusive ends, of the dark pixels in a band of the screenshot."""
    ys, xs = np.nonzero(gray[top:bottom, left:right] < 160)
    return np.array([left + xs.min(), top + ys.min(), left + xs.max() + 1, top + ys.max() + 1], np.float32)


@pytest.mark.parametrize("ratio", [1.0, 1.5])
def test_lines_match_the_dom_text_and_the_ink(pages, ratio):
    img, words = capture(str(pages / "good.html"), View(800, 600, ratio, "", False, 0.0))
    boxes = label_lines(img, words, ratio, DEFAULT_CHARSET)
    labelled = {b.text: b for b in boxes if not b.ignore}
    assert sorted(labelled) == sorted([label for _, label, *_ in LINES] + ["Listed item"]), sorted(labelled)
    gray = img.min(axis=2)
    for _, label, x, y, size, _ in LINES:
        band = [int((y - 10) * ratio), int((y + 2 * size) * ratio), int((x - 10) * ratio),
                int((x + 360) * ratio)]
        truth = ink_bounds(gray, *band)
        got = labelled[label].points
        box = np.array([got[:, 0].min(), got[:, 1].min(), got[:, 0].max(), got[:, 1].max()])
        assert np.abs(box - truth).max() <= 2, (label, box, truth)
    # Hidden, undisplayed and covered text is neither a label nor an ignore region; the list number, which
    # the DOM does not hold, is an ignore region beside its labelled item.
    texts = [b.text for b in boxes]
    assert not any(text in texts for text, _ in HIDDEN)
    item = labelled["Listed item"].points
    row = pytest.approx(item[:, 1].mean(), abs=4 * ratio)
    markers = [b for b in boxes if b.ignore and b.points[:, 1].mean() == row]
    assert len(markers) == 1 and markers[0].points[:, 0].max() < item[:, 0].min()


def test_pages_without_text_are_left_out_and_counted(pages):
    take_skipped()
    cfg = PageConfig(kinds={"html": 1.0}, html_files=(str(pages / "empty.html"), str(pages / "good.html")),
                     warp_prob=0.0, degrade=False, html_photo=0.0)
    page = render_page(sample_rng(7, 0), [], "line", cfg, DEFAULT_CHARSET)
    assert {b.text for b in page.boxes if not b.ignore} >= {"Invoice 2024-117", "Second column"}
    skipped = take_skipped()
    assert set(skipped) <= {"too little visible text"}
    # Several samples draw the empty page at least once; each draw of it is counted.
    for i in range(1, 6):
        render_page(sample_rng(7, i), [], "line", cfg, DEFAULT_CHARSET)
    assert take_skipped()["too little visible text"] >= 1


def test_gen_data_html_writes_rec_crops_of_the_page(pages, tmp_path):
    out = tmp_path / "rec"
    proc = run_tool("tools/gen_data.py", "html", "--rec", "--src", pages / "good.html", "--out", out,
                    "--num", 5, "--seed", 2)
    assert proc.returncode == 0, proc.stdout
    assert "html: 1 pages" in proc.stdout
    labels = [line.split("\t", 1)[1] for line in (out / "label.txt").read_text().splitlines()]
    assert len(labels) == 5 and set(labels) <= {label for _, label, *_ in LINES} | {"Listed item"}, labels
