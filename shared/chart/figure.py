"""The plain path: a new ``Figure`` per chart, drawn and saved by matplotlib itself.

``build_figure`` is the one description of how a ``ChartSpec`` looks; the fast path
(``shared.chart.fast``) starts from the same figure and is tested against ``render_plain``
pixel for pixel. Nothing here reads the environment, writes a file or changes rcParams
while drawing (the app's own rcParams are applied once, at import: ``shared.mplconfig``);
drawing holds ``MATPLOTLIB_LOCK`` (see ``shared.chart.mpllock``) through
``shared.quiet.matplotlib_work``, which counts matplotlib's warnings instead of showing them.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator

from ..mplconfig import apply_rc_params
from ..quiet import matplotlib_work
from ..spec import ChartSpec

__all__ = ["FiniteLogLocator", "build_figure", "render_plain", "save_options"]

apply_rc_params()  # once, at import: drawing never changes rcParams


def build_figure(spec: ChartSpec) -> tuple[Figure, Axes]:
    """A new figure with the spec's scatter, labels, scales, limits and grid."""
    figure = Figure(figsize=(spec.width / spec.dpi, spec.height / spec.dpi), dpi=spec.dpi)
    axes = figure.subplots()
    # scatter draws the pixel marker ',' as the square 's' (same pixels) but warns each time
    style: dict[str, Any] = {"marker": "s" if spec.marker == "," else spec.marker}
    if spec.color is not None:
        style["c"] = spec.color
    if spec.size is not None:
        style["s"] = spec.size
    if spec.alpha is not None:
        style["alpha"] = spec.alpha
    axes.scatter(spec.x, spec.y, **style)
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
    if spec.grid:
        axes.grid(True)
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


def save_options(spec: ChartSpec) -> dict[str, Any]:
    """Keyword arguments for ``Figure.savefig`` that make the output of ``spec``."""
    options: dict[str, Any] = {"format": spec.format, "transparent": spec.transparent}
    if spec.format == "svg":
        options["metadata"] = {"Date": None}
    elif spec.format == "pdf":
        options["metadata"] = {"CreationDate": None}
    return options


def render_plain(spec: ChartSpec) -> bytes:
    """The chart as image bytes in ``spec.format``: a new figure, drawn and saved by matplotlib."""
    buffer = io.BytesIO()
    with matplotlib_work():
        figure, _ = build_figure(spec)
        figure.savefig(buffer, **save_options(spec))
    return buffer.getvalue()
