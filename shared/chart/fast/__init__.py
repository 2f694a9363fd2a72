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

Served today: PNG, every option. Declined: every other format.
"""

from __future__ import annotations

import gc
import threading

from ...spec import ChartSpec
from .figpool import FigurePool
from .pngwrite import encode_png
from .prepared import THIN_ABOVE, PreparedChart

__all__ = ["POOL", "POOL_BYTES", "POOL_FIGURES", "THIN_ABOVE", "accepts", "render_fast"]

POOL_BYTES = 48 * 1024 * 1024
POOL_FIGURES = 32
POOL: FigurePool[PreparedChart] = FigurePool(POOL_BYTES, max_items=POOL_FIGURES)
"""Idle prepared figures, weighed by what each costs (``PreparedChart.cost``): at most
``POOL_BYTES`` and ``POOL_FIGURES`` figures (about twenty 640 x 480 charts of ~2.2 MB, or 32
small ones of ~0.7 MB); the least recently used is dropped first."""

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
    """Whether the fast path draws ``spec``."""
    return spec.format == "png"


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
    pixels = chart.draw(spec.x, spec.y)
    image = encode_png(pixels, dpi=spec.dpi)
    if pool is not None:  # only after a clean draw: a failed one may leave the figure half-done
        pool.give(key, chart, weight=chart.cost())
        _freeze_after_warm_up()
    return image
