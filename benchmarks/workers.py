"""Charts per second from 1 or 2 worker processes, and from 2 threads in one process.

Each worker imports the function app, renders one warm-up chart, waits for the others, then
answers ``--requests`` default requests (1000 points, 640 x 480 PNG in the Azure ML table)
through ``ScatterPlot.main``, as the Functions Python worker would. Prints the figures and
asserts nothing about time. On a shared machine the best round is the least disturbed one.

Usage: ``.venv/bin/python -m benchmarks.workers [--requests 40] [--rounds 3]``.
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
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


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


def _process(barrier: Barrier, cpu: Queue[float], requests: int, threads: int) -> None:
    answer = _answer_one()
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
    cpu.put(time.process_time() - started)


def run(processes: int, threads: int, requests: int) -> tuple[float, float]:
    """Charts per second and CPUs kept busy with ``processes`` x ``threads`` workers."""
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(processes + 1)
    cpu: Queue[float] = ctx.Queue()
    procs = [
        ctx.Process(target=_process, args=(barrier, cpu, requests, threads))
        for _ in range(processes)
    ]
    for proc in procs:
        proc.start()
    barrier.wait()  # every worker is warm
    start = time.perf_counter()
    for proc in procs:
        proc.join()
        if proc.exitcode != 0:
            raise RuntimeError(f"worker exited with {proc.exitcode}")
    elapsed = time.perf_counter() - start
    busy = sum(cpu.get() for _ in procs)
    return processes * threads * requests / elapsed, busy / elapsed


def lock_share(requests: int) -> tuple[float, float]:
    """Median ms per request, and median ms of it inside ``Figure.draw`` (under the lock)."""
    from matplotlib.figure import Figure

    answer = _answer_one()
    draw = Figure.draw
    inside: list[float] = []

    def timed_draw(self: Figure, renderer: object) -> None:
        began = time.perf_counter()
        try:
            draw(self, renderer)  # type: ignore[arg-type]
        finally:
            inside.append(time.perf_counter() - began)

    Figure.draw = timed_draw  # type: ignore[assignment,method-assign]
    try:
        totals = []
        for seed in range(requests):
            began = time.perf_counter()
            answer(seed)
            totals.append(time.perf_counter() - began)
    finally:
        Figure.draw = draw  # type: ignore[method-assign]
    return statistics.median(totals) * 1000, statistics.median(inside) * 1000


def main(argv: Sequence[str] | None = None) -> int:
    """Print charts per second for each layout, and the ratio to one process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=40, help="requests per worker thread")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (median kept)")
    args = parser.parse_args(argv)
    print(
        f"CPUs: {os.cpu_count()}, {args.requests} requests per worker thread, "
        f"median of {args.rounds} interleaved rounds"
    )
    layouts = [(1, 1), (1, 2), (2, 1)]
    rates: dict[tuple[int, int], list[float]] = {layout: [] for layout in layouts}
    cpus: dict[tuple[int, int], list[float]] = {layout: [] for layout in layouts}
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    for _ in range(args.rounds):
        for layout in layouts:
            rate, busy = run(*layout, args.requests)
            rates[layout].append(rate)
            cpus[layout].append(busy)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    total, locked = lock_share(args.requests)
    print(
        f"one request: {total:.1f} ms, of which {locked:.1f} ms ({locked / total:.0%}) inside "
        f"Figure.draw, which holds matplotlib's class-wide render lock"
    )
    base = statistics.median(rates[layouts[0]])
    best_base = max(rates[layouts[0]])
    for layout, values in rates.items():
        processes, threads = layout
        rate, best = statistics.median(values), max(values)
        print(
            f"{processes} process(es) x {threads} thread(s): median {rate:5.1f} charts/s "
            f"({rate / base:.2f}x), best {best:5.1f} charts/s ({best / best_base:.2f}x), "
            f"CPUs busy {statistics.median(cpus[layout]):.2f} "
            f"(rounds: {', '.join(f'{v:.1f}' for v in values)})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
