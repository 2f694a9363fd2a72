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
import itertools
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
from typing import Any
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


def compare(
    label: str, recipe: Sample, ours: Sample, out: list[str], *, them: str = "recipe"
) -> float:
    ratio = statistics.median(recipe) / statistics.median(ours)
    out.append(f"{label}")
    out.append(f"  {them:7s} {summary(recipe)}")
    out.append(f"  ours    {summary(ours)}   {them}/ours {ratio:5.1f}x")
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


# --- charts from columns -----------------------------------------------------------------------

CITIES = ("Oslo", "Rome", "Lima")


def weather_tables(count: int = 5, rows: int = 1000) -> list[dict[str, list[Any]]]:
    """Tables of ``rows`` rows (x, y as in the reference data, a city, a wind speed, a day),
    each city first seen in the same order, so that every table draws in the same style."""
    import numpy as np

    tables = []
    for seed in range(count):
        rng = np.random.default_rng(seed)
        x = np.arange(rows)
        cities = [
            CITIES[i % 3] if i < 3 else CITIES[int(c)]
            for i, c in enumerate(rng.integers(0, 3, rows))
        ]
        days = np.datetime64("2024-01-01T00:00") + rng.integers(0, 365 * 24 * 60, rows).astype(
            "timedelta64[m]"
        )
        tables.append(
            {
                "x": x.tolist(),
                "y": (x + rng.integers(-1000, 1000, rows, endpoint=True)).tolist(),
                "city": cities,
                "wind": np.round(rng.uniform(0, 30, rows), 1).tolist(),
                "day": [str(day) for day in days],
            }
        )
    return tables


def csv_text(table: dict[str, list[Any]]) -> bytes:
    lines = [",".join(table)]
    lines += [",".join(map(str, row)) for row in zip(*table.values(), strict=True)]
    return ("\n".join(lines) + "\n").encode()


def our_csv_request(body: bytes, **params: object) -> bytes:
    """One POST of a CSV table through ``ScatterPlot.main``."""
    query = {k: str(v) for k, v in params.items()}
    req = func.HttpRequest(
        method="POST",
        url="http://localhost:7071/api/ScatterPlot?" + urlencode(query),
        headers={"Content-Type": "text/csv"},
        params=query,
        body=body,
    )
    response = main(req)
    if response.status_code != 200:
        raise RuntimeError(response.get_body().decode())
    return response.get_body()


def plain_request(draw: Callable[[Any, Any], None]) -> bytes:
    """The same chart drawn the obvious way with matplotlib's ``Figure`` API, answered as the
    recipe answers: PNG, base64, the Azure ML table."""
    import base64

    from matplotlib.figure import Figure

    figure = Figure()
    axes = figure.subplots()
    draw(figure, axes)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    uri = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    table = {"ColumnNames": ["image"], "ColumnTypes": ["String"], "Values": [[uri]]}
    return json.dumps({"Results": {"output1": {"type": "table", "value": table}}}).encode()


def _draw_single(table: dict[str, list[Any]]) -> Callable[[Any, Any], None]:
    def draw(figure: Any, axes: Any) -> None:
        axes.scatter(table["x"], table["y"])
        axes.set_xlabel(" x ")
        axes.set_ylabel(" y ")

    return draw


def _draw_groups(table: dict[str, list[Any]]) -> Callable[[Any, Any], None]:
    def draw(figure: Any, axes: Any) -> None:
        for city in CITIES:
            rows = [i for i, c in enumerate(table["city"]) if c == city]
            axes.scatter([table["x"][i] for i in rows], [table["y"][i] for i in rows], label=city)
        axes.set_xlabel(" x ")
        axes.set_ylabel(" y ")
        axes.legend(title="city")

    return draw


def _draw_colour(table: dict[str, list[Any]]) -> Callable[[Any, Any], None]:
    def draw(figure: Any, axes: Any) -> None:
        points = axes.scatter(table["x"], table["y"], c=table["wind"])
        axes.set_xlabel(" x ")
        axes.set_ylabel(" y ")
        figure.colorbar(points, ax=axes, label="wind")

    return draw


def _draw_sizes(table: dict[str, list[Any]]) -> Callable[[Any, Any], None]:
    def draw(figure: Any, axes: Any) -> None:
        wind = table["wind"]
        low, high = min(wind), max(wind)
        areas = [16 + (w - low) / (high - low) * 384 for w in wind]
        points = axes.scatter(table["x"], table["y"], s=areas)
        axes.set_xlabel(" x ")
        axes.set_ylabel(" y ")
        handles, labels = points.legend_elements(
            prop="sizes", num=4, func=lambda a: low + (a - 16) * (high - low) / 384
        )
        axes.legend(handles, labels, title="wind")

    return draw


def _draw_dates(table: dict[str, list[Any]]) -> Callable[[Any, Any], None]:
    def draw(figure: Any, axes: Any) -> None:
        import matplotlib.dates as mdates
        import numpy as np

        axes.scatter(np.array(table["day"], dtype="datetime64[m]"), table["y"])
        locator = mdates.AutoDateLocator()  # type: ignore[no-untyped-call]
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
        axes.set_xlabel("day")
        axes.set_ylabel(" y ")

    return draw


DATA_ROWS: tuple[tuple[str, dict[str, str], Callable[..., Callable[[Any, Any], None]]], ...] = (
    ("one series (CSV x, y)", {}, _draw_single),
    ("3 groups (group=city)", {"group": "city"}, _draw_groups),
    ("colour column (color_column=wind, colorbar)", {"color_column": "wind"}, _draw_colour),
    ("size column (size_column=wind, size legend)", {"size_column": "wind"}, _draw_sizes),
    ("dates (x_column=day)", {"x_column": "day"}, _draw_dates),
)


def _rotating(
    tables: list[dict[str, list[Any]]],
    bodies: list[bytes],
    drawing: Callable[..., Callable[[Any, Any], None]],
    params: dict[str, str],
) -> tuple[Callable[[], bytes], Callable[[], bytes]]:
    """Both sides of a comparison, each taking the next table on every call."""
    plain_turn, our_turn = itertools.count(), itertools.count()

    def plain() -> bytes:
        return plain_request(drawing(tables[next(plain_turn) % len(tables)]))

    def ours() -> bytes:
        return our_csv_request(bodies[next(our_turn) % len(bodies)], **params)

    return plain, ours


def section_data(rounds: int, out: list[str]) -> dict[str, float]:
    """Charts from columns, 1,000 rows each, against the same chart drawn the obvious way."""
    tables = weather_tables()
    bodies = [csv_text(table) for table in tables]
    medians: dict[str, float] = {}
    for label, params, drawing in DATA_ROWS:
        plain, ours = _rotating(tables, bodies, drawing, params)
        mpl, mine = interleaved(plain, ours, rounds)
        compare(f"{label}, 1,000 points", mpl, mine, out, them="plain")
        medians[label] = statistics.median(mine)
    single = medians[DATA_ROWS[0][0]]
    out.append(
        "  ours, each chart / one series: "
        + ", ".join(f"{label.split(' (')[0]} {ms / single:.2f}x" for label, ms in medians.items())
    )
    return medians


# --- looks -------------------------------------------------------------------------------------


def plain_looks_request(
    *, theme: str | None = None, width: int = 640, height: int = 480, dpi: float = 100.0
) -> bytes:
    """The reference chart drawn the obvious way with a style sheet or at a higher dpi,
    answered as the recipe answers."""
    import base64
    from contextlib import nullcontext

    import matplotlib.style
    from matplotlib.figure import Figure

    x = range(0, 1000)
    y = [i + random.randint(-1000, 1000) for i in x]
    with matplotlib.style.context(theme) if theme else nullcontext():
        figure = Figure(figsize=(width / dpi, height / dpi), dpi=dpi)
        axes = figure.subplots()
        axes.scatter(x, y)
        axes.set_xlabel(" x ")
        axes.set_ylabel(" y ")
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    uri = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    table = {"ColumnNames": ["image"], "ColumnTypes": ["String"], "Values": [[uri]]}
    return json.dumps({"Results": {"output1": {"type": "table", "value": table}}}).encode()


LOOKS_ROWS: tuple[tuple[str, dict[str, Any], dict[str, Any]], ...] = (
    ("themed chart (theme=ggplot)", {"theme": "ggplot"}, {"theme": "ggplot"}),
    ("themed chart (theme=dark_background)", {"theme": "dark_background"},
     {"theme": "dark_background"}),
    ("scale=2 (1280 x 960 at 200 dpi)", {"scale": 2}, {"width": 1280, "height": 960, "dpi": 200}),
    ("thumbnail 320 x 240 (layout adapted: the recipe cuts text off)",
     {"width": 320, "height": 240}, {"width": 320, "height": 240}),
)  # fmt: skip


def section_looks(rounds: int, out: list[str]) -> None:
    """Looks against the same chart drawn the obvious way with matplotlib, 1,000 points."""
    for label, ours_params, plain_params in LOOKS_ROWS:
        mpl, mine = interleaved(
            partial(plain_looks_request, **plain_params),
            partial(our_request, **ours_params),
            rounds,
        )
        compare(f"{label}, 1,000 points", mpl, mine, out, them="plain")


# --- trend lines and density ------------------------------------------------------------------


def _reference_arrays(n: int) -> tuple[Any, Any]:
    """The reference data as numpy arrays (fresh random numbers on every call)."""
    import numpy as np

    x = np.arange(n, dtype=float)
    return x, x + np.random.default_rng().integers(-1000, 1000, n, endpoint=True)


def _draw_trend(n: int) -> Callable[[Any, Any], None]:
    def draw(figure: Any, axes: Any) -> None:
        import numpy as np
        from matplotlib import patheffects
        from numpy.polynomial import Polynomial

        x, y = _reference_arrays(n)
        axes.scatter(x, y)
        fitted = Polynomial.fit(x, y, 1)
        a, b = fitted.convert().coef
        xs = np.linspace(x.min(), x.max(), 200)
        halo = patheffects.withStroke(linewidth=3.5, foreground="white")
        axes.plot(xs, fitted(xs), color="C0", path_effects=[halo], label=f"y = {b:.4g}x + {a:.4g}")
        axes.set_xlabel(" x ")
        axes.set_ylabel(" y ")
        axes.legend(fontsize="small", loc="best" if n <= 50_000 else "upper right")

    return draw


def _draw_hexbin(n: int) -> Callable[[Any, Any], None]:
    def draw(figure: Any, axes: Any) -> None:
        x, y = _reference_arrays(n)
        cells = axes.hexbin(x, y, gridsize=50)
        axes.set_xlabel(" x ")
        axes.set_ylabel(" y ")
        figure.colorbar(cells, ax=axes, label="counts")

    return draw


def section_analysis(rounds: int, out: list[str], *, big: int = 1_000_000) -> dict[str, float]:
    """Trend lines and a density chart against the same chart drawn the obvious way with
    matplotlib's ``Figure`` API, and the density chart against our scatter of as many points
    (``big``, 1,000,000)."""
    few = max(2, rounds // 20)
    medians: dict[str, float] = {}
    cases: tuple[tuple[str, Callable[[], bytes], Callable[[], bytes], int], ...] = (
        ("trend line (trendline=linear), 1,000 points", partial(plain_request, _draw_trend(1000)),
         partial(our_request, trendline="linear"), rounds),
        (f"trend line (trendline=linear), {big:,} points", partial(plain_request, _draw_trend(big)),
         partial(our_request, trendline="linear", n=big), few),
        (f"hexbin (kind=hexbin), {big:,} points", partial(plain_request, _draw_hexbin(big)),
         partial(our_request, kind="hexbin", n=big), few),
    )  # fmt: skip
    for label, plain, ours, count in cases:
        mpl, mine = interleaved(plain, ours, count)
        compare(f"{label} ({count} rounds)", mpl, mine, out, them="plain")
        medians[label] = statistics.median(mine)
    scatter, hexbin = interleaved(
        partial(our_request, n=big), partial(our_request, kind="hexbin", n=big), rounds // 4 or 2
    )
    compare(f"ours: {big:,} points as a scatter against as a hexbin", scatter, hexbin, out,
            them="scatter")  # fmt: skip
    medians[f"scatter, {big:,} points"] = statistics.median(scatter)
    return medians


# --- the chart ---------------------------------------------------------------------------------


def latency_chart(rows: list[tuple[int, float, float]], path: Path) -> None:
    """Latency against points, recipe and ours as two series with a legend, drawn by
    ScatterPlot itself."""
    import numpy as np

    from shared import ChartSpec, render
    from shared.spec import Series

    points = np.array([n for n, _, _ in rows], dtype=float)
    recipe = np.array([row[1] for row in rows])
    ours = np.array([row[2] for row in rows])
    spec = ChartSpec(
        x=np.concatenate([points, points]),
        y=np.concatenate([recipe, ours]),
        series=(Series("recipe (pyplot)", len(rows)), Series("ScatterPlot", 2 * len(rows))),
        xlim=(points.min() / 2, points.max() * 2),
        ylim=(min(ours.min(), recipe.min()) / 2, max(ours.max(), recipe.max()) * 2),
        xscale="log",
        yscale="log",
        grid=True,
        xlabel="points",
        ylabel="median ms per request",
        title="Latency against points",
        size=80.0,
    )
    path.write_bytes(render(spec))


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


SECTIONS = (
    "requests",
    "data",
    "looks",
    "analysis",
    "points",
    "pixels",
    "tail",
    "throughput",
    "cold",
    "memory",
)


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
    if "data" in sections:
        section_data(rounds if quick else 100, out)
    if "looks" in sections:
        section_looks(rounds if quick else 60, out)
    if "analysis" in sections:
        section_analysis(rounds if quick else 40, out)
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
