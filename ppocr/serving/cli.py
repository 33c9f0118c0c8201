"""``ppocr-serve`` / ``tools/serve.py``: the command line of the OCR service."""
from __future__ import annotations

import dataclasses
import json
import logging
import os
from typing import Optional

from ppocr.infer.cli import init_args, parse_args, str2bool, system_settings

logger = logging.getLogger("ppocr")
SETTINGS_ENV = "PPOCR_SERVE_SETTINGS"  # how uvicorn's worker processes get the settings (JSON)
DESCRIPTION = """Serve OCR over HTTP with the models and flags of predict_system.py (default: the shipped models),
with PaddleOCR hubserving's API:
  ppocr-serve --port 8868
  curl -s -H 'Content-Type: application/json' -d "{\\"images\\": [\\"$(base64 -w0 doc/imgs/doc_1.jpg)\\"]}" \\
      http://127.0.0.1:8868/predict/ocr_system
Endpoints: POST /predict/ocr_system, /predict/ocr_det, /predict/ocr_rec ({"images": [base64, ...]});
POST /ocr (multipart upload of an image or a PDF, field "file"); GET /health; GET /metrics. doc/serving_en.md."""


def build_parser():
    p = init_args(DESCRIPTION, image_dir=False)
    srv = p.add_argument_group("service")
    srv.add_argument("--host", default="127.0.0.1", help="address to listen on (default %(default)s: this machine "
                                                         "only; 0.0.0.0 for every interface)")
    srv.add_argument("--port", type=int, default=8868, help="port (default %(default)s, hubserving's)")
    srv.add_argument("--workers", type=int, default=1,
                     help="server processes, each with its own models and --cpu_threads threads (default 1)")
    srv.add_argument("--max_request_mb", type=float, default=20.0, help="largest request body (default 20 MB)")
    srv.add_argument("--max_images", type=int, default=16, help="most images in one hubserving request")
    srv.add_argument("--max_pages", type=int, default=50, help="most pages of one uploaded PDF")
    srv.add_argument("--max_image_pixels", type=int, default=40_000_000,
                     help="largest image, width x height, judged by its header before decoding")
    srv.add_argument("--max_queue", type=int, default=64,
                     help="requests held at once per process; more are answered 503 with Retry-After")
    p.add_argument("--drop_score", type=float, default=0.5, help="drop results with a lower score")
    p.add_argument("--access_log", type=str2bool, default=False, help="log every request (uvicorn's access log)")
    p.set_defaults(cpu_threads=None)
    return p


def settings_from_args(args):
    from ppocr.serving.app import ServeSettings

    if args.cpu_threads is None:  # fill the cores, split over the processes
        args.cpu_threads = max(1, (os.cpu_count() or 1) // max(1, args.workers))
    return ServeSettings(system=system_settings(args), max_request_mb=args.max_request_mb,
                         max_images=args.max_images, max_pages=args.max_pages,
                         max_image_pixels=args.max_image_pixels, max_queue=args.max_queue)


def app_from_env():
    """uvicorn's factory in each worker process (``--workers`` > 1)."""
    from ppocr.serving.app import ServeSettings, create_app
    from ppocr.utils.logging import get_logger

    limit_malloc_arenas()
    get_logger()
    return create_app(ServeSettings(**json.loads(os.environ[SETTINGS_ENV])))


def limit_malloc_arenas(arenas: int = 2) -> None:
    """Cap glibc's malloc arenas (``M_ARENA_MAX``) before threads start: a server's threads would otherwise
    get up to 8 per core, and memory freed in one is not reused by another, so RSS creeps up under load."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if name and "libc.so" in name:  # glibc; other C libraries manage memory their own way
        M_ARENA_MAX = -8
        ctypes.CDLL(name).mallopt(M_ARENA_MAX, arenas)


def main(argv: Optional[list] = None) -> int:
    import uvicorn

    from ppocr.serving.app import create_app

    limit_malloc_arenas()
    args = parse_args(build_parser(), argv)
    settings = settings_from_args(args)
    logger.info(f"serving on http://{args.host}:{args.port} with {args.workers} process(es) x "
                f"{args.cpu_threads} thread(s)")
    common = dict(host=args.host, port=args.port, access_log=args.access_log, log_level="info",
                  timeout_graceful_shutdown=None)
    if args.workers > 1:
        os.environ[SETTINGS_ENV] = json.dumps(dataclasses.asdict(settings))
        uvicorn.run("ppocr.serving.cli:app_from_env", factory=True, workers=args.workers, **common)
    else:
        uvicorn.run(create_app(settings), **common)
    return 0


def console_serve() -> None:
    from ppocr.utils.cli import run_cli

    run_cli(main)
