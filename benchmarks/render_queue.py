"""Waiting in line: requests from many threads, charts drawn first come first served or not.

Run from the repository root:  .venv/bin/python -m benchmarks.render_queue  [--threads 8]
[--seconds 6] [--rounds 3]

``threads`` threads call ``ScatterPlot.main`` for the reference chart (1,000 fresh random
points, 640 x 480 PNG) in a closed loop, as the worker's thread pool does under that many
concurrent connections, in one process. Rounds alternate between the render queue as
shipped (``shared.chart.queue.RENDER_QUEUE``: first come, first served) and no queue
(matplotlib's render lock alone, which wakes waiting threads in no particular order). Per
round it prints charts/s, the latency median, p99 and maximum, p99 / median and the CPU time
per chart. Over HTTP the same shows in ``benchmarks.scaling``'s p99 column.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import azure.functions as func  # noqa: E402

import ScatterPlot  # noqa: E402
from shared import chart  # noqa: E402
from shared.chart.queue import FifoLock  # noqa: E402

__all__ = ["Round", "measure", "run"]


@dataclass(frozen=True, slots=True)
class Round:
    """What one round of closed-loop requests gave."""

    queue: str
    rate: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    cpu_ms: float


def _request() -> func.HttpRequest:
    return func.HttpRequest(
        "GET",
        "http://localhost/api/ScatterPlot",
        params={"n": "1000", "output": "image"},
        body=b"",
    )


def _quantile(ordered: Sequence[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(queue: str, threads: int, seconds: float) -> Round:
    """``threads`` threads requesting charts for ``seconds``, with the render queue
    (``queue="fifo"``) or without it (``"none"``)."""
    gate: Any = FifoLock() if queue == "fifo" else contextlib.nullcontext()
    saved = chart.RENDER_QUEUE  # type: ignore[attr-defined]
    chart.RENDER_QUEUE = gate  # type: ignore[attr-defined]
    latencies: list[float] = []
    stop = time.perf_counter() + seconds

    def client() -> None:
        while time.perf_counter() < stop:
            started = time.perf_counter()
            answer = ScatterPlot.main(_request())
            if answer.status_code != 200:
                raise RuntimeError(f"status {answer.status_code}")
            latencies.append((time.perf_counter() - started) * 1000)

    try:
        workers = [threading.Thread(target=client) for _ in range(threads)]
        cpu = time.process_time()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        cpu = time.process_time() - cpu
    finally:
        chart.RENDER_QUEUE = saved  # type: ignore[attr-defined]
    ordered = sorted(latencies)
    return Round(
        queue,
        len(ordered) / seconds,
        _quantile(ordered, 0.5),
        _quantile(ordered, 0.99),
        ordered[-1],
        cpu * 1000 / len(ordered),
    )


def run(
    threads: int = 8, seconds: float = 6.0, rounds: int = 3, *, echo: bool = True
) -> list[Round]:
    """Warm up, then ``rounds`` pairs of rounds (queue, none), interleaved."""
    for _ in range(20):
        ScatterPlot.main(_request())
    found: list[Round] = []
    if echo:
        print(f"{threads} threads, {seconds:g} s per round, reference chart as PNG")
        print("queue  charts/s  p50 ms  p99 ms  max ms  p99/p50  CPU ms/chart")
    for _ in range(rounds):
        for queue in ("fifo", "none"):
            one = measure(queue, threads, seconds)
            found.append(one)
            if echo:
                print(
                    f"{one.queue:5s}  {one.rate:8.1f}  {one.p50_ms:6.1f}  {one.p99_ms:6.1f}  "
                    f"{one.max_ms:6.1f}  {one.p99_ms / one.p50_ms:7.2f}  {one.cpu_ms:12.1f}"
                )
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    run(args.threads, args.seconds, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
