"""The plain path: a new ``Figure`` per chart, drawn and saved by matplotlib itself.

``build_figure`` is the one description of how a ``ChartSpec`` looks; the fast path
(``shared.chart.fast``) starts from the same figure and is tested against ``render_plain``
pixel for pixel. Nothing here reads the environment or writes a file; the app's own rcParams
are applied once, at import (``shared.mplconfig``), and a chart's looks (theme, fonts, ...)
only inside ``drawing``: under ``MATPLOTLIB_LOCK`` (see ``shared.chart.mpllock``, held through
``shared.quiet.matplotlib_work``, which counts matplotlib's warnings instead of showing them),
restored before the lock is released.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.category import StrCategoryFormatter, StrCategoryLocator
from matplotlib.collections import PathCollection
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator

from ..formats import QUALITY_FORMATS, pil_options
from ..mplconfig import apply_rc_params
from ..quiet import matplotlib_work
from ..spec import AxisType, ChartSpec
from .density import COUNTS_LABEL, add_density
from .labels import add_point_labels
from .layout import engine_of, settle
from .looks import apply_tick_formats, styled
from .mpllock import MATPLOTLIB_LOCK
from .trend import add_trend_line, trend_in_legend

__all__ = [
    "BEST_LEGEND_MAX_POINTS",
    "FiniteLogLocator",
    "add_legends",
    "build_figure",
    "drawing",
    "laid_out_figure",
    "render_plain",
    "render_settled",
    "save_options",
    "size_legend_entries",
]

apply_rc_params()  # once, at import: drawing never changes rcParams

BEST_LEGEND_MAX_POINTS = 50_000
"""Up to this many points a legend goes where it covers the least data (``loc="best"``);
above, matplotlib's search costs tens of milliseconds per 100,000 points on every draw, and
the legend goes to the upper right."""


def build_figure(spec: ChartSpec) -> tuple[Figure, Axes]:
    """A new figure with the spec's series, labels, scales, limits, grid and legends.

    Drawn the way a matplotlib user would: one ``scatter`` per series (colours from the
    colour cycle, ``label`` for the legend), ``errorbar(..., fmt="none")`` under the markers,
    ``c=``/``cmap=`` and ``figure.colorbar`` for a colour column, ``s=`` and
    ``legend_elements(prop="sizes")`` for a size column, ``AutoDateLocator`` with
    ``ConciseDateFormatter`` on a date axis, matplotlib's category locator and formatter on a
    category axis. ``kind=hexbin``/``hist2d`` draw ``Axes.hexbin``/``Axes.hist2d`` cells with a
    colorbar of counts (``density``), a trend line is a ``plot`` per series (``trend``), point
    labels are ``annotate`` calls (``labels``). Call it inside ``drawing(spec)``: the figure
    takes the chart's rcParams (theme, background, font size), the trend lines, point labels
    and colorbars too.
    """
    figure = Figure(
        figsize=(spec.width / spec.dpi, spec.height / spec.dpi),
        dpi=spec.dpi,
        layout=engine_of(spec),
    )
    axes = figure.subplots()
    _set_axis_type(axes, axes.xaxis, spec.xtype)
    _set_axis_type(axes, axes.yaxis, spec.ytype)
    apply_tick_formats(axes, spec)
    # scatter draws the pixel marker ',' as the square 's' (same pixels) but warns each time
    marker = "s" if spec.marker == "," else spec.marker
    collections: list[Any] = []
    for part in spec.parts() if spec.kind == "scatter" else ():
        if part.xerr is not None or part.yerr is not None:
            axes.errorbar(
                part.x,
                part.y,
                xerr=part.xerr,
                yerr=part.yerr,
                fmt="none",
                ecolor=_error_color(spec, part.index),
                alpha=spec.alpha,
                zorder=1,  # as the markers, and added before them: drawn under them
            )
        style: dict[str, Any] = {"marker": marker}
        if spec.color is not None:
            style["c"] = spec.color
        if part.color_values is not None:
            style.update(c=part.color_values, cmap=spec.cmap, vmin=spec.vlim[0], vmax=spec.vlim[1])
        if part.sizes is not None:
            style["s"] = part.sizes
        elif spec.size is not None:
            style["s"] = spec.size
        if spec.alpha is not None:
            style["alpha"] = spec.alpha
        if part.label is not None:
            style["label"] = part.label
        collections.append(axes.scatter(part.x, part.y, **style))
        add_trend_line(axes, spec, part)
    if spec.kind != "scatter":
        collections.append(add_density(axes, spec))
        add_trend_line(axes, spec, next(spec.parts()))
    add_point_labels(axes, spec)
    axes.set_xlabel(spec.xlabel)
    axes.set_ylabel(spec.ylabel)
    if spec.title:
        axes.set_title(spec.title)
    if spec.xscale != "linear":
        axes.set_xscale(spec.xscale)
        _finite_log_ticks(axes.xaxis)
    if spec.yscale != "linear":
        axes.set_yscale(spec.yscale)
        _finite_log_ticks(axes.yaxis)
    if spec.xlim != (None, None):
        axes.set_xlim(*spec.xlim)
    if spec.ylim != (None, None):
        axes.set_ylim(*spec.ylim)
    if spec.grid != matplotlib.rcParams["axes.grid"]:  # the theme's grid, unless asked otherwise
        axes.grid(spec.grid)
    add_legends(spec, axes, collections[0])
    if spec.color_values is not None:
        figure.colorbar(collections[0], ax=axes, label=spec.color_label)
    elif spec.kind != "scatter":
        figure.colorbar(collections[0], ax=axes, label=COUNTS_LABEL)
    return figure, axes


class FiniteLogLocator(LogLocator):
    """``LogLocator`` without the ticks that overflow a float.

    It adds one stride of decades beyond each end of the view; on a short axis (few ticks, so
    a stride of up to the whole range) spanning 1e-200..1e200 that extra tick is 10**400,
    which overflows. Such a tick lies outside the view and is never drawn: dropping it
    leaves the chart as it would be.
    """

    def tick_values(self, vmin: float, vmax: float) -> Any:
        with np.errstate(over="ignore"):
            ticks = np.asarray(super().tick_values(vmin, vmax))
        return ticks[np.isfinite(ticks)]


def _finite_log_ticks(axis: Axis) -> None:
    """The log scale's own locators (``LogScale.set_default_locators_and_formatters``),
    finite."""
    axis.set_major_locator(FiniteLogLocator(10))
    axis.set_minor_locator(FiniteLogLocator(10, None))


def _set_axis_type(axes: Axes, axis: Axis, kind: AxisType) -> None:
    """A date or category axis, set before the data as matplotlib's units would set it."""
    if kind.kind == "date":
        if axis is axes.xaxis:
            axes.xaxis_date()
        else:
            axes.yaxis_date()
        locator = AutoDateLocator()  # type: ignore[no-untyped-call]
        axis.set_major_locator(locator)
        axis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    elif kind.kind == "category":
        mapping = OrderedDict((name, position) for position, name in enumerate(kind.categories))
        axis.set_major_locator(StrCategoryLocator(mapping))  # type: ignore[no-untyped-call]
        axis.set_major_formatter(StrCategoryFormatter(mapping))  # type: ignore[no-untyped-call]


def _error_color(spec: ChartSpec, index: int) -> str:
    """Error bars take their series' colour; under a colormap they are grey."""
    if spec.color_values is not None:
        return "tab:gray"
    return spec.color if spec.color is not None else f"C{index}"


def size_legend_entries(spec: ChartSpec, first: PathCollection) -> tuple[list[Any], list[str]]:
    """A few marker sizes and the column values they stand for (``legend_elements``).

    The entries span every series' sizes, drawn in the style of the first series' markers.
    """
    areas = spec.marker_areas()
    assert areas is not None
    low, high = spec.size_scale()
    small, big = spec.size_range
    helper = PathCollection(
        first.get_paths(),
        sizes=areas,
        linewidths=first.get_linewidth(),
        alpha=first.get_alpha(),
    )
    if high == low:  # one value: one entry ("auto" lists each distinct size)

        def to_value(area: Any) -> Any:
            return np.full_like(area, low)

        return helper.legend_elements(prop="sizes", num="auto", func=to_value)

    def scale_back(area: Any) -> Any:
        return low + (area - small) * ((high - low) / (big - small))

    return helper.legend_elements(prop="sizes", num=4, func=scale_back)


def add_legends(spec: ChartSpec, axes: Axes, first: PathCollection) -> None:
    """The series legend (title: the group column; with the trend lines' equations) and the
    size legend (title: the size column); each alone goes where it covers the least data
    (upper right above ``BEST_LEGEND_MAX_POINTS`` points), together they take two corners."""
    series = bool(spec.series) or trend_in_legend(spec)
    both = series and spec.size_values is not None
    alone: Any = "best" if spec.points <= BEST_LEGEND_MAX_POINTS else "upper right"
    if series:
        legend = axes.legend(
            title=spec.legend_title or None,
            loc="upper left" if both else alone,
            fontsize="small" if trend_in_legend(spec) else None,  # equations are long
        )
        if both:
            axes.add_artist(legend)
    if spec.size_values is not None:
        handles, labels = size_legend_entries(spec, first)
        axes.legend(
            handles, labels, title=spec.size_label or None, loc="lower right" if both else alone
        )


def save_options(spec: ChartSpec) -> dict[str, Any]:
    """Keyword arguments for ``Figure.savefig`` that make the output of ``spec``; pass the
    figure's ``dpi`` too (a theme's ``savefig.dpi`` must not change the size)."""
    options: dict[str, Any] = {"format": spec.format, "transparent": spec.transparent}
    if spec.format == "svg":
        options["metadata"] = {"Date": None}
    elif spec.format == "pdf":
        options["metadata"] = {"CreationDate": None}
    elif spec.format in QUALITY_FORMATS:
        options["pil_kwargs"] = pil_options(spec.format, spec.quality)
    return options


@contextmanager
def drawing(spec: ChartSpec) -> Iterator[None]:
    """Hold ``MATPLOTLIB_LOCK`` with the chart's rcParams set: around every build and draw."""
    with MATPLOTLIB_LOCK, styled(spec.looks):
        yield


def laid_out_figure(spec: ChartSpec) -> tuple[Figure, Axes]:
    """``build_figure`` on an Agg canvas, its layout settled (``layout.settle``) under
    ``layout=auto``. Call it inside ``drawing(spec)``."""
    return _laid_out(spec)[:2]


def _laid_out(spec: ChartSpec) -> tuple[Figure, Axes, bool]:
    figure, axes = build_figure(spec)
    FigureCanvasAgg(figure)
    adapted = spec.looks.layout == "auto" and settle(figure, axes, spec)
    return figure, axes, adapted


def render_plain(spec: ChartSpec) -> bytes:
    """The chart as image bytes in ``spec.format``: a new figure, drawn and saved by matplotlib."""
    return render_settled(spec)[0]


def render_settled(spec: ChartSpec) -> tuple[bytes, bool]:
    """``render_plain``, and whether ``layout=auto`` adapted the recipe's layout."""
    buffer = io.BytesIO()
    with matplotlib_work(), styled(spec.looks):
        figure, _, adapted = _laid_out(spec)
        figure.savefig(buffer, dpi=figure.dpi, **save_options(spec))
    return buffer.getvalue(), adapted
