"""The HTTP API: PaddleOCR hubserving's endpoints, an upload endpoint, health and metrics.

``POST /predict/ocr_system`` | ``/predict/ocr_det`` | ``/predict/ocr_rec``: ``{"images": ["<base64>", ...]}`` ->
``{"msg": "", "status": "000", "results": [[...], ...]}`` (one list per image, as hubserving answers).
``POST /ocr``: a multipart upload (field ``file``: an image or a PDF) -> ``{"pages": [{"page", "lines":
[{"transcription", "points", "score"}]}]}``. ``GET /health``, ``GET /metrics`` (Prometheus text format).
Errors: 4xx (or 503 when full, with Retry-After) and ``{"msg": "<what is wrong>", "status": "<code>",
"results": []}``.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List

import numpy as np
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from ppocr.serving.engine import OcrEngine, Overloaded
from ppocr.serving.inputs import BadInput, images_from_json, pages_from_upload
from ppocr.serving.metrics import ServerMetrics
from ppocr.utils.geometry import rounded_points

logger = logging.getLogger("ppocr")
DISCONNECT_POLL_SECONDS = 0.1
DECODE_THREADS = 2
DRAIN_MAX_BYTES = 64 * 2 ** 20  # an over-limit body is read and dropped up to this size before the 413
CLIENT_CLOSED = 499  # nginx's code for a request the client abandoned (logged and counted, never sent)


@dataclass
class ServeSettings:
    """What a server process needs: the models (``TextSystem.from_dirs`` keyword arguments) and the limits."""

    system: Dict[str, Any] = field(default_factory=dict)
    max_request_mb: float = 20.0
    max_images: int = 16  # per hubserving request
    max_pages: int = 50  # per uploaded PDF
    max_image_pixels: int = 40_000_000
    max_queue: int = 64  # requests held at once; more are answered 503


def error_body(status: int, message: str) -> Dict[str, Any]:
    return {"msg": message, "status": str(status), "results": []}


class BodyLimit:
    """ASGI middleware: a body over ``limit`` bytes is answered 413 (by its Content-Length header, or counted
    while it streams in). The rest of the body is read and dropped first, up to ``DRAIN_MAX_BYTES``, so that a
    client still sending gets the answer instead of a broken pipe; a larger one is cut off."""

    def __init__(self, app, limit: int, on_refuse: Callable[[str], None] = lambda endpoint: None):
        self.app, self.limit, self.on_refuse = app, limit, on_refuse

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        endpoint = scope["path"].rstrip("/").rsplit("/", 1)[-1]
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _drain(receive)
            return await self._refuse(send, endpoint)
        seen, more = 0, True

        async def counting_receive():
            nonlocal seen, more
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                more = message.get("more_body", False)
                if seen > self.limit:
                    raise BadInput(413, self._message())
            return message

        try:
            await self.app(scope, counting_receive, send)
        except BadInput:
            if more:
                await _drain(receive)
            await self._refuse(send, endpoint)

    def _message(self) -> str:
        return f"the request body is over the limit of {self.limit / 2 ** 20:g} MB (--max_request_mb)"

    async def _refuse(self, send, endpoint: str) -> None:
        self.on_refuse(endpoint)
        body = json.dumps(error_body(413, self._message())).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


async def _drain(receive) -> None:
    """Read and drop the rest of a request body, up to ``DRAIN_MAX_BYTES``."""
    dropped = 0
    while dropped <= DRAIN_MAX_BYTES:
        message = await receive()
        if message["type"] != "http.request":
            return
        dropped += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


def create_app(settings: ServeSettings, system=None) -> FastAPI:
    """The application; ``system`` (a TextSystem) is built from ``settings.system`` at startup unless given."""
    metrics = ServerMetrics()
    state: Dict[str, Any] = {}
    # Requests are decoded in a few threads of their own: every thread that allocates gets a glibc malloc
    # arena, and images of many sizes decoded across asyncio's default pool (dozens of threads) fragment
    # them, which shows as memory that grows over thousands of requests.
    decoder = ThreadPoolExecutor(DECODE_THREADS, thread_name_prefix="decode")

    async def in_decoder(fn, *args):
        return await asyncio.get_running_loop().run_in_executor(decoder, fn, *args)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from ppocr.infer.system import TextSystem

        ocr = system or await asyncio.to_thread(lambda: TextSystem.from_dirs(**settings.system))
        await asyncio.to_thread(ocr, np.full((64, 256, 3), 255, np.uint8))  # warm-up
        state["engine"] = OcrEngine(ocr, settings.max_queue, metrics.on_batch)
        logger.info("ready")
        yield
        state.pop("engine").stop()
        decoder.shutdown()

    app = FastAPI(title="ppocr-lite OCR service", lifespan=lifespan,
                  description="PaddleOCR hubserving-compatible OCR endpoints")
    app.add_middleware(BodyLimit, limit=int(settings.max_request_mb * 2 ** 20),
                       on_refuse=lambda endpoint: metrics.requests.labels(endpoint, "413").inc())

    async def serve(endpoint: str, request: Request, work: Callable[[OcrEngine], Awaitable[Any]]) -> Response:
        """Admission, errors as 4xx/503, client disconnects, metrics: everything but the work itself."""
        start = time.perf_counter()
        engine: OcrEngine = state["engine"]
        status, response = 200, None
        try:
            engine.admit()
        except Overloaded as e:
            status, response = 503, JSONResponse(error_body(503, str(e)), 503, headers={"Retry-After": "1"})
        else:
            metrics.queue_depth.set(engine.held)
            try:
                response = JSONResponse(await _unless_client_leaves(request, work(engine)))
            except BadInput as e:
                status, response = e.status, JSONResponse(error_body(e.status, e.message), e.status)
            except _ClientLeft:
                status, response = CLIENT_CLOSED, Response(status_code=CLIENT_CLOSED)
                logger.info(f"{endpoint}: the client went away; its work was dropped")
            finally:
                engine.release()
                metrics.queue_depth.set(engine.held)
        metrics.requests.labels(endpoint, str(status)).inc()
        metrics.latency.labels(endpoint).observe(time.perf_counter() - start)
        return response

    async def json_images(request: Request) -> List[np.ndarray]:
        raw = await request.body()
        try:
            body = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise BadInput(400, f"the body is not valid JSON: {e}") from None
        images = await in_decoder(images_from_json, body, settings.max_images, settings.max_image_pixels)
        metrics.images.inc(len(images))
        return images

    @app.post("/predict/ocr_system")
    async def ocr_system(request: Request):
        async def work(engine: OcrEngine):
            images = await json_images(request)
            outputs = await asyncio.gather(*(engine.ocr(img) for img in images))
            return _hub_ok([[{"text": line.text, "confidence": line.score, "text_region": _int_points(line.points)}
                             for line in out.lines] for out in outputs])

        return await serve("ocr_system", request, work)

    @app.post("/predict/ocr_det")
    async def ocr_det(request: Request):
        async def work(engine: OcrEngine):
            images = await json_images(request)
            boxes = await asyncio.gather(*(engine.detect(img) for img in images))
            return _hub_ok([[{"text_region": _int_points(rounded_points(b))} for b in page] for page in boxes])

        return await serve("ocr_det", request, work)

    @app.post("/predict/ocr_rec")
    async def ocr_rec(request: Request):
        async def work(engine: OcrEngine):
            texts = await engine.recognize(await json_images(request))
            return _hub_ok([[{"text": t, "confidence": round(float(s), 4)}] for t, s in texts])

        return await serve("ocr_rec", request, work)

    @app.post("/ocr")
    async def ocr_upload(request: Request):
        async def work(engine: OcrEngine):
            pages = await _upload_pages(request, settings, in_decoder)
            metrics.images.inc(len(pages))
            outputs = await asyncio.gather(*(engine.ocr(img) for img in pages))
            return {"pages": [{"page": n, "lines": [line.to_dict() for line in out.lines]}
                              for n, out in enumerate(outputs, start=1)]}

        return await serve("ocr", request, work)

    @app.get("/health")
    async def health():
        engine = state.get("engine")
        if engine is None:
            return JSONResponse({"status": "starting"}, 503)
        return {"status": "ok", "queue_depth": engine.held, "max_queue": engine.max_queue}

    @app.get("/metrics")
    async def prometheus_metrics():
        from prometheus_client import CONTENT_TYPE_LATEST

        return Response(metrics.text(), media_type=CONTENT_TYPE_LATEST)

    @app.exception_handler(BadInput)
    async def bad_input(request: Request, e: BadInput):  # raised outside serve(), e.g. by BodyLimit
        return JSONResponse(error_body(e.status, e.message), e.status)

    return app


class _ClientLeft(Exception):
    pass


async def _unless_client_leaves(request: Request, work: Awaitable[Any]) -> Any:
    """Await ``work``; if the client disconnects first, cancel it (queued model work is then skipped)."""
    task = asyncio.ensure_future(work)
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=DISCONNECT_POLL_SECONDS)
            if done:
                return task.result()
            if await request.is_disconnected():
                task.cancel()
                raise _ClientLeft()
    except asyncio.CancelledError:
        task.cancel()
        raise


async def _upload_pages(request: Request, settings: ServeSettings, in_decoder) -> List[np.ndarray]:
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        raise BadInput(415, f"POST /ocr takes a multipart/form-data upload with a 'file' field (an image or a "
                            f"PDF); got content-type {content_type or 'none'!r}")
    form = await request.form()
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise BadInput(422, f"the upload has no 'file' field; fields: {sorted(form.keys())}")
    raw = await upload.read()
    return await in_decoder(pages_from_upload, raw, upload.filename, settings.max_image_pixels, settings.max_pages)


def _hub_ok(results: List[Any]) -> Dict[str, Any]:
    return {"msg": "", "status": "000", "results": results}


def _int_points(points) -> List[List[int]]:
    """Hubserving's integer boxes, from the 0.1 px points of the results (the same pixels for every endpoint)."""
    return np.round(np.asarray(points, dtype=np.float64)).astype(int).tolist()
