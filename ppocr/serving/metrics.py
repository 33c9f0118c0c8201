"""The server's Prometheus metrics (``GET /metrics``), in a registry of its own."""
from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)


class ServerMetrics:
    def __init__(self):
        self.registry = CollectorRegistry()
        self.requests = Counter("ppocr_requests", "HTTP requests by endpoint and status code",
                                ["endpoint", "status"], registry=self.registry)
        self.latency = Histogram("ppocr_request_seconds", "Time from request to response, by endpoint",
                                 ["endpoint"], buckets=LATENCY_BUCKETS, registry=self.registry)
        self.queue_depth = Gauge("ppocr_queue_depth", "Requests admitted and not yet answered",
                                 registry=self.registry)
        self.images = Counter("ppocr_images", "Images (pages) processed", registry=self.registry)
        self.batch_crops = Histogram("ppocr_recognition_batch_crops", "Crops per cross-request recognition call",
                                     buckets=BATCH_BUCKETS, registry=self.registry)
        self.batch_requests = Histogram("ppocr_recognition_batch_requests",
                                        "Requests whose crops shared one recognition call",
                                        buckets=BATCH_BUCKETS[:7], registry=self.registry)

    def on_batch(self, crops: int, requests: int) -> None:
        self.batch_crops.observe(crops)
        self.batch_requests.observe(requests)

    def text(self) -> bytes:
        return generate_latest(self.registry)
