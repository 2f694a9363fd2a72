"""The fast path: prepared figures reused per chart style, behind one function.

``render_fast(spec)`` returns the image bytes, or ``None`` when the fast path does not serve
``spec`` (the caller then takes the plain path, ``shared.chart.figure.render_plain``). What it
serves, it draws with exactly the plain path's pixels (below ``THIN_ABOVE`` points; above,
within the stated tolerance), which the tests check.

How: a figure prepared once per chart style (``prepared``), checked out of a bounded pool
(``figpool``) by one thread at a time, its axes replayed when their limits repeat
(``replay``), its text drawn by a renderer that caches layouts and glyphs (``textcache``), and
its pixels written by a fast lossless PNG writer (``pngwrite``). It leans on internals of the
pinned matplotlib; ``SCATTERPLOT_FAST_PATH=false`` turns it off if an upgrade breaks it.

What takes which path (the tests compare both with zero tolerance where the fast path draws):

* fast: one series with any style option (the reference chart); several series (``group``,
  ``y_column=a,b``) with their legend, which asks matplotlib for its place on every draw (the
  "best" place up to ``BEST_LEGEND_MAX_POINTS`` points, which are never thinned) and replays
  what it drew there (``legends``); date and category axes, whose locators and formatters run
  on every draw; a colour column, whose colorbar follows the new scale; a size column, whose
  legends are made anew on every draw.
* plain: error bars; a colour or size column with a series above ``THIN_ABOVE`` points
  (thinning would keep the wrong markers; ``SCATTERPLOT_MAX_VECTOR_POINTS`` keeps such charts
  below it unless an operator raises it); every format but PNG.

Looks (``shared.chart.looks``: themes, background, font size, fallback fonts, tick formats)
and ``scale`` are served: the prepared figure is built and every draw made under the chart's
rcParams. Layout (``shared.chart.layout``): ``none``, and ``auto`` when the recipe's layout
holds every line of text, which the fast path learns from its own draw (its renderer adds up
where it draws text, ``textbox``); an ``auto`` chart whose text does not fit is declined after
that draw, and so is ``tight`` or ``constrained`` (their engines move the axes on every draw):
the plain path adapts or lays them out.
"""

from __future__ import annotations

import gc
import threading

from ...spec import ChartSpec
from .figpool import FigurePool
from .pngwrite import encode_png
from .prepared import THIN_ABOVE, PreparedChart

__all__ = ["POOL", "THIN_ABOVE", "accepts", "render_fast"]

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


def accepts(spec: ChartSpec) -> bool:
    """Whether the fast path draws ``spec`` (see the table above)."""
    if spec.format != "png" or spec.xerr is not None or spec.yerr is not None:
        return False
    if spec.looks.layout not in ("auto", "none"):
        return False
    if spec.color_values is not None or spec.size_values is not None:
        # colours and sizes per point: thinning would keep the wrong markers
        return all(len(part.x) <= THIN_ABOVE for part in spec.parts())
    return True


def render_fast(spec: ChartSpec, *, pool: FigurePool[PreparedChart] | None = POOL) -> bytes | None:
    """The chart as image bytes from a prepared figure, or ``None`` if the fast path declines.

    ``pool=None`` prepares a new figure and keeps none.
    """
    if not accepts(spec):
        return None
    key = spec.style_key()
    chart = pool.take(key) if pool is not None else None
    if chart is None:
        chart = PreparedChart(spec)
    pixels = chart.draw(spec)
    image = encode_png(pixels, dpi=spec.dpi) if chart.fits else None
    if pool is not None:  # only after a clean draw: a failed one may leave the figure half-done
        pool.give(key, chart, weight=spec.width * spec.height)
        _freeze_after_warm_up()
    return image
