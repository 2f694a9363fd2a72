"""Trend lines, point labels and density charts against the same chart drawn the obvious way.

Each test parses a request as a client sends it, draws it with ``render`` (the fast path as the
app's setting says: ``./scripts/check`` runs this file with it on and again off), and compares
every pixel with a plain matplotlib ``Figure`` built in the test: ``Polynomial.fit`` and
``plot`` for a trend line, ``annotate`` for a label, ``hexbin`` / ``hist2d`` and ``colorbar``
for a density chart. The tolerance is zero. A last test draws many charts in a row through
one fast-path pool against the plain path, so a prepared figure that follows new data is
checked too.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib.dates as mdates
import numpy as np
import pytest
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure
from numpy.polynomial import Polynomial

from shared import ChartSpec, Settings, get_settings, parse_request, render
from shared.chart.fast import render_fast
from shared.chart.fast.figpool import FigurePool
from shared.chart.fast.prepared import PreparedChart
from shared.chart.figure import render_plain
from shared.chart.trend import fit_trend
from tests.conftest import decode_png

Build = Callable[[Figure, Axes], None]
HALO = [patheffects.withStroke(linewidth=3.5, foreground="white")]


def parse(
    params: dict[str, str], body: str | dict[str, Any] = "", kind: str = "text/csv"
) -> ChartSpec:
    if isinstance(body, dict):
        body, kind = json.dumps(body), "application/json"
    headers = {"content-type": kind} if body else {}
    return parse_request(
        params=params, headers=headers, body=body.encode(), settings=Settings()
    ).spec


def obvious(build: Build) -> np.ndarray[Any, Any]:
    figure = Figure(figsize=(6.4, 4.8), dpi=100)
    axes = figure.subplots()
    build(figure, axes)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return decode_png(buffer.getvalue())


def assert_same(spec: ChartSpec, expected: np.ndarray[Any, Any]) -> None:
    for _ in range(2):  # the second draw reuses whatever the first one prepared
        actual = decode_png(render(spec, fast_path=get_settings().fast_path))
        assert actual.shape == expected.shape
        differing = int((actual != expected).any(axis=2).sum())
        assert differing == 0, f"{differing} pixels differ (tolerance is zero)"


def labels(axes: Axes) -> None:
    axes.set_xlabel(" x ")
    axes.set_ylabel(" y ")


def polynomial_line(axes: Axes, x: Any, y: Any, degree: int, color: str, label: str) -> None:
    """A least-squares polynomial over the data's x range, as a matplotlib user draws one."""
    fitted = Polynomial.fit(x, y, degree)
    xs = np.linspace(np.min(x), np.max(x), 200)
    axes.plot(xs, fitted(xs), color=color, path_effects=HALO, label=label)


@pytest.mark.parametrize(("trendline", "degree"), [("linear", 1), ("quadratic", 2), ("cubic", 3)])
def test_a_trend_line_is_a_polynomial_fit_with_its_equation_in_the_legend(
    trendline: str, degree: int
) -> None:
    spec = parse({"seed": "4", "n": "300", "trendline": trendline})
    label = fit_trend(trendline, spec.x, spec.y, xlog=False, ylog=False, xdate=False).label

    def build(figure: Figure, axes: Axes) -> None:
        axes.scatter(spec.x, spec.y)
        polynomial_line(axes, spec.x, spec.y, degree, "C0", label)
        labels(axes)
        axes.legend(fontsize="small")

    assert_same(spec, obvious(build))


def test_a_known_line_reads_its_equation() -> None:
    x = list(range(20))
    spec = parse({"trendline": "linear"}, {"x": x, "y": [0.5 * v - 2 for v in x]})

    def build(figure: Figure, axes: Axes) -> None:
        axes.scatter(x, [0.5 * v - 2 for v in x])
        polynomial_line(axes, x, [0.5 * v - 2 for v in x], 1, "C0", "y = 0.5x − 2, R² = 1.000")
        labels(axes)
        axes.legend(fontsize="small")

    assert_same(spec, obvious(build))


def test_without_the_label_no_legend_and_a_colour_of_its_own() -> None:
    spec = parse(
        {"seed": "2", "trendline": "linear", "trendline_label": "false", "color": "tab:green"}
    )

    def build(figure: Figure, axes: Axes) -> None:
        axes.scatter(spec.x, spec.y, c="tab:green")
        polynomial_line(axes, spec.x, spec.y, 1, "tab:green", "")
        labels(axes)

    assert_same(spec, obvious(build))


def test_one_trend_line_per_group_after_its_markers() -> None:
    rng = np.random.default_rng(3)
    rows = 90
    city = [("Oslo", "Rome", "Lima")[i % 3] for i in range(rows)]
    x = np.round(rng.uniform(0, 30, rows), 1)
    y = np.round(2 * x + rng.normal(0, 5, rows) + 10 * (np.arange(rows) % 3), 1)
    body = {"t": x.tolist(), "v": y.tolist(), "city": city}
    spec = parse(
        {"x_column": "t", "y_column": "v", "group": "city", "trendline": "quadratic"}, body
    )

    def build(figure: Figure, axes: Axes) -> None:
        for index, name in enumerate(("Oslo", "Rome", "Lima")):
            rows_of = [i for i in range(rows) if city[i] == name]
            xs, ys = x[rows_of], y[rows_of]
            axes.scatter(xs, ys, label=name)
            text = fit_trend("quadratic", xs, ys, xlog=False, ylog=False, xdate=False).label
            polynomial_line(axes, xs, ys, 2, f"C{index}", text)
        axes.set_xlabel("t")
        axes.set_ylabel("v")
        axes.legend(title="city", fontsize="small")

    assert_same(spec, obvious(build))


def test_on_log_axes_the_fit_is_done_in_log_space() -> None:
    rng = np.random.default_rng(6)
    x = np.round(np.geomspace(1, 1e4, 60) * rng.uniform(0.9, 1.1, 60), 3)
    y = np.round(5 * x**1.5 * rng.lognormal(0, 0.3, 60), 3)
    spec = parse(
        {"trendline": "linear", "xscale": "log", "yscale": "log"},
        {"x": x.tolist(), "y": y.tolist()},
    )
    label = fit_trend("linear", spec.x, spec.y, xlog=True, ylog=True, xdate=False).label
    assert label.startswith("log₁₀y = 1.")

    def build(figure: Figure, axes: Axes) -> None:
        axes.scatter(x, y)
        fitted = Polynomial.fit(np.log10(x), np.log10(y), 1)
        us = np.linspace(np.log10(x).min(), np.log10(x).max(), 200)
        axes.plot(10**us, 10 ** fitted(us), color="C0", path_effects=HALO, label=label)
        labels(axes)
        axes.set_xscale("log")
        axes.set_yscale("log")
        axes.legend(fontsize="small")

    assert_same(spec, obvious(build))


def test_on_a_date_axis_x_is_the_date_number() -> None:
    days = [f"2024-03-{d:02d}" for d in range(1, 29)]
    values = [1.5 * d + (d % 4) for d in range(1, 29)]
    spec = parse(
        {"x_column": "day", "y_column": "v", "trendline": "linear"}, {"day": days, "v": values}
    )
    numbers = mdates.date2num(np.array(days, dtype="datetime64[D]"))  # type: ignore[no-untyped-call]
    label = fit_trend("linear", numbers, np.array(values), xlog=False, ylog=False, xdate=True).label
    assert label.endswith("\nt = days since 2024-03-01")

    def build(figure: Figure, axes: Axes) -> None:
        axes.scatter(np.array(days, dtype="datetime64[D]"), values)
        locator = mdates.AutoDateLocator()  # type: ignore[no-untyped-call]
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
        polynomial_line(axes, numbers, values, 1, "C0", label)
        axes.set_xlabel("day")
        axes.set_ylabel("v")
        axes.legend(fontsize="small")

    assert_same(spec, obvious(build))


def test_lowess_is_its_curve_through_the_fitted_points() -> None:
    spec = parse({"seed": "7", "n": "400", "trendline": "lowess"})
    trend = fit_trend("lowess", spec.x, spec.y, xlog=False, ylog=False, xdate=False)

    def build(figure: Figure, axes: Axes) -> None:
        axes.scatter(spec.x, spec.y)
        axes.plot(trend.x, trend.y, color="C0", path_effects=HALO, label="LOWESS")
        labels(axes)
        axes.legend(fontsize="small")

    assert_same(spec, obvious(build))


def test_point_labels_are_annotations_next_to_their_points() -> None:
    names = ["a", "", "$5", "line\nbreak", "", "f", "g"]
    x, y = [1, 2, 3, 4, 5, 6, 7], [3, 1, 4, 1, 5, 9, 2]
    body = "x,y,name\n" + "".join(f'{a},{b},"{n}"\n' for a, b, n in zip(x, y, names, strict=True))
    spec = parse({"label_column": "name"}, body)

    def build(figure: Figure, axes: Axes) -> None:
        axes.scatter(x, y)
        for a, b, name in zip(x, y, names, strict=True):
            if name:
                text = name.replace("$", "\\$")  # data, drawn as written
                axes.annotate(text, (a, b), xytext=(4, 4), textcoords="offset points")
        labels(axes)

    assert spec.label_texts == ("a", "\\$5", "line\nbreak", "f", "g")
    assert_same(spec, obvious(build))


def test_labels_follow_their_points_into_groups() -> None:
    body = "x,y,g,name\n1,1,b,one\n2,2,a,two\n3,3,b,three\n4,4,a,\n"
    spec = parse({"group": "g", "label_column": "name", "trendline": "linear"}, body)

    def build(figure: Figure, axes: Axes) -> None:
        for index, (group, xs) in enumerate((("b", [1, 3]), ("a", [2, 4]))):
            axes.scatter(xs, xs, label=group)
            polynomial_line(axes, xs, xs, 1, f"C{index}", "y = x, R² = 1.000")
        for point, name in ((1, "one"), (3, "three"), (2, "two")):
            axes.annotate(name, (point, point), xytext=(4, 4), textcoords="offset points")
        labels(axes)
        axes.legend(title="g", fontsize="small")

    assert_same(spec, obvious(build))


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"gridsize": "12", "cmap": "magma", "alpha": "0.7"},
        {"log_counts": "true", "vmax": "100"},
        {"vmin": "2", "vmax": "30", "grid": "true", "xmin": "100", "xmax": "800"},
    ],
)
def test_hexbin_is_axes_hexbin_with_a_colorbar_of_counts(options: dict[str, str]) -> None:
    spec = parse({"seed": "5", "n": "20000", "kind": "hexbin", **options})
    x, y = spec.x, spec.y

    def build(figure: Figure, axes: Axes) -> None:
        style: dict[str, Any] = {"gridsize": int(options.get("gridsize", 50))}
        style["cmap"] = options.get("cmap", "viridis")
        if "alpha" in options:
            style["alpha"] = float(options["alpha"])
        if options.get("log_counts"):
            style["bins"] = "log"
        for name in ("vmin", "vmax"):
            if name in options:
                style[name] = float(options[name])
        cells = axes.hexbin(x, y, **style)
        labels(axes)
        if "grid" in options:
            axes.grid(True)
        if "xmin" in options:
            axes.set_xlim(float(options["xmin"]), float(options["xmax"]))
        figure.colorbar(cells, ax=axes, label="counts")

    assert_same(spec, obvious(build))


def test_hexbin_on_log_axes() -> None:
    rng = np.random.default_rng(11)
    x = np.round(rng.lognormal(2, 1, 3000), 4)
    y = np.round(x * rng.lognormal(0, 0.5, 3000), 4)
    spec = parse(
        {"kind": "hexbin", "xscale": "log", "yscale": "log", "gridsize": "30"},
        {"x": x.tolist(), "y": y.tolist()},
    )

    def build(figure: Figure, axes: Axes) -> None:
        cells = axes.hexbin(x, y, gridsize=30, xscale="log", yscale="log")
        labels(axes)
        figure.colorbar(cells, ax=axes, label="counts")

    assert_same(spec, obvious(build))


@pytest.mark.parametrize("options", [{}, {"bins": "7", "log_counts": "true", "cmap": "Greys"}])
def test_hist2d_is_axes_hist2d_with_a_colorbar_of_counts(options: dict[str, str]) -> None:
    spec = parse({"seed": "5", "n": "20000", "kind": "hist2d", **options})

    def build(figure: Figure, axes: Axes) -> None:
        style: dict[str, Any] = {"bins": int(options.get("bins", 50))}
        style["cmap"] = options.get("cmap", "viridis")
        if options.get("log_counts"):
            style["norm"] = LogNorm()
        *_, mesh = axes.hist2d(spec.x, spec.y, **style)
        labels(axes)
        figure.colorbar(mesh, ax=axes, label="counts")

    assert_same(spec, obvious(build))


def test_hist2d_on_a_log_axis_has_bins_equal_in_log10() -> None:
    rng = np.random.default_rng(12)
    x = np.round(rng.lognormal(2, 1, 3000), 4)
    y = np.round(rng.normal(0, 1, 3000), 4)
    spec = parse(
        {"kind": "hist2d", "xscale": "log", "bins": "25"}, {"x": x.tolist(), "y": y.tolist()}
    )

    def build(figure: Figure, axes: Axes) -> None:
        counts, xedges, yedges = np.histogram2d(np.log10(x), y, bins=25)
        mesh = axes.pcolormesh(10**xedges, yedges, counts.T)
        labels(axes)
        axes.set_xscale("log")
        figure.colorbar(mesh, ax=axes, label="counts")

    assert_same(spec, obvious(build))


def test_a_trend_line_over_a_density_chart_takes_the_frame_colour() -> None:
    spec = parse({"seed": "3", "n": "30000", "kind": "hexbin", "trendline": "linear"})
    label = fit_trend("linear", spec.x, spec.y, xlog=False, ylog=False, xdate=False).label

    def build(figure: Figure, axes: Axes) -> None:
        cells = axes.hexbin(spec.x, spec.y, gridsize=50)
        polynomial_line(axes, spec.x, spec.y, 1, "black", label)
        labels(axes)
        axes.legend(fontsize="small")
        figure.colorbar(cells, ax=axes, label="counts")

    assert_same(spec, obvious(build))


def test_a_million_points_as_hexbin_are_matplotlibs_hexbin() -> None:
    spec = parse({"seed": "1", "n": "1000000", "kind": "hexbin"})

    def build(figure: Figure, axes: Axes) -> None:
        cells = axes.hexbin(spec.x, spec.y, gridsize=50)
        labels(axes)
        figure.colorbar(cells, ax=axes, label="counts")

    assert_same(spec, obvious(build))


def test_the_fast_path_follows_new_data_as_a_new_figure_would() -> None:
    """Many charts of a few styles through one pool: each equals the plain path's drawing."""
    weather = (Path(__file__).parent.parent / "examples" / "weather.csv").read_text()
    requests: list[tuple[dict[str, str], str]] = []
    for seed in ("1", "2", "3"):
        for extra in (
            {"trendline": "linear"},
            {"trendline": "cubic", "n": "300"},
            {"trendline": "lowess", "n": "500"},
            {"kind": "hexbin"},
            {"kind": "hexbin", "n": "5000", "gridsize": "20", "log_counts": "true"},
            {"kind": "hist2d", "bins": "30"},
            # layout=none: tick labels to -200,000 reach past the recipe's left margin, which
            # layout=auto adapts on the plain path (the fast path declines such a chart)
            {
                "kind": "hist2d",
                "n": "200000",
                "log_counts": "true",
                "trendline": "quadratic",
                "layout": "none",
            },
            {"kind": "auto", "n": "60000", "trendline": "linear", "trendline_label": "false"},
            {"trendline": "linear", "xmin": "0", "xmax": "1000", "ymin": "-1000", "ymax": "2000"},
        ):
            requests.append(({"seed": seed, **extra}, ""))
    for text in (weather, weather.replace("3.0", "7.0").replace(",1,", ",9,")):
        for params in (
            {"x_column": "temp", "y_column": "rain", "group": "site", "trendline": "linear"},
            {"x_column": "day", "y_column": "rain", "label_column": "site"},
            {
                "x_column": "day",
                "y_column": "rain,temp",
                "trendline": "quadratic",
                "label_column": "site",
            },
            {
                "x_column": "temp",
                "y_column": "rain",
                "group": "site",
                "trendline": "lowess",
                "xscale": "log",
            },
        ):
            requests.append((params, text))
    pool: FigurePool[PreparedChart] = FigurePool(max_weight=16 * 640 * 480)
    for params, body in requests:
        spec = parse(params, body)
        fast = render_fast(spec, pool=pool)
        assert fast is not None, params
        expected = decode_png(render_plain(spec))
        differing = int((decode_png(fast) != expected).any(axis=2).sum())
        assert differing == 0, f"{params}: {differing} pixels differ"
