"""Charts per second from 1 or 2 worker processes, and from 2 threads in one process.

Each worker imports the function app, renders one warm-up chart, waits for the others, then
answers ``--requests`` default requests (1000 points, 640 x 480 PNG in the Azure ML table)
through ``ScatterPlot.main``, as the Functions Python worker would. Matplotlib's class-wide
render lock (``Figure._render_lock``, taken by ``Figure.draw``) is wrapped to record how long
each worker waited for it. Prints the figures and asserts nothing about time. On a shared
machine the best round is the least disturbed one; the lock waits do not depend on the load.

Usage: ``.venv/bin/python -m benchmarks.workers [--requests 25] [--rounds 5]``.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from types import TracebackType
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class TimedLock:
    """A stand-in for the render lock that records the time spent waiting for it and holding it."""

    def __init__(self, lock: Any) -> None:
        self.lock = lock
        self.waited: list[float] = []
        self.held: list[float] = []
        self.acquired = 0.0

    def __enter__(self) -> None:
        began = time.perf_counter()
        self.lock.acquire()
        self.acquired = time.perf_counter()
        self.waited.append(self.acquired - began)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.held.append(time.perf_counter() - self.acquired)
        self.lock.release()


def _answer_one() -> Callable[[int], None]:
    """Import the app (once per process) and return a function that answers one request."""
    if ROOT not in sys.path:
        sys.path.insert(0, ROOT)
    import azure.functions as func

    import ScatterPlot

    def answer(seed: int) -> None:
        req = func.HttpRequest(
            method="GET",
            url=f"http://localhost/api/ScatterPlot?seed={seed}",
            headers={},
            params={"seed": str(seed)},
            body=b"",
        )
        resp = ScatterPlot.main(req)
        if resp.status_code != 200:
            raise RuntimeError(f"status {resp.status_code}: {resp.get_body()[:200]!r}")

    answer(0)  # warm-up: imports, font cache, first figure
    return answer


def _process(
    barrier: Barrier, report: Queue[tuple[float, float, float]], requests: int, threads: int
) -> None:
    from matplotlib.figure import Figure

    answer = _answer_one()
    # Private and untyped: the class attribute every Figure.draw takes (matplotlib 3.11).
    lock = TimedLock(getattr(Figure, "_render_lock"))  # noqa: B009
    setattr(Figure, "_render_lock", lock)  # noqa: B010
    barrier.wait()
    started = time.process_time()

    def loop(offset: int) -> None:
        for i in range(requests):
            answer(offset + i)

    workers = [threading.Thread(target=loop, args=(t * requests,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    report.put((time.process_time() - started, sum(lock.waited), sum(lock.held)))


@dataclass(frozen=True)
class Round:
    """One run of one layout."""

    rate: float
    """Charts per second, all workers together."""
    cpus: float
    """CPU seconds used per second of wall time (cores kept busy)."""
    wait_share: float
    """Fraction of the workers' time spent waiting for the render lock."""
    lock_busy: float
    """Fraction of the time a process's render lock was held (mean over processes)."""


def run(processes: int, threads: int, requests: int) -> Round:
    """Measure ``processes`` x ``threads`` workers answering ``requests`` requests each."""
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(processes + 1)
    report: Queue[tuple[float, float, float]] = ctx.Queue()
    procs = [
        ctx.Process(target=_process, args=(barrier, report, requests, threads))
        for _ in range(processes)
    ]
    for proc in procs:
        proc.start()
    barrier.wait()  # every worker is warm
    start = time.perf_counter()
    results = [report.get() for _ in procs]
    elapsed = time.perf_counter() - start
    for proc in procs:
        proc.join()
        if proc.exitcode != 0:
            raise RuntimeError(f"worker exited with {proc.exitcode}")
    workers = processes * threads
    return Round(
        rate=workers * requests / elapsed,
        cpus=sum(cpu for cpu, _, _ in results) / elapsed,
        wait_share=sum(wait for _, wait, _ in results) / (workers * elapsed),
        lock_busy=sum(held for _, _, held in results) / (processes * elapsed),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Print charts per second for each layout, its ratio to one worker, and the lock waits."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=25, help="requests per worker thread")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds")
    args = parser.parse_args(argv)
    print(f"CPUs: {os.cpu_count()}, {args.requests} requests per worker, {args.rounds} rounds")
    layouts = [(1, 1), (1, 2), (2, 1)]
    rounds: dict[tuple[int, int], list[Round]] = {layout: [] for layout in layouts}
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    for _ in range(args.rounds):
        for layout in layouts:
            rounds[layout].append(run(*layout, args.requests))
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    base = statistics.median(r.rate for r in rounds[layouts[0]])
    best_base = max(r.rate for r in rounds[layouts[0]])
    for (processes, threads), values in rounds.items():
        rate = statistics.median(r.rate for r in values)
        best = max(r.rate for r in values)
        print(
            f"{processes} process(es) x {threads} thread(s): "
            f"median {rate:5.1f} charts/s ({rate / base:.2f}x), "
            f"best {best:5.1f} ({best / best_base:.2f}x), "
            f"CPUs busy {statistics.median(r.cpus for r in values):.2f}, "
            f"render lock held {statistics.median(r.lock_busy for r in values):.0%} of the time, "
            f"waited for {statistics.median(r.wait_share for r in values):.0%}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
