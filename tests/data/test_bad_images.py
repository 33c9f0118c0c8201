"""Bad and odd image files never crash or hang the loaders, the predictors or the Python API: each bad file
gets one clear error naming it, the others are processed, and huge images are decoded within a memory bound."""
import io
import json
import struct
import zlib

import cv2
import numpy as np
import pytest
from PIL import Image

from ppocr.data.imaug import operators
from ppocr.data.imaug.operators import decode_bytes
from tests.conftest import SHIPPED, run_tool


def png_with_header(width, height):
    """A PNG whose header declares ``width`` x ``height`` but holds almost no data."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + \
        chunk(b"IEND", b"")


def encoded(array_or_pil, fmt):
    if isinstance(array_or_pil, Image.Image):
        buf = io.BytesIO()
        array_or_pil.save(buf, fmt)
        return buf.getvalue()
    return cv2.imencode("." + fmt, array_or_pil)[1].tobytes()


def page(h=120, w=200):
    img = np.full((h, w, 3), 255, np.uint8)
    cv2.putText(img, "Test 42", (10, h // 2), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
    return img


GOOD = {  # odd but valid: decoded to 3-channel uint8
    "one_pixel.png": encoded(np.zeros((1, 1, 3), np.uint8), "png"),
    "gray.png": encoded(cv2.cvtColor(page(), cv2.COLOR_BGR2GRAY), "png"),
    "rgba.png": encoded(cv2.cvtColor(page(), cv2.COLOR_BGR2BGRA), "png"),
    "sixteen_bit.png": encoded((page().astype(np.uint16) * 257), "png"),
    "sixteen_bit.tif": encoded((page().astype(np.uint16) * 257), "tiff"),
    "cmyk.jpg": encoded(Image.fromarray(page()[:, :, ::-1]).convert("CMYK"), "JPEG"),
    "palette.gif": encoded(Image.fromarray(page()[:, :, ::-1]).convert("P"), "GIF"),
    "page.jpg": encoded(page(), "jpg"),
}
BAD = {  # each must give one error naming the file
    "empty.jpg": b"",
    "random.png": np.random.RandomState(0).bytes(2000),
    "text.jpg": b"this is not an image\n",
    "truncated.jpg": encoded(page(), "jpg")[:200],
    "truncated.png": encoded(page(), "png")[:60],
    "huge_header.png": png_with_header(30000, 30000),
    "big_header.png": png_with_header(9000, 8000),
}


def write_files(files, folder):
    folder.mkdir(parents=True, exist_ok=True)
    for name, raw in files.items():
        (folder / name).write_bytes(raw)
    return folder


@pytest.mark.parametrize("name", sorted(GOOD))
def test_odd_but_valid_images_decode_to_three_channels(name, tmp_path):
    from ppocr.infer.images import read_image  # what the predictors use (GIF through Pillow)

    img = read_image(str(write_files({name: GOOD[name]}, tmp_path) / name))
    assert img.ndim == 3 and img.shape[2] == 3 and img.dtype == np.uint8 and img.size > 0


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_images_raise_one_clear_error_naming_the_file(name):
    with pytest.raises(ValueError, match=rf"cannot decode image {name}: "):
        decode_bytes(BAD[name], name)


def test_huge_jpeg_is_decoded_downscaled(monkeypatch):
    monkeypatch.setattr(operators, "MAX_DECODED_PIXELS", 100 * 100)
    raw = encoded(np.full((300, 500, 3), 200, np.uint8), "jpg")
    assert decode_bytes(raw, "big.jpg").shape == (75, 125, 3)  # 150,000 px: 1/2 is still 37,500, 1/4 fits
    with pytest.raises(ValueError, match=r"500x300 pixels is over the limit of 10000 pixels for PNG files"):
        decode_bytes(encoded(np.zeros((300, 500, 3), np.uint8), "png"), "big.png")


def test_random_mutations_never_crash_the_decoder():
    """Flipped bytes and truncations of valid files: each either decodes or raises ValueError."""
    rng = np.random.RandomState(1)
    sources = [GOOD["page.jpg"], GOOD["gray.png"], GOOD["sixteen_bit.tif"]]
    tried = decoded = 0
    for i in range(300):
        raw = bytearray(sources[i % len(sources)])
        if i % 2:
            raw = raw[: rng.randint(1, len(raw))]
        for pos in rng.randint(0, len(raw), size=rng.randint(1, 8)):
            raw[pos] = rng.randint(256)
        tried += 1
        try:
            img = decode_bytes(bytes(raw), f"mutant{i}")
        except ValueError as e:
            assert f"mutant{i}" in str(e)
            continue
        assert img.ndim == 3 and img.shape[2] == 3
        decoded += 1
    assert tried == 300 and 0 < decoded < tried


@pytest.mark.skipif(not SHIPPED, reason="needs the shipped models")
def test_predictors_and_api_skip_bad_files_and_process_the_rest(tmp_path):
    folder = write_files({**GOOD, **BAD}, tmp_path / "imgs")
    n_good, n_bad = len(GOOD), len(BAD)
    for tool, extra in (("predict_det.py", []), ("predict_rec.py", []),
                        ("predict_system.py", ["--rec_batch_num=2"])):
        out = tmp_path / tool
        proc = run_tool(f"tools/infer/{tool}", f"--image_dir={folder}", f"--output_dir={out}", *extra,
                        timeout=300)
        for name in BAD:
            assert f"skipping {folder / name}" in proc.stdout, (tool, name)
        assert "Traceback" not in proc.stdout
        if tool != "predict_rec.py":
            assert f"{n_good} images done, {n_bad} failed" in proc.stdout, tool
        else:
            assert f"recognized {n_good} crops" in proc.stdout and f"{n_bad} failed" in proc.stdout
    results = dict(r.split("\t") for r in (tmp_path / "predict_system.py" / "system_results.txt").read_text()
                   .splitlines())
    assert len(results) == n_good
    for path, items in results.items():  # every odd format reads the same text (a 1-pixel image: none)
        texts = [item["transcription"] for item in json.loads(items)]
        assert texts == ([] if path.endswith("one_pixel.png") else ["Test 42"]), (path, texts)

    from ppocr import TextSystem

    system = TextSystem.from_dirs()
    for name in GOOD:
        texts = [line.text for line in system.ocr(str(folder / name))]
        assert texts == ([] if name == "one_pixel.png" else ["Test 42"]), (name, texts)
    for name in BAD:
        with pytest.raises(ValueError, match=rf"{name}"):
            system.ocr(str(folder / name))


def test_dataset_loader_skips_bad_files_and_reads_the_rest(tmp_path):
    from ppocr.data.simple_dataset import SimpleDataSet

    files = {n: raw for n, raw in {**GOOD, **BAD}.items() if not n.endswith(".gif")}  # GIF: predictors only
    write_files(files, tmp_path / "imgs")
    (tmp_path / "label.txt").write_text("".join(f"imgs/{n}\tTest\n" for n in files))
    ops = [{"DecodeImage": {"img_mode": "BGR"}}, {"RecResizeImg": {"image_shape": [3, 32, 100]}},
           {"KeepKeys": {"keep_keys": ["image"]}}]
    ds = SimpleDataSet(str(tmp_path), [str(tmp_path / "label.txt")], ops)
    for i, name in enumerate(files):
        sample = ds[i]
        if name in BAD:
            assert sample is None, name
        else:
            assert sample[0].shape == (3, 32, 100), name
