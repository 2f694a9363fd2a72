"""Time the most expensive requests the service accepts, through ``ScatterPlot.main``.

Run: ``.venv/bin/python -m benchmarks.worst_cases`` (prints one line per case: status, bytes,
milliseconds; best of ``--repeat`` runs). Each case is the costliest of its kind that the
default limits let through; a case whose status is not 200 was refused by a limit.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from urllib.parse import urlencode

import azure.functions as func

from ScatterPlot import main as chart
from shared.chart.density import density_cells
from shared.request.options import MAX_BINS, MAX_GRIDSIZE
from shared.settings import get_settings


def _json_body(n: int) -> bytes:
    values = list(range(n))
    return json.dumps({"x": values, "y": values[::-1]}).encode()


def _azureml_body(n: int) -> bytes:
    rows = [[str(i), str(n - i)] for i in range(n)]
    table = {"Inputs": {"input1": {"ColumnNames": ["x", "y"], "Values": rows}}}
    return json.dumps(table).encode()


def _csv_body(n: int) -> bytes:
    return ("x,y\n" + "".join(f"{i},{n - i}\n" for i in range(n))).encode()


def _columns_csv(n: int, **extra: list[str]) -> bytes:
    """CSV of x, y and the ``extra`` columns (each repeated to ``n`` rows)."""
    names = ["x", "y", *extra]
    lines = [",".join(names)]
    for i in range(n):
        cells = [str(i), str((i * 7919) % n)]
        cells += [values[i % len(values)] for values in extra.values()]
        lines.append(",".join(cells))
    return ("\n".join(lines) + "\n").encode()


def _dates_csv(n: int, days: list[str]) -> bytes:
    return ("x,y\n" + "".join(f"{days[i % len(days)]},{i}\n" for i in range(n))).encode()


def data_cases(points: int) -> list[tuple[str, dict[str, str], bytes]]:
    """The costliest charts from columns the default limits let through."""
    settings = get_settings()
    big = {"output": "image"}
    vector = min(points, settings.max_vector_points)
    groups = [f"group {i}" for i in range(settings.max_series)]
    days = [f"2024-01-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00Z" for i in range(1440)]
    numbers = [str(i % 97) for i in range(97)]
    categories = [f"category number {i}" for i in range(settings.max_categories)]
    return [
        (
            f"{points} rows in {settings.max_series} groups, CSV",
            {"group": "g", **big},
            _columns_csv(points, g=groups),
        ),
        (
            f"{points} dates with a zone, CSV",
            {**big},
            _dates_csv(points, days),
        ),
        (
            f"{vector} points with a colour column",
            {"color_column": "c", **big},
            _columns_csv(vector, c=numbers),
        ),
        (
            f"{vector} points with a size column",
            {"size_column": "s", **big},
            _columns_csv(vector, s=numbers),
        ),
        (
            f"{vector} points with x and y error bars",
            {"xerr_column": "e", "yerr_column": "e", **big},
            _columns_csv(vector, e=numbers),
        ),
        (
            f"{settings.max_categories} categories on x",
            {"x_column": "k", **big},
            _columns_csv(settings.max_categories, k=categories),
        ),
    ]


def analysis_cases(points: int) -> list[tuple[str, dict[str, str], bytes]]:
    """The costliest trend lines, labels and density charts the default limits let through."""
    settings = get_settings()
    big = {"output": "image", "seed": "1"}
    side = {"width": "4096", "height": "4096"}
    groups = [f"group {i}" for i in range(settings.max_series)]
    labels = [f"point {i}" for i in range(settings.max_labels)]
    vector_grid = max(
        size
        for size in range(2, MAX_GRIDSIZE + 1)
        if density_cells("hexbin", size) <= settings.max_vector_points
    )
    return [
        (
            f"n={points} hexbin, gridsize {MAX_GRIDSIZE}, 4096x4096",
            {"n": str(points), "kind": "hexbin", "gridsize": str(MAX_GRIDSIZE), **side, **big},
            b"",
        ),
        (
            f"n={points} hist2d, bins {MAX_BINS}, 4096x4096",
            {"n": str(points), "kind": "hist2d", "bins": str(MAX_BINS), **side, **big},
            b"",
        ),
        (
            f"n={points} hexbin, gridsize {vector_grid}, as svg",
            {"n": str(points), "kind": "hexbin", "gridsize": str(vector_grid), "format": "svg"}
            | big,
            b"",
        ),
        (f"n={points} cubic trend line", {"n": str(points), "trendline": "cubic", **big}, b""),
        (f"n={points} LOWESS", {"n": str(points), "trendline": "lowess", **big}, b""),
        (
            f"{points} rows in {settings.max_series} groups, LOWESS each, CSV",
            {"group": "g", "trendline": "lowess", "output": "image"},
            _columns_csv(points, g=groups),
        ),
        (
            f"{settings.max_labels} labelled points as svg",
            {"label_column": "name", "format": "svg", "output": "image"},
            _columns_csv(settings.max_labels, name=labels),
        ),
    ]


def cases(points: int) -> list[tuple[str, dict[str, str], bytes]]:
    """(name, query, body) of each worst case."""
    settings = get_settings()
    # the deepest math the text check lets through (10 nested groups)
    deep = "$" + "\\sqrt{" * 10 + "x" + "}" * 10 + "$"
    frac = "$" + "\\frac{1}{" * 9 + "x" + "}" * 9 + "$"
    sup = "$" + "x^{" * 10 + "x" + "}" * 10 + "$"
    big = {"output": "image"}
    # the biggest marker area (points squared, at 100 dpi) the ink limit lets through
    size = f"{math.floor(min(10_000.0, settings.max_ink / points / (100 / 72) ** 2))}"
    vector = str(min(points, settings.max_vector_points))
    positive = {"x": "1e-200,1,1e200", "y": "1e-200,1,1e200"}
    return [
        ("reference chart (1000 points)", {"seed": "1", **big}, b""),
        (f"n={points} generated, default marker", {"n": str(points), "seed": "1", **big}, b""),
        (
            f"n={points}, biggest marker the ink limit lets through",
            {"n": str(points), "seed": "1", "size": size, **big},
            b"",
        ),
        (
            f"n={points}, alpha 0.5, big marker",
            {"n": str(points), "seed": "1", "size": size, "alpha": "0.5", **big},
            b"",
        ),
        (
            "all at once: most points, biggest marker, alpha, 4096x4096, math title, table",
            {
                "n": str(points),
                "seed": "1",
                "size": size,
                "alpha": "0.5",
                "width": "4096",
                "height": "4096",
                "grid": "true",
                "title": deep,
            },
            b"",
        ),
        (f"n={vector} as svg", {"n": vector, "seed": "1", "format": "svg", **big}, b""),
        (f"n={vector} as pdf", {"n": vector, "seed": "1", "format": "pdf", **big}, b""),
        (f"n={points} in a JSON table", {"n": str(points), "seed": "1"}, b""),
        (f"{points} points posted as JSON", {**big}, _json_body(points)),
        (f"{points} rows posted as an Azure ML table of strings", {**big}, _azureml_body(points)),
        (f"{points} rows posted as CSV", {**big}, _csv_body(points)),
        (
            f"{points} rows posted as CSV, 4096x4096 jpeg",
            {"width": "4096", "height": "4096", "format": "jpeg", **big},
            _csv_body(points),
        ),
        ("4096x4096 at 600 dpi png", {"width": "4096", "height": "4096", "dpi": "600", **big}, b""),
        (
            "4096x4096 at 600 dpi jpeg",
            {"width": "4096", "height": "4096", "dpi": "600", "format": "jpeg", **big},
            b"",
        ),
        (
            f"n={points} 4096x4096 jpeg",
            {
                "n": str(points),
                "seed": "1",
                "width": "4096",
                "height": "4096",
                "format": "jpeg",
                **big,
            },
            b"",
        ),
        (
            f"n={points} 4096x4096 webp (lossless)",
            {
                "n": str(points),
                "seed": "1",
                "width": "4096",
                "height": "4096",
                "format": "webp",
                **big,
            },
            b"",
        ),
        (
            "4096x4096 at 600 dpi, JSON table",
            {"width": "4096", "height": "4096", "dpi": "600"},
            b"",
        ),
        ("4096x4096 at 10 dpi", {"width": "4096", "height": "4096", "dpi": "10", **big}, b""),
        ("deep sqrt title", {"title": deep, **big}, b""),
        ("nested frac title", {"title": frac, **big}, b""),
        ("nested superscript labels", {"title": sup, "xlabel": sup, "ylabel": sup, **big}, b""),
        (
            "log axes 1e-200..1e200",
            {
                **positive,
                "xscale": "log",
                "yscale": "log",
                "xmin": "1e-200",
                "xmax": "1e200",
                "ymin": "1e-200",
                "ymax": "1e200",
                **big,
            },
            b"",
        ),
        (
            "tiny range xmin=0 xmax=1e-300",
            {"xmin": "0", "xmax": "1e-300", "ymin": "0", "ymax": "1e-300", **big},
            b"",
        ),
        ("tiny range around 1e15", {"xmin": "1e15", "xmax": "1000000000000000.2", **big}, b""),
        (
            "range -1e300..1e300",
            {"xmin": "-1e300", "xmax": "1e300", "ymin": "-1e300", "ymax": "1e300", **big},
            b"",
        ),
        (
            "grid, log 1e-200..1e200, 4096x4096 at 600 dpi",
            {
                **positive,
                "xscale": "log",
                "yscale": "log",
                "xmin": "1e-200",
                "xmax": "1e200",
                "grid": "true",
                "dpi": "600",
                "width": "4096",
                "height": "4096",
                **big,
            },
            b"",
        ),
    ]


def run(query: dict[str, str], body: bytes) -> tuple[int, int, float]:
    content_type = "text/csv" if body.startswith(b"x,y") else "application/json"
    request = func.HttpRequest(
        method="POST" if body else "GET",
        url="http://localhost/api/ScatterPlot?" + urlencode(query),
        headers={"Content-Type": content_type} if body else {},
        params=query,
        body=body,
    )
    started = time.perf_counter()
    response = chart(request)
    elapsed = (time.perf_counter() - started) * 1000
    return response.status_code, len(response.get_body()), elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per case (best is printed)")
    parser.add_argument(
        "--points", type=int, default=0, help="points in the big cases (default: max_points)"
    )
    parser.add_argument("--only", default="", help="run only cases whose name contains this")
    args = parser.parse_args(argv)
    run({"seed": "1"}, b"")  # warm-up: imports, font cache
    points = args.points or get_settings().max_points
    for name, query, body in [*cases(points), *data_cases(points), *analysis_cases(points)]:
        if args.only not in name:
            continue
        results = [run(query, body) for _ in range(max(1, args.repeat))]
        status, size, _ = results[0]
        best = min(ms for _, _, ms in results)
        print(f"{best:9.0f} ms  {status}  {size:>11} bytes  {name}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
