"""The plain path: a new ``Figure`` per chart, drawn and saved by matplotlib itself.

``build_figure`` is the one description of how a ``ChartSpec`` looks; the fast path
(``shared.chart.fast``) starts from the same figure and is tested against ``render_plain``
pixel for pixel. Nothing here reads the environment, writes a file or changes rcParams;
drawing holds ``MATPLOTLIB_LOCK`` (see ``shared.chart.mpllock``).
"""

from __future__ import annotations

import io
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..spec import ChartSpec
from .mpllock import MATPLOTLIB_LOCK

__all__ = ["build_figure", "render_plain", "save_options"]


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
    if spec.yscale != "linear":
        axes.set_yscale(spec.yscale)
    if spec.xlim != (None, None):
        axes.set_xlim(*spec.xlim)
    if spec.ylim != (None, None):
        axes.set_ylim(*spec.ylim)
    if spec.grid:
        axes.grid(True)
    return figure, axes


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
    with MATPLOTLIB_LOCK:
        figure, _ = build_figure(spec)
        figure.savefig(buffer, **save_options(spec))
    return buffer.getvalue()
