"""predict_system inputs and outputs on the shipped models: score filter, PDF pages, --use_mp, the Python API
against the CLI, system_results.txt as training data, ONNX against Paddle, rectification of rotated text."""
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from ppocr.infer.system import crop_quad
from tests.conftest import ROOT, SHIPPED, SHIPPED_DET, SHIPPED_REC, run_tool

DET_DIR, REC_DIR = SHIPPED_DET, SHIPPED_REC
needs_models = pytest.mark.skipif(not SHIPPED, reason="needs the shipped models")
FONT = str(ROOT / "doc" / "fonts" / "DejaVuSans.ttf")


def render_line(text: str, size=(560, 400), origin=(130, 170), font_size=36):
    """White canvas with black text; returns the BGR image and the text's axis-aligned quad."""
    from PIL import Image, ImageDraw, ImageFont

    pil = Image.new("RGB", size, "white")
    font = ImageFont.truetype(FONT, font_size)
    draw = ImageDraw.Draw(pil)
    draw.text(origin, text, fill=(0, 0, 0), font=font)
    x0, y0, x1, y1 = draw.textbbox(origin, text, font=font)
    x0, y0, x1, y1 = x0 - 6, y0 - 6, x1 + 6, y1 + 6
    quad = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32)
    return cv2.cvtColor(np.asarray(pil), cv2.COLOR_RGB2BGR), quad


def _page_distance(picture, page) -> float:
    """Median pixel difference between a page and the top-left of a saved picture."""
    h, w = page.shape[:2]
    crop = picture[:min(h, picture.shape[0]), :w].astype(int)
    return float(np.median(np.abs(crop - page[:crop.shape[0]])))


def test_crop_quad_rectifies_rotated_text_to_the_upright_crop():
    img, quad = render_line("Rectify 42")
    reference = crop_quad(img, quad)
    for angle in (25, -15):
        center = (img.shape[1] / 2, img.shape[0] / 2)
        rot = cv2.getRotationMatrix2D(center, angle, 1.0)
        rotated = cv2.warpAffine(img, rot, (img.shape[1], img.shape[0]), borderValue=(255, 255, 255))
        rotated_quad = (np.hstack([quad, np.ones((4, 1), np.float32)]) @ rot.T).astype(np.float32)
        crop = crop_quad(rotated, rotated_quad)
        assert abs(crop.shape[0] - reference.shape[0]) <= 1 and abs(crop.shape[1] - reference.shape[1]) <= 1
        crop = cv2.resize(crop, (reference.shape[1], reference.shape[0]))
        diff = np.abs(crop.astype(np.float32) - reference.astype(np.float32)).mean()
        flipped = np.abs(crop[::-1, ::-1].astype(np.float32) - reference.astype(np.float32)).mean()
        assert diff < 12 and flipped > 3 * diff, (angle, diff, flipped)  # upright, not mirrored


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """Two generated document pages in a folder, and a two-page PDF made of them."""
    tmp = tmp_path_factory.mktemp("system_pages")
    run_tool("tools/gen_data.py", "det", "--out", tmp / "g", "--num", 2, "--seed", 31)
    imgs = tmp / "imgs"
    imgs.mkdir()
    for i in range(2):
        shutil.copy(tmp / "g" / "images" / f"{i:06d}.jpg", imgs / f"page{i}.jpg")
    return imgs


@pytest.fixture(scope="module")
def cli_run(pages, tmp_path_factory):
    out = tmp_path_factory.mktemp("system_cli")
    proc = run_tool("tools/infer/predict_system.py", f"--image_dir={pages}", f"--output_dir={out}", "--drop_score=0",
                    f"--output_json={out / 'all.jsonl'}", "--benchmark")
    (out / "stdout.txt").write_text(proc.stdout)
    return out


def _jsonl(path):
    return {r["path"]: r["lines"] for r in map(json.loads, path.read_text().splitlines())}


@needs_models
def test_python_api_matches_the_cli_and_filters_by_score(pages, cli_run):
    from ppocr import TextSystem

    cli = _jsonl(cli_run / "all.jsonl")
    system = TextSystem.from_dirs(drop_score=0.0)
    for path, lines in cli.items():
        api = system.ocr(path)
        assert [r.text for r in api] == [r["text"] for r in lines] and len(api) >= 5
        assert np.allclose([r.points for r in api], [r["points"] for r in lines], atol=0.11)
        # A threshold halfway between two of the page's scores (printed with 4 decimals), so that it
        # removes some lines whatever the model's confidence.
        scores = sorted(set(r["score"] for r in lines))
        threshold = (scores[len(scores) // 2 - 1] + scores[len(scores) // 2]) / 2
        strict = TextSystem.from_dirs(drop_score=threshold).ocr(path)
        assert [r.text for r in strict] == [r["text"] for r in lines if r["score"] >= threshold]
        assert 0 < len(strict) < len(lines)


@needs_models
def test_benchmark_prints_every_stage_and_pictures_show_each_page(pages, cli_run):
    log = (cli_run / "stdout.txt").read_text()
    line = next(line for line in log.splitlines() if "benchmark mean per image over 2 images" in line)
    stages = dict(re.findall(r"(\w+) ([\d.]+) ms", line))
    assert list(stages) == ["det_pre", "det_infer", "det_post", "crop", "cls_pre", "cls_infer", "cls_post", "rec_pre",
                            "rec_infer", "rec_post", "total"]
    assert float(stages["det_infer"]) > 0 and float(stages["rec_infer"]) > 0
    assert abs(sum(float(v) for k, v in stages.items() if k != "total") - float(stages["total"])) < 0.5
    for name in ("page0", "page1"):  # the page with its boxes, beside a panel listing the lines read
        picture, page = cv2.imread(str(cli_run / f"{name}.jpg")), cv2.imread(str(pages / f"{name}.jpg"))
        h, w = page.shape[:2]
        assert picture.shape[:2] == (h, w + max(w, 400))
        assert np.median(np.abs(picture[:, :w].astype(int) - page)) <= 3  # the page, but for boxes and JPEG
        assert picture[:, w:].min() < 100 and np.median(picture[:, w:]) >= 250  # black text on white


def test_same_named_inputs_in_different_folders_keep_their_own_outputs(tmp_path):
    from ppocr.infer.images import output_stems

    assert output_stems(["d/a/x.jpg", "d/b/x.jpg", "d/c/y.png"]) == {"d/a/x.jpg": "a_x_jpg", "d/b/x.jpg": "b_x_jpg",
                                                                     "d/c/y.png": "y"}
    assert output_stems(["x.jpg", "x.png"]) == {"x.jpg": "x_jpg", "x.png": "x_png"}
    # a made name that equals another file's own name: that one is numbered
    assert output_stems(["a/x.jpg", "a_x_jpg.png", "b/x.jpg"])["a_x_jpg.png"] == "a_x_jpg_2"


@needs_models
def test_pictures_of_same_named_inputs_do_not_overwrite_each_other(pages, tmp_path):
    images = tmp_path / "in"
    for folder, page in (("a", "page0.jpg"), ("b", "page1.jpg")):
        (images / folder).mkdir(parents=True)
        shutil.copy(pages / page, images / folder / "scan.jpg")
    out = tmp_path / "out"
    run_tool("tools/infer/predict_system.py", f"--image_dir={images}", f"--output_dir={out}")
    assert sorted(p.name for p in out.glob("*.jpg")) == ["a_scan_jpg.jpg", "b_scan_jpg.jpg"]
    originals = [cv2.imread(str(pages / page)) for page in ("page0.jpg", "page1.jpg")]
    for folder, own, other in (("a", *originals), ("b", *originals[::-1])):  # each picture shows its own page
        picture = cv2.imread(str(out / f"{folder}_scan_jpg.jpg"))
        own_distance, other_distance = (_page_distance(picture, page) for page in (own, other))
        assert own_distance <= 3 < other_distance, (own_distance, other_distance)


@needs_models
def test_system_results_load_as_a_detection_dataset(cli_run):
    from ppocr.data.simple_dataset import SimpleDataSet

    ops = [{"DecodeImage": {"img_mode": "BGR", "channel_first": False}}, {"DetLabelEncode": None},
           {"KeepKeys": {"keep_keys": ["image", "polys", "texts"]}}]
    dataset = SimpleDataSet("/", [str(cli_run / "system_results.txt")], ops, mode="Eval")
    cli = _jsonl(cli_run / "all.jsonl")
    assert len(dataset) == len(cli) == 2
    for i, lines in enumerate(cli.values()):
        image, polys, texts, _ = dataset[i]
        assert image.ndim == 3 and list(texts) == [r["text"] for r in lines]
        assert np.allclose(polys, np.array([r["points"] for r in lines]), atol=0.11)


@needs_models
def test_pdf_pages_and_multiprocessing(pages, cli_run, tmp_path):
    from PIL import Image

    images = [Image.open(p).convert("RGB") for p in sorted(pages.glob("*.jpg"))]
    docs = tmp_path / "docs"
    docs.mkdir()
    images[0].save(docs / "scan.pdf", save_all=True, append_images=images[1:], resolution=144)
    (docs / "empty.pdf").write_bytes(b"%PDF-1.4 truncated")
    out = tmp_path / "res"
    proc = run_tool("tools/infer/predict_system.py", f"--image_dir={docs}", f"--output_dir={out}",
                    "--drop_score=0", "--use_mp=true", "--total_process_num=2", "--cpu_threads=1",
                    f"--output_json={out / 'all.jsonl'}")
    assert "skipping" in proc.stdout and "empty.pdf" in proc.stdout and "2 images done, 1 failed" in proc.stdout
    assert (out / "scan_page_1.jpg").is_file() and (out / "scan_page_2.jpg").is_file()
    results = _jsonl(out / "all.jsonl")
    assert list(results) == [f"{docs / 'scan.pdf'}_page_1", f"{docs / 'scan.pdf'}_page_2"]
    # A page rendered from the PDF is the same picture as the JPEG (re-encoded), so the same lines are found at
    # the same places, within a few pixels.
    for page, lines in zip(results.values(), _jsonl(cli_run / "all.jsonl").values()):
        assert abs(len(page) - len(lines)) <= 1
        found = np.array([r["points"] for r in page])
        matched = sum(np.abs(found - np.array(r["points"])).max(axis=(1, 2)).min() < 6 for r in lines)
        assert matched >= 0.9 * len(lines)
    # The PDF pages are saved so that system_results.txt points at images, usable as training data.
    for line in (out / "system_results.txt").read_text().splitlines():
        assert cv2.imread(line.split("\t")[0]) is not None


@needs_models
def test_shipped_onnx_models_match_paddle(pages):
    pytest.importorskip("onnxruntime")
    from ppocr.infer.backends import OnnxBackend, PaddleInferenceBackend
    from ppocr.infer.system import TextSystem

    rng = np.random.RandomState(0)
    for model_dir, shape in ((DET_DIR, (1, 3, 320, 416)), (REC_DIR, (4, 3, 32, 180))):
        x = rng.uniform(-1, 1, shape).astype(np.float32)
        paddle_out = PaddleInferenceBackend(str(model_dir)).run(x)
        onnx_out = OnnxBackend(str(model_dir)).run(x)
        assert [a.shape for a in paddle_out] == [a.shape for a in onnx_out]
        assert max(np.abs(a - b).max() for a, b in zip(paddle_out, onnx_out)) < 1e-4  # the stated tolerance
    page = str(sorted(pages.glob("*.jpg"))[0])
    paddle_lines = TextSystem.from_dirs(drop_score=0.0, use_onnx=False).ocr(page)
    onnx_lines = TextSystem.from_dirs(drop_score=0.0, use_onnx=True).ocr(page)
    assert len(paddle_lines) >= 5  # a generated page: lines to compare
    assert [r.text for r in onnx_lines] == [r.text for r in paddle_lines]
    assert np.allclose([r.score for r in onnx_lines], [r.score for r in paddle_lines], atol=1e-3)


@needs_models
def test_onnx_is_the_default_where_a_model_has_it(tmp_path):
    pytest.importorskip("onnxruntime")
    from ppocr.infer.backends import OnnxBackend, PaddleInferenceBackend, create_backend, resolve_use_onnx

    plain = tmp_path / "det"
    shutil.copytree(DET_DIR, plain, ignore=shutil.ignore_patterns("*.onnx"))
    assert resolve_use_onnx(str(DET_DIR), None) and not resolve_use_onnx(str(plain), None)
    assert not resolve_use_onnx(str(DET_DIR), None, use_gpu=True)  # a GPU: Paddle's own
    assert not resolve_use_onnx(str(DET_DIR), False) and resolve_use_onnx(str(plain), True)  # the flag wins
    assert isinstance(create_backend(str(DET_DIR)), OnnxBackend)
    assert isinstance(create_backend(str(plain)), PaddleInferenceBackend)


@needs_models
def test_export_onnx_converts_an_exported_model_and_checks_it(tmp_path):
    pytest.importorskip("paddle2onnx")
    model = tmp_path / "rec"
    shutil.copytree(REC_DIR, model, ignore=shutil.ignore_patterns("*.onnx"))
    proc = run_tool("tools/export_onnx.py", "--model_dir", model)
    assert (model / "inference.onnx").is_file()
    diff = float(re.search(r"max \|paddle - onnx\| = (\S+)", proc.stdout).group(1))
    assert diff < 1e-4, proc.stdout
    # a folder without an exported model: one clear error
    proc = run_tool("tools/export_onnx.py", "--model_dir", tmp_path / "none", check=False)
    assert proc.returncode == 2 and "no exported model" in proc.stdout, proc.stdout


@needs_models
def test_console_scripts_are_installed_and_match_the_tools(tmp_path):
    exe = {name: shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
           for name in ("ppocr-system", "ppocr-det", "ppocr-rec")}
    if None in exe.values():
        pytest.skip("package not installed with pip install -e .")
    proc = subprocess.run([exe["ppocr-system"], "--help"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout
    assert "--det_model_dir" in proc.stdout and "--use_onnx" in proc.stdout and "--drop_score" in proc.stdout
    for name, tool, images, results in (("ppocr-rec", "predict_rec.py", "doc/imgs_words", "rec_results.txt"),
                                        ("ppocr-det", "predict_det.py", "doc/imgs/sign_1.jpg", "det_results.txt")):
        subprocess.run([exe[name], f"--image_dir={ROOT / images}", f"--output_dir={tmp_path / name}"], cwd=ROOT,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
        run_tool(f"tools/infer/{tool}", f"--image_dir={ROOT / images}", f"--output_dir={tmp_path / tool}")
        ours = (tmp_path / name / results).read_text()
        assert ours == (tmp_path / tool / results).read_text()
        if name == "ppocr-rec":  # six crops, each read as some text
            assert len(ours.splitlines()) == 6 and all(line.split("\t")[1] for line in ours.splitlines())
        else:  # the sign's lines
            assert len(json.loads(ours.split("\t")[1])) >= 3


@needs_models
def test_int8_detector_from_generated_pages_finds_the_same_lines(tmp_path, pages):
    pytest.importorskip("onnxruntime")
    from shapely.geometry import Polygon

    from ppocr.infer.backends import OnnxBackend
    from ppocr.infer.contract import load_contract
    from ppocr.infer.det import TextDetector
    from ppocr.synth.generate import GenConfig, generate

    calib = tmp_path / "calib"
    generate(GenConfig("det", str(calib), 3, seed=95), progress=False)
    out = tmp_path / "int8"
    proc = run_tool("tools/quantize_onnx.py", "--model_dir", DET_DIR, "--calib", calib / "images", "--out_dir", out)
    assert "calibrating on 6 batches from 3 images" in proc.stdout, proc.stdout  # each page and its large-text pass
    assert sorted(p.name for p in out.iterdir()) == ["inference.onnx", "inference.yml"]
    assert (out / "inference.onnx").stat().st_size < 0.5 * (DET_DIR / "inference.onnx").stat().st_size
    contract = load_contract(str(DET_DIR), "det")
    page = cv2.imread(str(sorted(pages.glob("*.jpg"))[1]))
    fp32 = TextDetector(contract, OnnxBackend(str(DET_DIR)))(page)[0]
    int8 = TextDetector(contract, OnnxBackend(str(out)))(page)[0]
    int8 = [Polygon(b) for b in int8]
    matched = sum(any(Polygon(b).intersection(q).area >= 0.5 * Polygon(b).union(q).area for q in int8) for b in fp32)
    assert len(fp32) >= 5 and matched >= 0.9 * len(fp32) and len(int8) <= 1.1 * len(fp32), (matched, len(fp32))
    # the same out directory twice would quantize the quantized model: refused
    proc = run_tool("tools/quantize_onnx.py", "--model_dir", out, "--calib", calib / "images", "--out_dir", out,
                    check=False)
    assert proc.returncode == 2 and "--out_dir must differ" in proc.stdout, proc.stdout


@needs_models
def test_prediction_on_onnx_runtime_never_imports_paddle(pages, tmp_path):
    # Importing Paddle alone costs about 280 MB of memory: a predictor on ONNX Runtime must not pay it.
    code = ("import sys\nfrom ppocr.utils.cli import run_cli\nfrom ppocr.infer.cli import system_main\n"
            f"argv = ['--image_dir', {str(pages)!r}, '--output_dir', {str(tmp_path)!r}]\n"
            "try:\n    run_cli(lambda: system_main(argv))\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
            "print('paddle imported:', 'paddle' in sys.modules)\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=300)
    assert "paddle imported: False" in proc.stdout, proc.stdout[-2000:]
    assert (tmp_path / "system_results.txt").read_text().count("\n") == 2


@needs_models
def test_pdf_in_one_process_through_the_system_and_the_detector(pages, tmp_path):
    from PIL import Image

    images = [Image.open(p).convert("RGB") for p in sorted(pages.glob("*.jpg"))]
    images[0].save(tmp_path / "scan.pdf", save_all=True, append_images=images[1:], resolution=144)
    out = tmp_path / "sys"
    proc = run_tool("tools/infer/predict_system.py", f"--image_dir={tmp_path / 'scan.pdf'}", f"--output_dir={out}",
                    "--vis_font_path=/nonexistent/font.ttf")
    assert "font /nonexistent/font.ttf cannot be loaded: using PIL's default font" in proc.stdout
    assert "2 images done, 0 failed" in proc.stdout
    for n in (1, 2):  # the picture (drawn with the fallback font) and the page image it points at
        assert cv2.imread(str(out / f"scan_page_{n}.jpg")) is not None
        assert cv2.imread(str(out / "pages" / f"scan_page_{n}.png")) is not None
    det = tmp_path / "det"
    run_tool("tools/infer/predict_det.py", f"--image_dir={tmp_path / 'scan.pdf'}", f"--output_dir={det}")
    rows = [line.split("\t") for line in (det / "det_results.txt").read_text().splitlines()]
    assert [label for label, _ in rows] == [f"{tmp_path / 'scan.pdf'}_page_{n}" for n in (1, 2)]
    assert all(len(json.loads(boxes)) >= 5 for _, boxes in rows)  # generated pages: many lines each
    assert (det / "det_res_scan_page_1.jpg").is_file() and (det / "det_res_scan_page_2.jpg").is_file()
