"""Side-by-side benchmark: the original pyplot recipe against ScatterPlot.main, in one process.

Run from the repository root:  .venv/bin/python -m benchmarks.bench  [--quick] [--chart PATH]

Every comparison interleaves the two (recipe, ours, recipe, ours, ...) so that both see the
same machine load, and prints medians, p90, p99 and the ratio recipe / ours. Requests to
``main`` carry no seed: each one draws fresh random data, as the reference request does.
Cold start runs fresh subprocesses; RSS is read from /proc after warm-up.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import azure.functions as func  # noqa: E402

from ScatterPlot import main  # noqa: E402
from tests.recipe import recipe_data_uri  # noqa: E402  (pyplot with the Agg backend)

Sample = list[float]


# --- the two sides -----------------------------------------------------------------------------


def recipe_request(n: int = 1000, width: int = 640, height: int = 480) -> bytes:
    """The blog recipe end to end: Python data, pyplot, savefig, base64, the Azure ML table."""
    x = range(0, n)
    y = [i + random.randint(-1000, 1000) for i in x]
    uri = recipe_data_uri(x, y, width=width, height=height)
    table = {"ColumnNames": ["image"], "ColumnTypes": ["String"], "Values": [[uri]]}
    return json.dumps({"Results": {"output1": {"type": "table", "value": table}}}).encode()


def our_request(**params: object) -> bytes:
    """One GET through ``ScatterPlot.main``, as the worker would call it."""
    query = {k: str(v) for k, v in params.items()}
    req = func.HttpRequest(
        method="GET",
        url="http://localhost:7071/api/ScatterPlot?" + urlencode(query),
        headers={},
        params=query,
        body=b"",
    )
    response = main(req)
    if response.status_code != 200:
        raise RuntimeError(response.get_body().decode())
    return response.get_body()


# --- measuring ---------------------------------------------------------------------------------


def timed(call: Callable[[], object]) -> float:
    """Milliseconds for one call."""
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def interleaved(
    a: Callable[[], object], b: Callable[[], object], rounds: int
) -> tuple[Sample, Sample]:
    """Time ``a`` and ``b`` alternately (one warm-up call each, not counted)."""
    a(), b()
    first: Sample = []
    second: Sample = []
    for _ in range(rounds):
        first.append(timed(a))
        second.append(timed(b))
    return first, second


def percentile(samples: Sample, q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def summary(samples: Sample) -> str:
    return (
        f"median {statistics.median(samples):8.2f}  p90 {percentile(samples, 90):8.2f}  "
        f"p99 {percentile(samples, 99):8.2f} ms"
    )


def compare(label: str, recipe: Sample, ours: Sample, out: list[str]) -> float:
    ratio = statistics.median(recipe) / statistics.median(ours)
    out.append(f"{label}")
    out.append(f"  recipe  {summary(recipe)}")
    out.append(f"  ours    {summary(ours)}   recipe/ours {ratio:5.1f}x")
    return ratio


# --- sections ----------------------------------------------------------------------------------

FIXED = {"xmin": -50, "xmax": 1050, "ymin": -1100, "ymax": 2100}


def section_requests(rounds: int, out: list[str]) -> None:
    recipe, ours = interleaved(recipe_request, our_request, rounds)
    compare("reference request (1000 points, 640x480 PNG, data URI in the Azure ML table)",
            recipe, ours, out)  # fmt: skip
    recipe, ours = interleaved(recipe_request, lambda: our_request(**FIXED), rounds)
    compare("fixed-limit request (the same, with xmin/xmax/ymin/ymax given)", recipe, ours, out)


def section_points(sizes: list[int], rounds: int, out: list[str]) -> list[tuple[int, float, float]]:
    rows: list[tuple[int, float, float]] = []
    for n in sizes:
        count = max(2, rounds if n <= 10_000 else rounds // 10 if n <= 100_000 else 3)
        recipe, ours = interleaved(partial(recipe_request, n), partial(our_request, n=n), count)
        compare(f"n = {n:,} points ({count} rounds)", recipe, ours, out)
        rows.append((n, statistics.median(recipe), statistics.median(ours)))
    return rows


def section_pixels(sizes: list[tuple[int, int]], rounds: int, out: list[str]) -> None:
    for width, height in sizes:
        recipe, ours = interleaved(
            partial(recipe_request, 1000, width, height),
            partial(our_request, width=width, height=height),
            rounds,
        )
        compare(f"{width}x{height} pixels, 1000 points", recipe, ours, out)


def section_tail(count: int, out: list[str]) -> None:
    """Wall-clock and CPU time per request: a tail in wall time only is the machine's."""
    for _ in range(20):
        our_request()
    wall: Sample = []
    cpu: Sample = []
    full_before = gc.get_stats()[2]["collections"]
    for _ in range(count):
        started, started_cpu = time.perf_counter(), time.thread_time()
        our_request()
        cpu.append((time.thread_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    out.append(f"tail latency, {count} reference requests in a row (ours)")
    for name, samples in (("wall", wall), ("cpu ", cpu)):
        ratio = percentile(samples, 99) / statistics.median(samples)
        out.append(f"  {name}    {summary(samples)}   p99/median {ratio:4.2f}")
    full = gc.get_stats()[2]["collections"] - full_before
    out.append(f"  full garbage collections during the run: {full} "
               f"({gc.get_freeze_count()} objects frozen after warm-up)")  # fmt: skip


def rss_kib() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def section_memory(count: int, out: list[str]) -> None:
    for _ in range(200):
        our_request()
        our_request(**FIXED)
    gc.collect()
    before = rss_kib()
    for i in range(count):
        our_request(**FIXED) if i % 2 else our_request()
    gc.collect()
    after = rss_kib()
    out.append(f"memory: RSS after warm-up {before / 1024:.1f} MiB, after {count} more requests "
               f"{after / 1024:.1f} MiB, growth {(after - before) / 1024:+.2f} MiB")  # fmt: skip


COLD_OURS = """
import time, azure.functions as func
t = time.perf_counter()
from ScatterPlot import main
r = main(func.HttpRequest(method="GET", url="http://localhost/api/ScatterPlot", headers={},
                          params={}, body=b""))
assert r.status_code == 200
print((time.perf_counter() - t) * 1000)
"""

COLD_RECIPE = """
import time, azure.functions as func
t = time.perf_counter()
import base64, io, json, random
import matplotlib
matplotlib.use("agg")
import matplotlib.pyplot as plt
import pandas as pd
x = range(0, 1000)
y = [i + random.randint(-1000, 1000) for i in x]
fig, ax = plt.subplots()
ax.scatter(x, y)
ax.set_xlabel(" x ")
ax.set_ylabel(" y ")
buffer = io.BytesIO()
fig.savefig(buffer, format="png")
uri = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
frame = pd.DataFrame([uri], columns=["image"])
print((time.perf_counter() - t) * 1000)
"""


def cold(code: str, env: dict[str, str]) -> tuple[float, str]:
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return float(done.stdout.split()[-1]), done.stderr


def section_cold(rounds: int, out: list[str]) -> None:
    with tempfile.TemporaryDirectory() as home:
        os.chmod(home, 0o555)  # a read-only home, as under run-from-package
        env = {k: v for k, v in os.environ.items() if k != "MPLCONFIGDIR"}
        env.update(HOME=home, PYTHONPATH=str(ROOT))
        cold(COLD_OURS, env)  # fills the font cache in the app's MPLCONFIGDIR once
        recipe_env = dict(
            env, MPLCONFIGDIR=os.path.join(tempfile.gettempdir(), "scatterplot-matplotlib")
        )
        recipe: Sample = []
        ours: Sample = []
        warnings = ""
        for _ in range(rounds):
            seconds, _ = cold(COLD_RECIPE, recipe_env)
            recipe.append(seconds)
            seconds, stderr = cold(COLD_OURS, env)
            ours.append(seconds)
            warnings += stderr
    ratio = compare(
        "cold start: fresh process with azure.functions imported -> first answer (fonts cached)",
        recipe, ours, out)  # fmt: skip
    out.append(f"  ours/recipe {1 / ratio:.2f}; stderr with a read-only HOME: "
               f"{warnings.strip() or 'empty (no warning, no font-cache rebuild)'}")  # fmt: skip


THROUGHPUT = """
import sys, time
from benchmarks.bench import our_request
for _ in range(20):
    our_request()
started = time.perf_counter()
for _ in range(int(sys.argv[1])):
    our_request()
print(time.perf_counter() - started)
"""


def section_throughput(count: int, out: list[str]) -> None:
    """Charts per second from threads in one process, and from separate processes."""
    from concurrent.futures import ThreadPoolExecutor

    out.append(f"throughput, {count} reference requests (ours)")
    for threads in (1, 2, 4):
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(lambda _: our_request(), range(20)))
            started = time.perf_counter()
            list(pool.map(lambda _: our_request(), range(count)))
            seconds = time.perf_counter() - started
        out.append(f"  1 process, {threads} thread(s): {count / seconds:6.1f} charts/s")
    for processes in (1, 2):
        command = [sys.executable, "-c", THROUGHPUT, str(count // processes)]
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        runs = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
                for _ in range(processes)]  # fmt: skip
        seconds = max(float(run.communicate()[0].split()[-1]) for run in runs)
        out.append(f"  {processes} process(es), 1 thread each: "
                   f"{(count // processes) * processes / seconds:6.1f} charts/s")  # fmt: skip


# --- the chart ---------------------------------------------------------------------------------


def latency_chart(rows: list[tuple[int, float, float]], path: Path) -> None:
    """Latency against points, recipe (blue) and ours (orange), drawn by ScatterPlot itself.

    Two charts with the same fixed log axes, ours with a transparent background, laid over
    each other: the project draws one series per chart.
    """
    import numpy as np
    from PIL import Image

    from shared import ChartSpec, render

    points = np.array([n for n, _, _ in rows], dtype=float)
    limits = {
        "xlim": (points.min() / 2, points.max() * 2),
        "ylim": (min(min(r[1:]) for r in rows) / 2, max(max(r[1:]) for r in rows) * 2),
        "xscale": "log",
        "yscale": "log",
        "grid": True,
        "xlabel": "points",
        "ylabel": "median ms per request",
        "title": "recipe (blue) vs ScatterPlot (orange)",
        "size": 80.0,
    }
    layers = []
    for column, color, transparent in ((1, "tab:blue", False), (2, "tab:orange", True)):
        ms = np.array([row[column] for row in rows])
        spec = ChartSpec(x=points, y=ms, color=color, transparent=transparent, **limits)  # type: ignore[arg-type]
        layers.append(Image.open(io.BytesIO(render(spec))).convert("RGBA"))
    Image.alpha_composite(layers[0], layers[1]).save(path)


# --- main --------------------------------------------------------------------------------------


class Report(list[str]):
    """The output lines; printed as they come when ``echo`` is set."""

    def __init__(self, *, echo: bool) -> None:
        super().__init__()
        self.echo = echo

    def append(self, line: str) -> None:
        super().append(line)
        if self.echo:
            print(line, flush=True)


SECTIONS = ("requests", "points", "pixels", "tail", "throughput", "cold", "memory")


def run(
    *,
    quick: bool,
    chart: Path | None,
    echo: bool = False,
    sections: tuple[str, ...] = SECTIONS,
) -> list[str]:
    out = Report(echo=echo)
    out.append(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
               f"load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    rounds = 3 if quick else 200
    if "requests" in sections:
        section_requests(rounds, out)
    rows: list[tuple[int, float, float]] = []
    if "points" in sections:
        sizes = [1000, 10_000] if quick else [1000, 10_000, 100_000, 1_000_000]
        rows = section_points(sizes, 3 if quick else 40, out)
    if "pixels" in sections:
        pixels = [(320, 240), (640, 480)]
        pixels += [] if quick else [(1280, 960), (1920, 1440)]
        section_pixels(pixels, rounds if quick else 60, out)
    if "tail" in sections:
        section_tail(20 if quick else 2000, out)
    if "throughput" in sections:
        section_throughput(20 if quick else 400, out)
    if "cold" in sections:
        section_cold(1 if quick else 7, out)
    if "memory" in sections:
        section_memory(20 if quick else 5000, out)
    if chart is not None and rows:
        latency_chart(rows, chart)
        out.append(f"chart written to {chart}")
    return out


def cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run")
    parser.add_argument("--chart", type=Path, help="write the latency chart PNG here")
    parser.add_argument(
        "--only", choices=SECTIONS, action="append", help="run only this section (repeatable)"
    )
    args = parser.parse_args(argv)
    run(quick=args.quick, chart=args.chart, echo=True, sections=tuple(args.only or SECTIONS))
    return 0


if __name__ == "__main__":
    raise SystemExit(cli())
