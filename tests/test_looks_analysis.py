"""Looks on trend lines, point labels and density charts: a theme, a background and a font
size style them as they style the rest of the chart, against the same chart drawn the obvious
way with matplotlib under the style sheet (zero tolerance), on both paths."""

from __future__ import annotations

from typing import Any

import matplotlib
import matplotlib.style
import numpy as np
import pytest
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.polynomial import Polynomial

from shared.chart import render
from shared.chart.figure import render_plain
from shared.chart.trend import fit_trend
from shared.request import parse_request
from shared.settings import Settings
from shared.spec import ChartSpec
from tests.conftest import decode_png
from tests.test_looks import assert_same, draw, obvious

WEATHER = (
    "temp,rain,site\n"
    + "".join(f"{t},{(t * 7) % 11 + 0.5},{('harbour', 'hill')[t % 2]}\n" for t in range(1, 25))
).encode()


def parsed(params: dict[str, str], body: bytes = b"") -> ChartSpec:
    headers = {"content-type": "text/csv"} if body else {}
    return parse_request(params=params, headers=headers, body=body, settings=Settings()).spec


def trend_line(axes: Axes, x: Any, y: Any, degree: int, color: str, label: str) -> None:
    """A least-squares polynomial with a halo of the axes' background colour, as a matplotlib
    user draws one under a style sheet."""
    fitted = Polynomial.fit(x, y, degree)
    xs = np.linspace(np.min(x), np.max(x), 200)
    halo = patheffects.withStroke(
        linewidth=float(matplotlib.rcParams["lines.linewidth"]) + 2,
        foreground=axes.get_facecolor(),
    )
    axes.plot(xs, fitted(xs), color=color, path_effects=[halo], label=label)


def labels(axes: Axes, xlabel: str = " x ", ylabel: str = " y ") -> None:
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)


@pytest.mark.parametrize("theme", ["dark_background", "ggplot", "fivethirtyeight"])
def test_a_theme_styles_the_trend_line_and_its_legend(theme: str) -> None:
    spec = parsed({"seed": "4", "n": "300", "trendline": "quadratic", "theme": theme,
                   "layout": "none"})  # fmt: skip
    label = fit_trend("quadratic", spec.x, spec.y, xlog=False, ylog=False, xdate=False).label

    def build(figure: Figure, axes: Axes) -> None:
        axes.scatter(spec.x, spec.y)
        trend_line(axes, spec.x, spec.y, 2, "C0", label)
        labels(axes)
        axes.legend(fontsize="small")

    assert_same(draw(spec), obvious(build, rc=theme))


def test_background_and_font_size_style_density_and_its_colorbar() -> None:
    spec = parsed({"seed": "3", "n": "20000", "kind": "hexbin", "trendline": "linear",
                   "background": "#203040", "font_size": "13", "title": "Density",
                   "layout": "none"})  # fmt: skip
    label = fit_trend("linear", spec.x, spec.y, xlog=False, ylog=False, xdate=False).label
    rc = {"figure.facecolor": "#203040", "axes.facecolor": "#203040", "font.size": 13.0}

    def build(figure: Figure, axes: Axes) -> None:
        cells = axes.hexbin(spec.x, spec.y, gridsize=50)
        trend_line(axes, spec.x, spec.y, 1, str(matplotlib.rcParams["axes.edgecolor"]), label)
        labels(axes)
        axes.set_title("Density")
        axes.legend(fontsize="small")
        figure.colorbar(cells, ax=axes, label="counts")

    assert_same(draw(spec), obvious(build, rc=rc))


def test_a_dark_theme_draws_point_labels_and_a_hist2d_colorbar_in_light_text() -> None:
    spec = parsed({"x_column": "temp", "y_column": "rain", "label_column": "site",
                   "theme": "dark_background", "font_size": "8"}, WEATHER)  # fmt: skip
    names = [("harbour", "hill")[t % 2] for t in range(1, 25)]

    def build(figure: Figure, axes: Axes) -> None:
        axes.scatter(spec.x, spec.y)
        for a, b, name in zip(spec.x, spec.y, names, strict=True):
            axes.annotate(name, (a, b), xytext=(4, 4), textcoords="offset points")
        labels(axes, "temp", "rain")

    pixels = draw(spec)
    dark: dict[str, Any] = dict(matplotlib.style.library["dark_background"].items())
    dark["font.size"] = 8.0
    assert_same(pixels, obvious(build, rc=dark))

    density = parsed({"seed": "2", "n": "5000", "kind": "hist2d", "bins": "20",
                      "theme": "dark_background", "transparent": "true"})  # fmt: skip
    drawn = draw(density)
    visible = drawn[..., 3] > 200
    colorbar_text = visible[:, 560:]  # right of the colorbar's cells: its tick labels and label
    assert colorbar_text.any()
    assert drawn[..., :3][:, 560:][colorbar_text].min() >= 128, "light text on a dark theme"


def test_both_paths_draw_looks_on_analysis_charts_alike() -> None:
    for params, body in (
        ({"seed": "5", "trendline": "cubic", "theme": "ggplot", "font_size": "9"}, b""),
        ({"seed": "5", "n": "8000", "kind": "hexbin", "theme": "bmh", "log_counts": "true"}, b""),
        ({"seed": "5", "kind": "hist2d", "background": "ivory", "trendline": "lowess"}, b""),
        ({"x_column": "temp", "y_column": "rain", "group": "site", "trendline": "linear",
          "label_column": "site", "theme": "seaborn-v0_8-whitegrid", "scale": "2"}, WEATHER),
        ({"seed": "5", "trendline": "quadratic", "theme": "dark_background",
          "width": "240", "height": "180"}, b""),  # adapted by layout=auto
    ):  # fmt: skip
        spec = parsed(params, body)
        for _ in range(2):  # the second draw reuses the prepared figure
            assert_same(decode_png(render(spec, fast_path=True)), decode_png(render_plain(spec)))
