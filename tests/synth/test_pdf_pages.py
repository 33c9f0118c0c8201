"""The pdf kind: pages of PDFs that the test writes itself (pdfium, a bundled font), labelled from the text layer."""
import ctypes
import json
from pathlib import Path

import cv2
import numpy as np
import pytest

pdfium = pytest.importorskip("pypdfium2")

from ppocr.synth import DEFAULT_CHARSET, PageConfig, render_page, sample_rng  # noqa: E402
from ppocr.synth.generate import GenConfig, generate  # noqa: E402
from tests.conftest import ROOT, run_tool  # noqa: E402

FONT = ROOT / "doc" / "fonts" / "DejaVuSans.ttf"
PAGE_W, PAGE_H = 612, 792  # US Letter, points
VISIBLE, INVISIBLE = 0, 3  # PDF text render modes: fill, neither fill nor stroke (a scan's OCR layer)
# (text, x, y from the top edge, size in points); the second line holds the ligature "\ufb01" (fi)
LINES = [("Invoice 2024-117", 72, 72, 18), ("The \ufb01nal total: $42.50", 72, 120, 14),
         ("Second column", 360, 72, 12)]


def write_pdf(path: Path, pages) -> None:
    """A PDF whose pages hold the given ``(text, x, y_top, size, render_mode)`` runs, in DejaVu Sans."""
    import pypdfium2.raw as c

    doc = pdfium.PdfDocument.new()
    data = FONT.read_bytes()
    font_data = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
    font = c.FPDFText_LoadFont(doc, font_data, len(data), c.FPDF_FONT_TRUETYPE, 1)
    for runs in pages:
        page = doc.new_page(PAGE_W, PAGE_H)
        for text, x, y, size, mode in runs:
            obj = c.FPDFPageObj_CreateTextObj(doc, font, size)
            wide = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
            c.FPDFText_SetText(obj, ctypes.cast(wide, ctypes.POINTER(c.FPDF_WCHAR)))
            c.FPDFTextObj_SetTextRenderMode(obj, mode)
            c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, PAGE_H - y - size)
            c.FPDFPage_InsertObject(page, obj)
        c.FPDFPage_GenerateContent(page)
    doc.save(str(path))


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    """good.pdf: one page of LINES; bad.pdf: a page of invisible text, a page with no text at all."""
    folder = tmp_path_factory.mktemp("pdfs")
    write_pdf(folder / "good.pdf", [[(*line, VISIBLE) for line in LINES]])
    write_pdf(folder / "bad.pdf", [[("recognised by some OCR engine", 72, 72, 12, INVISIBLE)], []])
    return folder


def ink_box(gray: np.ndarray, quad: np.ndarray, pad: int = 6) -> np.ndarray:
    """(x0, y0, x1, y1) of the dark pixels near ``quad``: where the text really is on the rendered page."""
    x0, y0 = np.floor(quad.min(axis=0)).astype(int) - pad
    x1, y1 = np.ceil(quad.max(axis=0)).astype(int) + pad
    ys, xs = np.nonzero(gray[y0:y1, x0:x1] < 128)
    return np.array([x0 + xs.min(), y0 + ys.min(), x0 + xs.max() + 1, y0 + ys.max() + 1], np.float32)


def test_lines_carry_their_exact_text_and_hug_the_ink(pdfs):
    from ppocr.synth.pdf_pages import list_pages

    pages, unreadable = list_pages([str(pdfs / "good.pdf")])
    assert pages == [(str(pdfs / "good.pdf"), 0)] and unreadable == []
    cfg = PageConfig(kinds={"pdf": 1.0}, pdf_pages=pages, pdf_dpi=(144.0, 144.0), warp_prob=0.0, degrade=False)
    page = render_page(sample_rng(0, 0), [], "line", cfg)
    assert page.image.shape[:2] == (2 * PAGE_H, 2 * PAGE_W)  # 144 dpi: two pixels per point
    assert sorted(b.text for b in page.boxes) == sorted(["Invoice 2024-117", "The final total: $42.50",
                                                         "Second column"])  # the ligature read as "fi"
    gray = cv2.cvtColor(page.image, cv2.COLOR_RGB2GRAY)
    for box in page.boxes:
        assert not box.ignore
        quad = box.points
        assert np.allclose(quad[:, 1][[0, 1]], quad[0, 1]) and np.allclose(quad[:, 0][[0, 3]], quad[0, 0])  # upright
        label = np.array([quad[0, 0], quad[0, 1], quad[2, 0], quad[2, 1]], np.float32)
        assert np.abs(label - ink_box(gray, quad)).max() <= 2.0, (box.text, label, ink_box(gray, quad))


def test_characters_outside_the_dictionary_make_an_ignore_region(pdfs, tmp_path):
    from ppocr.synth.pdf_pages import list_pages

    write_pdf(tmp_path / "mixed.pdf", [[("Ma\u00efs \u2192 corn", 72, 72, 14, VISIBLE),
                                        ("it\u2019s \u201cquoted\u201d \u2013 fine", 72, 110, 14, VISIBLE),
                                        ("tiny print", 72, 150, 3, VISIBLE)]])
    cfg = PageConfig(kinds={"pdf": 1.0}, pdf_pages=list_pages([str(tmp_path / "mixed.pdf")])[0],
                     pdf_dpi=(144.0, 144.0), warp_prob=0.0, degrade=False)
    boxes = {b.text: b.ignore for b in render_page(sample_rng(0, 0), [], "line", cfg, DEFAULT_CHARSET).boxes}
    # typographic quotes and dashes take their ASCII forms; an arrow and an i with diaeresis have none;
    # 3-point print is 6 px high at 144 dpi, below the readable 8 px
    assert boxes == {"Ma\u00efs \u2192 corn": True, "it's \"quoted\" - fine": False, "tiny print": True}


def test_the_latin_dictionary_keeps_accents_and_typographic_marks(tmp_path):
    from ppocr.synth.pdf_pages import list_pages
    from ppocr.synth.corpus import dictionary_charset

    french = "l\u2019\u00e9t\u00e9 \u2013 \u00ab\u0141\u00f3d\u017a\u00bb"  # l’été – «Łódź»
    write_pdf(tmp_path / "fr.pdf", [[("Ma\u00efs \u2192 corn", 72, 72, 14, VISIBLE), (french, 72, 110, 14, VISIBLE)]])
    cfg = PageConfig(kinds={"pdf": 1.0}, pdf_pages=list_pages([str(tmp_path / "fr.pdf")])[0],
                     pdf_dpi=(144.0, 144.0), warp_prob=0.0, degrade=False)
    charset = dictionary_charset("ppocr/utils/latin_dict.txt")
    boxes = {b.text: b.ignore for b in render_page(sample_rng(0, 0), [], "line", cfg, charset).boxes}
    # the arrow is in no dictionary; the rest is Latin-1, Latin Extended-A and typographic marks, kept as such
    assert boxes == {"Ma\u00efs \u2192 corn": True, french: False}


def test_gen_data_pdf_skips_and_counts_unusable_pages(pdfs, tmp_path):
    out = tmp_path / "det"
    proc = run_tool("tools/gen_data.py", "pdf", "--src", pdfs, "--out", out, "--num", 6, "--seed", 3)
    assert "pdf: 3 pages in 2 PDFs" in proc.stdout, proc.stdout
    left_out = proc.stdout.split("pages drawn and left out: ")[1]
    assert "no text layer" in left_out and "invisible text" in left_out, proc.stdout
    rows = [line.split("\t") for line in (out / "label.txt").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 6
    for path, label in rows:  # every sample is the good page, warped and degraded, its three lines labelled
        assert (out / path).is_file()
        assert sorted(item["transcription"] for item in json.loads(label)) == sorted(
            ["Invoice 2024-117", "The final total: $42.50", "Second column"])
    rec = tmp_path / "rec"
    proc = run_tool("tools/gen_data.py", "pdf", "--rec", "--src", pdfs / "good.pdf", "--out", rec, "--num", 3)
    texts = [line.split("\t")[1] for line in (rec / "label.txt").read_text(encoding="utf-8").splitlines()]
    assert len(texts) == 3 and set(texts) <= {"Invoice 2024-117", "The final total: $42.50", "Second column"}


def test_gen_data_pdf_names_what_is_wrong(pdfs, tmp_path):
    proc = run_tool("tools/gen_data.py", "pdf", "--src", tmp_path / "missing", "--out", tmp_path / "o", "--num", 1,
                    check=False)
    assert proc.returncode == 2 and "--src not found" in proc.stdout, proc.stdout
    proc = run_tool("tools/gen_data.py", "pdf", "--src", pdfs / "bad.pdf", "--out", tmp_path / "o", "--num", 1,
                    check=False)
    assert proc.returncode == 2 and "no usable page" in proc.stdout, proc.stdout
    proc = run_tool("tools/gen_data.py", "det", "--kinds", "pdf", "--out", tmp_path / "o", "--num", 1, check=False)
    assert proc.returncode == 2 and "needs PDF files: give --src" in proc.stdout, proc.stdout


def test_pdf_pages_mix_with_generated_kinds(pdfs, tmp_path):
    cfg = GenConfig("det", str(tmp_path), 8, seed=5, kinds={"pdf": 1.0, "document": 1.0},
                    src=(str(pdfs / "good.pdf"),))
    stats = generate(cfg, progress=False)
    labels = [json.loads(line.split("\t")[1]) for line in (tmp_path / "label.txt").read_text().splitlines()]
    from_pdf = [any(item["transcription"] == "Second column" for item in page) for page in labels]
    assert stats.count == 8 and 0 < sum(from_pdf) < 8, from_pdf


def test_long_lines_give_recognition_crops_of_whole_words(tmp_path):
    sentence = "Payment is due within thirty days of the invoice date shown above"
    write_pdf(tmp_path / "long.pdf", [[(sentence, 40, 72, 11, VISIBLE)]])
    out = tmp_path / "rec"
    run_tool("tools/gen_data.py", "pdf", "--rec", "--src", tmp_path / "long.pdf", "--out", out, "--num", 8,
             "--max_len", 16, "--seed", 4)
    texts = [line.split("\t")[1] for line in (out / "label.txt").read_text(encoding="utf-8").splitlines()]
    assert len(texts) == 8 and len(set(texts)) > 1, texts
    for text in texts:  # a run of whole words of the sentence, within --max_len
        assert len(text) <= 16 and f" {text} " in f" {sentence} ", text
