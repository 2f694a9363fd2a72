"""Rendering a ``ChartSpec`` into image bytes with matplotlib's object API (never pyplot).

``render`` is the one entry point. PNG charts take the fast path: a figure prepared once per
chart style (``shared.prepared``), checked out of a bounded pool (``shared.figpool``) by one
thread at a time, and written by a fast lossless PNG writer (``shared.pngwrite``). Every other
format, and ``render_reference``, build a new ``Figure`` per call and ``savefig`` it: the
straightforward path that the fast one is tested against pixel for pixel. Nothing here reads
the environment, writes a file or changes rcParams. Both paths draw under ``MATPLOTLIB_LOCK``
(see ``shared.mpllock``).
"""

from __future__ import annotations

import gc
import io
import threading
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .figpool import FigurePool
from .mpllock import MATPLOTLIB_LOCK
from .pngwrite import encode_png
from .prepared import PreparedChart
from .spec import ChartSpec

__all__ = [
    "POOL",
    "build_figure",
    "render",
    "render_fast_png",
    "render_reference",
    "save_options",
]

POOL: FigurePool[PreparedChart] = FigurePool(max_weight=16 * 640 * 480)
"""Idle prepared figures, weighed by canvas pixels: sixteen 640 x 480 charts (each ~3 MB with
its canvas and background), or fewer larger ones; the least recently used is dropped first."""


_frozen = threading.Event()


def _freeze_after_warm_up() -> None:
    """Move everything alive after the first fast render out of the collector's sight.

    Imports and the first figure leave ~10^5 long-lived objects that every full collection
    would walk again (a ~60 ms pause every few dozen requests); ``gc.freeze`` skips them.
    Objects made later, such as figures the pool drops, are still collected.
    """
    if not _frozen.is_set():
        _frozen.set()
        gc.freeze()


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


def render_reference(spec: ChartSpec) -> bytes:
    """The chart as image bytes in ``spec.format``: a new figure, drawn and saved by matplotlib."""
    buffer = io.BytesIO()
    with MATPLOTLIB_LOCK:
        figure, _ = build_figure(spec)
        figure.savefig(buffer, **save_options(spec))
    return buffer.getvalue()


def render_fast_png(spec: ChartSpec, *, pool: FigurePool[PreparedChart] | None = POOL) -> bytes:
    """The chart as PNG from a prepared figure; ``pool=None`` prepares a new one."""
    key = spec.style_key()
    chart = pool.take(key) if pool is not None else None
    if chart is None:
        chart = PreparedChart(spec)
    pixels = chart.draw(spec.x, spec.y)
    image = encode_png(pixels, dpi=spec.dpi)
    if pool is not None:  # only after a clean draw: a failed one may leave the figure half-done
        pool.give(key, chart, weight=spec.width * spec.height)
        _freeze_after_warm_up()
    return image


def render(spec: ChartSpec) -> bytes:
    """The chart as image bytes in ``spec.format``."""
    if spec.format == "png":
        return render_fast_png(spec)
    return render_reference(spec)
