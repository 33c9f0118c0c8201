"""The HTTP service, started as users start it (a subprocess on a loopback port), over real HTTP."""
import base64
import json
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import zlib
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from tests.conftest import ROOT, SHIPPED

pytestmark = pytest.mark.skipif(not SHIPPED, reason="needs the shipped models")
IMAGES = sorted((ROOT / "doc" / "imgs").glob("*.*"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, tmp_path, *flags):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(tmp_path / "serve.log", "w+")
        self.proc = subprocess.Popen([sys.executable, str(ROOT / "tools" / "serve.py"), "--port", str(self.port),
                                      "--cpu_threads", "1", *flags], cwd=tmp_path, stdout=self.log,
                                     stderr=subprocess.STDOUT)
        for _ in range(240):
            try:
                if get(self.url + "/health")[0] == 200:
                    return
            except OSError:
                pass
            assert self.proc.poll() is None, self.output()
            time.sleep(0.5)
        raise AssertionError("server not healthy: " + self.output())

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self) -> None:
        """SIGTERM: in-flight requests are finished, then the process ends as signalled (uvicorn re-raises
        the signal once it has shut down), after a complete shutdown."""
        self.proc.send_signal(signal.SIGTERM)
        assert self.proc.wait(timeout=60) == -signal.SIGTERM
        assert "Application shutdown complete" in self.output()


def get(url):
    with urllib.request.urlopen(url, timeout=60) as r:
        return r.status, r.read()


def post(url, body, content_type="application/json", timeout=300):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def b64(path) -> str:
    return base64.b64encode(path.read_bytes()).decode()


def png_header(width: int, height: int) -> bytes:
    """A small PNG whose header declares ``width`` x ``height`` (its pixel data is a few bytes)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("serve"), "--max_request_mb", "1")
    yield srv
    srv.stop()


def test_hubserving_request_reads_what_text_system_reads(server):
    from ppocr.infer.system import TextSystem

    system = TextSystem.from_dirs(cpu_threads=1)
    for path in (IMAGES[0], IMAGES[3]):  # one image per request: pages read together share batches
        status, body = post(server.url + "/predict/ocr_system", {"images": [b64(path)]})
        assert status == 200 and body["status"] == "000" and body["msg"] == "" and len(body["results"]) == 1
        items, lines = body["results"][0], system.ocr(str(path))
        assert len(items) == len(lines) > 5
        for item, line in zip(items, lines):
            assert item["text"] == line.text and abs(item["confidence"] - line.score) < 1e-6
            assert item["text_region"] == np.round(line.points).astype(int).tolist()

    status, det = post(server.url + "/predict/ocr_det", {"images": [b64(IMAGES[3])]})
    boxes = [d["text_region"] for d in det["results"][0]]  # every box, before the score filter
    assert status == 200 and all(i["text_region"] in boxes for i in body["results"][0])
    words = sorted((ROOT / "doc" / "imgs_words").glob("*.*"))[:4]
    status, rec = post(server.url + "/predict/ocr_rec", {"images": [b64(p) for p in words]})
    texts = system.recognizer([__import__("cv2").imread(str(p)) for p in words])[0]
    assert status == 200 and [r[0]["text"] for r in rec["results"]] == [t for t, _ in texts]


def test_an_uploaded_pdf_is_read_page_by_page(server, tmp_path):
    pytest.importorskip("pypdfium2")
    from PIL import Image

    pdf = tmp_path / "two.pdf"
    pages = [Image.open(IMAGES[0]).convert("RGB"), Image.open(IMAGES[1]).convert("RGB")]
    pages[0].save(pdf, save_all=True, append_images=pages[1:], resolution=144)
    boundary = "ppocrboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"two.pdf\"\r\n"
            f"Content-Type: application/pdf\r\n\r\n").encode() + pdf.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    status, out = post(server.url + "/ocr", body, f"multipart/form-data; boundary={boundary}")
    assert status == 200 and [p["page"] for p in out["pages"]] == [1, 2]
    for page in out["pages"]:
        assert len(page["lines"]) > 5 and {"transcription", "points", "score"} <= set(page["lines"][0])


def test_sixteen_concurrent_requests_all_succeed_and_read_like_sequential_ones(server):
    images = [b64(p) for p in IMAGES]
    sequential = [post(server.url + "/predict/ocr_system", {"images": [img]})[1]["results"][0] for img in images]
    with ThreadPoolExecutor(16) as ex:
        outs = list(ex.map(lambda i: post(server.url + "/predict/ocr_system", {"images": [images[i % len(images)]]}),
                           range(16)))
    assert [s for s, _ in outs] == [200] * 16
    same = total = 0
    for i, (_, body) in enumerate(outs):
        got, want = body["results"][0], sequential[i % len(images)]
        assert [g["text_region"] for g in got] == [w["text_region"] for w in want]  # detection is per page
        same += sum(g["text"] == w["text"] for g, w in zip(got, want))
        total += len(want)
    # Crops of pages read together share batches and may be padded to another width: a few may differ.
    assert same >= 0.97 * total, (same, total)
    metrics = get(server.url + "/metrics")[1].decode()
    assert "ppocr_recognition_batch_requests_bucket" in metrics


BAD_REQUESTS = [
    ("invalid base64", {"images": ["not base64!!"]}, 400, "images[0]: not valid base64"),
    ("not an image", {"images": [base64.b64encode(b"hello, world").decode()]}, 400, "not a valid image file"),
    ("truncated image", None, 400, "images[0]"),
    ("30000 x 30000 header", {"images": [base64.b64encode(png_header(30000, 30000)).decode()]}, 413,
     "header declares more than"),
    ("8000 x 8000 header", {"images": [base64.b64encode(png_header(8000, 8000)).decode()]}, 413,
     "8000x8000 pixels is over the limit of 40000000 pixels"),
    ("malformed JSON", b"{not json", 400, "not valid JSON"),
    ("missing field", {"imgs": []}, 422, '"images" list'),
    ("body over --max_request_mb", {"images": ["A" * (1 << 21)]}, 413, "over the limit of 1 MB"),
]


@pytest.mark.parametrize("name, body, status, message", BAD_REQUESTS, ids=[b[0] for b in BAD_REQUESTS])
def test_each_bad_input_gets_its_4xx_and_the_server_keeps_serving(server, name, body, status, message):
    if body is None:
        body = {"images": [base64.b64encode(IMAGES[0].read_bytes()[:3000]).decode()]}
    got, answer = post(server.url + "/predict/ocr_system", body)
    assert got == status and message in answer["msg"] and answer["results"] == [], answer
    assert post(server.url + "/predict/ocr_system", {"images": [b64(IMAGES[5])]})[0] == 200
    metrics = get(server.url + "/metrics")[1].decode()
    assert f'ppocr_requests_total{{endpoint="ocr_system",status="{status}"}}' in metrics


def test_a_client_that_leaves_frees_its_work_and_sigterm_finishes_in_flight_requests(tmp_path):
    srv = Server(tmp_path)
    body = json.dumps({"images": [b64(p) for p in IMAGES]}).encode()
    head = (f"POST /predict/ocr_system HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", srv.port)) as s:
        s.sendall(head + body)
        time.sleep(0.3)  # the server has started on it
    for _ in range(100):
        if "the client went away" in srv.output():
            break
        time.sleep(0.1)
    assert "the client went away; its work was dropped" in srv.output()
    result = {}
    worker = threading.Thread(target=lambda: result.update(answer=post(srv.url + "/predict/ocr_system",
                                                                         {"images": [b64(IMAGES[0])] * 3})))
    worker.start()
    time.sleep(0.5)
    srv.stop()
    worker.join(timeout=120)
    status, body = result["answer"]
    assert status == 200 and len(body["results"]) == 3 and all(body["results"])
