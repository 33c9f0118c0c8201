"""Load test of the OCR service: throughput and latency under concurrency, and memory over a soak.

python3 benchmarks/serve_load.py --image_dir ../shared/dev/e2e/imgs --clients 1,4,16 --requests 64
python3 benchmarks/serve_load.py --image_dir ../shared/dev/e2e/imgs --clients 4 --soak 2000

Starts tools/serve.py on a free 127.0.0.1 port (extra server flags after --), measures the same images through
TextSystem in this process (predict_system.py's path; --cpu_threads as the server), then for each client count
C sends --requests requests (one image each, the images in turn) from C threads and prints images/s, latency
percentiles, errors, the server's RSS (all its processes) before and after, and the throughput relative to the
in-process figure. --soak N sends N requests and prints the RSS at request 200 and at the end.
"""
import argparse
import base64
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, ROOT)


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its descendants (uvicorn's worker processes), in MB."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (OSError, StopIteration):
            continue
    return total / 1024


def start_server(flags, threads: int):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(os.path.join(os.environ.get("TMPDIR", "/tmp"), f"serve_load_{port}.log"), "w")
    proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "tools", "serve.py"), "--host", "127.0.0.1",
                             "--port", str(port), "--cpu_threads", str(threads), *flags], stdout=log,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(url + "/health", timeout=5) as r:
                if r.status == 200:
                    return proc, url, log.name
        except OSError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.5)
    proc.kill()
    raise SystemExit(f"the server did not start; see {log.name}")


def post(url: str, body: bytes):
    t0 = time.perf_counter()
    req = urllib.request.Request(url + "/predict/ocr_system", data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=600) as r:
            ok = r.status == 200 and json.loads(r.read())["status"] == "000"
    except (urllib.error.URLError, OSError):
        ok = False
    return ok, time.perf_counter() - t0


def in_process_rate(paths, threads: int, rounds: int) -> float:
    """Images/s of TextSystem over the images (after a warm-up pass), as predict_system.py runs them."""
    from ppocr.infer.images import read_image
    from ppocr.infer.system import TextSystem

    system = TextSystem.from_dirs(cpu_threads=threads)
    images = [read_image(p) for p in paths]
    for img in images:
        system(img)
    t0 = time.perf_counter()
    for _ in range(rounds):
        for img in images:
            system(img)
    return rounds * len(images) / (time.perf_counter() - t0)


def load(url: str, bodies, clients: int, requests: int, on_done=None):
    """Send ``requests`` requests from ``clients`` threads; ``(wall seconds, latencies, errors)``."""
    latencies, errors, lock, counter = [], 0, threading.Lock(), iter(range(requests))

    def client():
        nonlocal errors
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            ok, seconds = post(url, bodies[i % len(bodies)])
            with lock:
                latencies.append(seconds)
                errors += not ok
                if on_done:
                    on_done(len(latencies))

    t0 = time.perf_counter()
    with ThreadPoolExecutor(clients) as ex:
        for f in [ex.submit(client) for _ in range(clients)]:
            f.result()
    return time.perf_counter() - t0, latencies, errors


def percentile(values, q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--image_dir", required=True)
    p.add_argument("--clients", default="1,4,16", help="comma-separated client counts")
    p.add_argument("--requests", type=int, default=64, help="requests per client count (bounded load)")
    p.add_argument("--cpu_threads", type=int, default=os.cpu_count() or 1)
    p.add_argument("--baseline_rounds", type=int, default=2, help="passes over the images in process")
    p.add_argument("--soak", type=int, default=0, help="also send this many requests and report RSS growth")
    p.add_argument("server_flags", nargs="*", help="after --: flags for tools/serve.py")
    args = p.parse_args()
    from ppocr.infer.images import list_images
    from ppocr.utils.cli import prepare_environment

    prepare_environment()
    paths = list_images(args.image_dir)
    bodies = [json.dumps({"images": [base64.b64encode(open(f, "rb").read()).decode()]}).encode() for f in paths]
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    print(f"CPU: {cpu}, {os.cpu_count()} cores; {len(paths)} images from {args.image_dir}")
    rate = in_process_rate(paths, args.cpu_threads, args.baseline_rounds)
    print(f"in process (TextSystem, {args.cpu_threads} threads): {rate:.2f} images/s")
    proc, url, log = start_server(args.server_flags, args.cpu_threads)
    try:
        print(f"server: {url}, flags {args.server_flags or '(defaults)'}, log {log}")
        print("clients  images/s  vs in-process  p50 s  p95 s  p99 s  p95 bound s  errors  RSS start MB  RSS end MB")
        for clients in [int(c) for c in args.clients.split(",")]:
            load(url, bodies, clients, min(clients, args.requests))  # warm-up for this concurrency
            start = rss_mb(proc.pid)
            wall, lat, errors = load(url, bodies, clients, args.requests)
            throughput = len(lat) / wall
            bound = 2 * min(clients, args.requests) / throughput  # 2 x (images in flight / throughput)
            print(f"{clients:7d}  {throughput:8.2f}  {throughput / rate:12.0%}  {percentile(lat, 50):5.2f}  "
                  f"{percentile(lat, 95):5.2f}  {percentile(lat, 99):5.2f}  {bound:11.2f}  {errors:6d}  "
                  f"{start:12.0f}  {rss_mb(proc.pid):10.0f}")
        if args.soak:
            marks = {}

            def mark(done):
                if done in (200, args.soak):
                    marks[done] = rss_mb(proc.pid)

            wall, lat, errors = load(url, bodies, int(args.clients.split(",")[-1]), args.soak, mark)
            growth = marks[args.soak] / marks[200] - 1 if 200 in marks else float("nan")
            print(f"soak: {args.soak} requests in {wall:.0f} s, {errors} errors; RSS at request 200: "
                  f"{marks.get(200, float('nan')):.0f} MB, at {args.soak}: {marks[args.soak]:.0f} MB "
                  f"({growth:+.1%})")
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    return 0


if __name__ == "__main__":
    sys.exit(main())
