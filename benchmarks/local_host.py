"""What the local host adds: start-up time and per-request overhead against calling main(),
and what several worker processes (``FUNCTIONS_WORKER_PROCESS_COUNT``) give over HTTP.

Run: ``.venv/bin/python -m benchmarks.local_host [--requests 200]`` for the overhead, and
``.venv/bin/python -m benchmarks.local_host --processes 1 2 [--requests 200] [--rounds 3]`` for
charts per second from hosts with 1 and 2 worker processes at 1 and 8 connections (1000-point
640 x 480 PNG charts, best of the rounds, the hosts measured in turn), with how the requests
spread over the worker processes. Compare figures within one run (the machine is shared).
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import httpx

from tests.conftest import make_request
from tests.hostprocess import REPO, LocalHost, running_host

QUERY = "seed=1&n=100&width=160&height=120&output=image"
CHART = "seed=1&n=1000&width=640&height=480&output=image"
CONNECTIONS = (1, 8)


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def _charts_per_second(host: LocalHost, connections: int, count: int) -> float:
    """Charts per second from ``connections`` keep-alive connections sharing ``count`` requests."""
    url = f"{host.base_url}/api/ScatterPlot?{CHART}"
    clients = [httpx.Client(timeout=120) for _ in range(connections)]
    try:
        for client in clients:  # open every connection before timing
            client.get(url).raise_for_status()
        share = [count // connections + (i < count % connections) for i in range(connections)]

        def run(index: int) -> None:
            for _ in range(share[index]):
                clients[index].get(url).raise_for_status()

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=connections) as pool:
            list(pool.map(run, range(connections)))
        return count / (time.perf_counter() - started)
    finally:
        for client in clients:
            client.close()


def _answered(host: LocalHost) -> Counter[str]:
    """Requests answered so far per worker process, from the host's log lines."""
    return Counter(re.findall(r"devhost\[(\d+)\]: GET /api/ScatterPlot", host.log_text()))


def compare_processes(processes: Sequence[int], count: int, rounds: int) -> None:
    """Print charts/s for hosts with each number of worker processes, in one run."""
    best: dict[tuple[int, int], float] = {}
    spread: dict[int, Counter[str]] = {n: Counter() for n in processes}
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        hosts = {
            n: stack.enter_context(
                running_host(
                    REPO,
                    Path(folder) / f"host{n}.log",
                    env={"FUNCTIONS_WORKER_PROCESS_COUNT": str(n)},
                )
            )
            for n in processes
        }
        for _ in range(rounds):  # the hosts in turn, so each sees the same machine load
            for connections in CONNECTIONS:
                for n, host in hosts.items():
                    before = _answered(host)
                    rate = _charts_per_second(host, connections, count)
                    best[n, connections] = max(best.get((n, connections), 0.0), rate)
                    if connections == max(CONNECTIONS):
                        spread[n] += _answered(host) - before
    print(f"chart: {CHART}, {count} requests per cell, best of {rounds} rounds")
    print(f"processes  connections  charts/s  share per process at {max(CONNECTIONS)} connections")
    for n in processes:
        for connections in CONNECTIONS:
            rate = best[n, connections]
            total = sum(spread[n].values())
            shares = " / ".join(f"{k / total:.0%}" for k in sorted(spread[n].values())) or "-"
            print(f"{n:9d}  {connections:11d}  {rate:8.1f}  {shares if connections > 1 else ''}")
    low, high = min(processes), max(processes)
    for connections in CONNECTIONS:
        ratio = best[high, connections] / best[low, 1]
        print(
            f"{high} processes at {connections} connection(s) / {low} process at 1 connection: "
            f"{ratio:.2f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--processes", type=int, nargs="+", help="compare hosts with these process counts"
    )
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.processes:
        compare_processes(args.processes, args.requests, args.rounds)
        return
    count = args.requests

    from ScatterPlot import main as chart  # in-process baseline

    chart(make_request("/api/ScatterPlot?" + QUERY))  # warm up
    direct: list[float] = []
    served: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        with running_host(REPO, Path(folder) / "host.log") as host:
            url = f"{host.base_url}/api/ScatterPlot?{QUERY}"
            with httpx.Client(timeout=60) as http:
                assert http.get(url).status_code == 200
                ready = time.perf_counter() - started
                for _ in range(count):  # interleaved, so both see the same machine load
                    started = time.perf_counter()
                    chart(make_request("/api/ScatterPlot?" + QUERY))
                    direct.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    http.get(url).raise_for_status()
                    served.append(time.perf_counter() - started)
                started = time.perf_counter()
                with ThreadPoolExecutor(max_workers=4) as pool:
                    list(pool.map(lambda _: http.get(url).raise_for_status(), range(count)))
                parallel = time.perf_counter() - started

    print(f"chart: {QUERY}, {count} requests")
    print(f"process start to first chart:      {ready * 1000:8.0f} ms")
    print(f"main() called in-process, median:  {_median_ms(direct):8.2f} ms")
    print(f"over HTTP (keep-alive), median:    {_median_ms(served):8.2f} ms")
    print(f"host overhead per request:         {_median_ms(served) - _median_ms(direct):8.2f} ms")
    print(f"4 concurrent clients:              {count / parallel:8.1f} charts/s")
    print(f"1 client, sequential:              {count / sum(served):8.1f} charts/s")


if __name__ == "__main__":
    main()
