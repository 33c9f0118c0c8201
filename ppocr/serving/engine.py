"""The models of one server process and the one thread that runs them.

Requests never run a model themselves: they hand jobs to :class:`OcrEngine`, whose single runner thread
executes them one at a time with the process's ``cpu_threads`` (so concurrent requests never over-subscribe
the cores). Recognition is batched across requests: the crops of every page waiting for recognition are read
in one ``TextRecognizer.read`` call, which orders them by width and cuts them into batches, so pages arriving
together share batches. A bounded number of requests is admitted; the rest are refused at once
(:class:`Overloaded`), so a burst costs a retry, not unbounded memory and latency.
"""
from __future__ import annotations

import asyncio
import logging
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Deque, List, Optional, Sequence

import numpy as np

from ppocr.infer.system import PreparedPage, SystemOutput, TextSystem

logger = logging.getLogger("ppocr")
MAX_PAGES_BEFORE_READING = 4  # pages prepared (detected) before the waiting pages are recognized together


class Overloaded(Exception):
    """The engine already holds its maximum of requests."""


@dataclass
class _Job:
    run: Callable[[], Any]  # work for the runner thread
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future


@dataclass
class _ReadJob:
    crops: List[np.ndarray]
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future
    size: int = field(init=False)

    def __post_init__(self):
        self.size = len(self.crops)


class OcrEngine:
    """``await engine.ocr(image)``, ``await engine.detect(image)``, ``await engine.recognize(crops)`` from the
    event loop; ``admit()`` / ``release()`` around each request bound how many are held (``max_queue``).

    ``on_batch(n_crops, n_requests)`` is called after each cross-request recognition call (for metrics).
    """

    def __init__(self, system: TextSystem, max_queue: int = 64,
                 on_batch: Optional[Callable[[int, int], None]] = None):
        self.system = system
        self.max_queue = int(max_queue)
        self.on_batch = on_batch
        self.held = 0  # requests admitted and not yet released (event-loop thread only)
        self._jobs: Deque[_Job] = deque()
        self._reads: Deque[_ReadJob] = deque()
        self._wake = threading.Condition()
        self._stopping = False
        self._runner = threading.Thread(target=self._run, name="ocr-runner", daemon=True)
        self._runner.start()

    # ----- admission (event loop) -------------------------------------------------------------------
    def admit(self) -> None:
        if self.held >= self.max_queue:
            raise Overloaded(f"{self.held} requests in progress, the limit (--max_queue) is {self.max_queue}")
        self.held += 1

    def release(self) -> None:
        self.held -= 1

    # ----- the API requests await ---------------------------------------------------------------------
    async def ocr(self, image: np.ndarray) -> SystemOutput:
        page: PreparedPage = await self._submit(lambda: self.system.prepare(image))
        if not page.crops:
            return self.system.finish(page)
        texts, rec_time = await self._read(page.rec_inputs)
        return self.system.finish(page, texts, rec_time)

    async def detect(self, image: np.ndarray) -> List[np.ndarray]:
        from ppocr.infer.system import sort_boxes

        def run():
            boxes = self.system.detector(image)[0]
            return [boxes[i] for i in sort_boxes(boxes)]

        return await self._submit(run)

    async def recognize(self, crops: Sequence[np.ndarray]) -> List[tuple]:
        """``[(text, score), ...]`` of text crops (turned upright first when the system has a classifier)."""
        crops = list(crops)
        if self.system.classifier is not None:
            crops = await self._submit(lambda: self.system.classifier.make_upright(crops)[0])
        texts, _ = await self._read(crops)
        return [(t, s) for t, s, _ in texts]

    def stop(self) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify()
        self._runner.join(timeout=10)

    # ----- hand-over between the event loop and the runner thread ---------------------------------------
    def _submit(self, run: Callable[[], Any]) -> "asyncio.Future":
        return self._enqueue(self._jobs, _Job, run)

    def _read(self, crops: List[np.ndarray]) -> "asyncio.Future":
        return self._enqueue(self._reads, _ReadJob, crops)

    def _enqueue(self, queue: Deque, job_type, work) -> "asyncio.Future":
        """Queue ``job_type(work, loop, future)`` for the runner thread; the future resolves on this loop."""
        loop = asyncio.get_running_loop()
        job = job_type(work, loop, loop.create_future())
        with self._wake:
            queue.append(job)
            self._wake.notify()
        return job.future

    @staticmethod
    def _resolve(loop, future: asyncio.Future, result: Any = None, error: Optional[BaseException] = None) -> None:
        def set_it():
            if future.cancelled():  # the client went away meanwhile
                return
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(result)

        loop.call_soon_threadsafe(set_it)

    # ----- the runner thread ----------------------------------------------------------------------------
    def _run(self) -> None:
        prepared_since_read = 0
        while True:
            with self._wake:
                while not self._jobs and not self._reads and not self._stopping:
                    self._wake.wait()
                if self._stopping:
                    return
                # Prepare a few pages before reading so that the crops of pages arriving together are
                # read together; then read everything waiting (finishing requests keeps latency low).
                take_job = self._jobs and (not self._reads or prepared_since_read < MAX_PAGES_BEFORE_READING)
                if take_job:
                    job, reads = self._jobs.popleft(), []
                else:
                    job, reads = None, list(self._reads)
                    self._reads.clear()
            if job is not None:
                prepared_since_read += 1
                self._run_job(job)
            else:
                prepared_since_read = 0
                self._run_reads(reads)

    def _run_job(self, job: _Job) -> None:
        if job.future.cancelled():
            return
        try:
            result = job.run()
        except Exception as e:  # the request gets the error; the runner keeps serving
            logger.exception("inference failed")
            self._resolve(job.loop, job.future, error=e)
        else:
            self._resolve(job.loop, job.future, result)

    def _run_reads(self, reads: List[_ReadJob]) -> None:
        reads = [r for r in reads if not r.future.cancelled()]
        if not reads:
            return
        crops = [c for r in reads for c in r.crops]
        try:
            texts, timings = self.system.recognizer.read(crops)
        except Exception as e:
            logger.exception("recognition failed")
            for r in reads:
                self._resolve(r.loop, r.future, error=e)
            return
        if self.on_batch is not None:
            self.on_batch(len(crops), len(reads))
        start = 0
        for r in reads:
            self._resolve(r.loop, r.future, (texts[start:start + r.size], timings))
            start += r.size
