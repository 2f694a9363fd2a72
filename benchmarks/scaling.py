"""Worker processes x threads x connections over real HTTP: what to set in Azure.

Run from the repository root (needs ``wrk``: ``apt-get install wrk``)::

    .venv/bin/python -m benchmarks.scaling [--processes 1 2] [--threads 1 2 6]
        [--connections 1 2 4 8] [--seconds 8] [--rounds 2]

For every layout (``FUNCTIONS_WORKER_PROCESS_COUNT`` x ``PYTHON_THREADPOOL_THREAD_COUNT``) it
starts the local host (``python -m devhost``, worker processes like the real host), warms it
up, and drives it with ``wrk`` (a load generator in C, so the client costs the two cores
little) at each number of keep-alive connections, for the default 1,000-point 640 x 480 PNG
chart with fresh random data per request, as the reference request. Per cell it prints
charts/s, the latency median and p99, the CPU time the host's processes spent per chart, and
their RSS afterwards; the cells of one round run one after another, rounds repeat the whole
sweep and the best round of each cell is kept.

Latency with N connections cannot be lower than N / throughput (Little's law: N requests are
always in the system); the table prints that floor next to the median. So the latency a
customer can be promised is measured the other way too: requests arriving at random (Poisson)
at a fixed share of one process's capacity, however long earlier ones take (``--load 0.5
0.8``: half and four fifths of the one-connection charts/s of one process), from many callers
that each wait a random time between requests, so a slow answer does not hold the next
arrivals back.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.hostprocess import REPO, LocalHost, running_host  # noqa: E402

CHART = "/api/ScatterPlot?n=1000&output=image"
_CLOCK = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True, slots=True)
class Cell:
    """What one layout gave at one number of connections."""

    rate: float
    """Charts per second."""
    p50_ms: float
    p99_ms: float
    cpu_ms: float
    """CPU time (user + system) of the host's processes per chart."""
    rss_mb: float
    """Resident memory of the host's processes after the cell."""


def _family(pid: int) -> list[int]:
    """``pid`` and its worker processes."""
    found = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    for child in children:
        found.extend(_family(int(child)))
    return found


def _cpu_seconds(pids: Sequence[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / _CLOCK


def _rss_mb(pids: Sequence[int]) -> float:
    total = 0
    for pid in pids:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        except OSError:
            continue
    return total * _PAGE / 2**20


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _millis(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if found is None:
        raise ValueError(f"wrk printed a latency I cannot read: {text!r}")
    return float(found[1]) * _UNITS[found[2]]


def run_wrk(
    url: str,
    connections: int,
    seconds: float,
    *,
    extra: Sequence[str] = (),
    script_args: Sequence[str] = (),
) -> tuple[int, float, float, float]:
    """Requests answered, charts/s, p50 and p99 in milliseconds."""
    duration = f"{max(1, round(seconds))}s"
    arguments = ["-t", "1", "-c", str(connections), "-d", duration, "--latency", *extra, url]
    out = subprocess.run(
        ["wrk", *arguments, *(["--", *script_args] if script_args else [])],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return parse_wrk(out)


def parse_wrk(out: str) -> tuple[int, float, float, float]:
    """Requests answered, requests/s, p50 and p99 in milliseconds, from ``wrk --latency``'s
    report; ``RuntimeError`` if any answer was not a success."""
    if re.search(r"Non-2xx or 3xx responses", out):
        raise RuntimeError(f"the host answered errors:\n{out}")
    count = int(re.search(r"(\d+) requests in", out)[1])  # type: ignore[index]
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    p50 = _millis(re.search(r"\s50%\s+(\S+)", out)[1])  # type: ignore[index]
    p99 = _millis(re.search(r"\s99%\s+(\S+)", out)[1])  # type: ignore[index]
    return count, rate, p50, p99


def measure(host: LocalHost, connections: int, seconds: float) -> Cell:
    """One cell: ``connections`` connections for ``seconds`` against ``host``."""
    pids = _family(host.pid)
    before = _cpu_seconds(pids)
    count, rate, p50, p99 = run_wrk(host.base_url + CHART, connections, seconds)
    spent = _cpu_seconds(pids) - before
    return Cell(rate, p50, p99, spent * 1000 / max(count, 1), _rss_mb(pids))


USERS = 64
"""Callers of the open-loop cells, each waiting a random time between its requests."""

_THINK = """
local mean_ms = 0
function init(args)
  mean_ms = tonumber(args[1])
  math.randomseed(tonumber(args[2]))
end
function delay()
  return -mean_ms * math.log(1 - math.random())
end
"""


def open_loop(url: str, rate: float, seconds: float, *, users: int = USERS) -> Cell:
    """``users`` callers, each waiting an exponentially distributed time (mean ``users / rate``)
    after each answer before its next request: requests arrive almost as a Poisson stream of
    ``rate`` per second (slightly less, as each caller also waits for its answer), and the
    latencies count every wait in the host (``wrk``'s ``delay()``). CPU and RSS are not
    measured here (zero)."""
    if rate <= 0 or seconds <= 0:
        raise ValueError("rate and seconds must be positive")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_THINK)
    try:
        think_ms = users / rate * 1000
        _, achieved, p50, p99 = run_wrk(
            url, users, seconds, extra=["-s", script.name], script_args=[f"{think_ms:.3f}", "1"]
        )
    finally:
        Path(script.name).unlink()
    return Cell(achieved, p50, p99, 0.0, 0.0)


@contextmanager
def layout(processes: int, threads: int, folder: Path) -> Iterator[LocalHost]:
    """A warm local host with ``processes`` worker processes of ``threads`` threads."""
    env = {
        "FUNCTIONS_WORKER_PROCESS_COUNT": str(processes),
        "PYTHON_THREADPOOL_THREAD_COUNT": str(threads),
    }
    with running_host(REPO, folder / f"host-{processes}x{threads}.log", env) as host:
        with httpx.Client(timeout=60) as client:
            deadline = time.monotonic() + 60
            while len(_family(host.pid)) < processes + (processes > 1):
                if time.monotonic() > deadline:
                    raise RuntimeError("the worker processes did not start")
                time.sleep(0.2)
            client.get(host.base_url + CHART).raise_for_status()
        run_wrk(host.base_url + CHART, 2 * processes * threads, 2.0)  # warm every worker
        yield host


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2, 6])
    parser.add_argument("--connections", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--load",
        type=float,
        nargs="*",
        default=[0.5, 0.8],
        help="open-loop arrival rates, as shares of one process's one-connection charts/s",
    )
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("Error: wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 1
    best: dict[tuple[int, int, int], Cell] = {}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.rounds):
            for processes in args.processes:
                for threads in args.threads:
                    with layout(processes, threads, Path(folder)) as host:
                        for connections in args.connections:
                            cell = measure(host, connections, args.seconds)
                            key = (processes, threads, connections)
                            if key not in best or cell.rate > best[key].rate:
                                best[key] = cell
    print(
        f"{CHART}, {args.seconds:g} s per cell, best of {args.rounds} rounds, {os.cpu_count()} CPUs"
    )
    print("procs threads conns  charts/s  p50 ms  floor ms  p99 ms  CPU ms/chart  RSS MB")
    for (processes, threads, connections), cell in sorted(best.items()):
        floor = connections / cell.rate * 1000
        print(
            f"{processes:5d} {threads:7d} {connections:5d}  {cell.rate:8.1f}  {cell.p50_ms:6.1f}  "
            f"{floor:8.1f}  {cell.p99_ms:6.1f}  {cell.cpu_ms:12.1f}  {cell.rss_mb:6.0f}"
        )
    one = best.get((min(args.processes), min(args.threads), 1))
    if one is not None:
        print(
            f"one process, one thread, one connection: {one.rate:.1f} charts/s, "
            f"median {one.p50_ms:.1f} ms"
        )
        for key, cell in sorted(best.items()):
            if key[2] == max(args.connections):
                print(
                    f"  {key[0]} x {key[1]} at {key[2]} connections: {cell.rate / one.rate:.2f}x "
                    f"the charts/s, p99 {cell.p99_ms / one.p50_ms:.1f}x its median"
                )
        if args.load:
            _print_open_loop(one, args.load, args.seconds)
    return 0


def _print_open_loop(one: Cell, loads: Sequence[float], seconds: float) -> None:
    """Open-loop cells against one process with the worker's default thread pool."""
    print(
        f"open loop, one process, {USERS} callers (requests arriving at random at a share of "
        "its one-connection charts/s):"
    )
    print("load  asked/s  charts/s  p50 ms  p99 ms  p99 / one-connection median")
    with tempfile.TemporaryDirectory() as folder, layout(1, 6, Path(folder)) as host:
        for load in loads:
            asked = load * one.rate
            found = open_loop(host.base_url + CHART, asked, max(seconds, 10.0))
            print(
                f"{load:4.0%}  {asked:7.1f}  {found.rate:8.1f}  {found.p50_ms:6.1f}  "
                f"{found.p99_ms:6.1f}  {found.p99_ms / one.p50_ms:.1f}x"
            )


if __name__ == "__main__":
    sys.exit(main())
