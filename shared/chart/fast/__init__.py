"""The fast path: figures prepared once per chart style and reused, behind one function.

``render_fast(spec)`` returns the image bytes, or ``None`` when the fast path does not serve
``spec`` (the caller then takes the plain path, ``shared.chart.figure.render_plain``). What it
serves it draws as the plain path does, which the tests check for every format both ways:

* **Raster: PNG, JPEG, WebP**. A figure prepared once per style (``prepared``)
  and shared by the three formats, checked out of a bounded pool (``figpool``) by one thread at
  a time, its axes replayed when their limits repeat (``replay``), its text drawn by a renderer
  that caches layouts and glyphs (``textcache``). The RGBA canvas is exactly the plain path's
  up to ``THIN_ABOVE`` points and within the stated tolerance above (markers thinned); it is
  encoded by a fast lossless PNG writer (``pngwrite``), or by Pillow with matplotlib's own
  compositing and the settings of ``shared.formats.pil_options`` (``raster``): the same bytes
  as ``savefig``.
* **Vector: SVG, PDF**. A figure prepared once
  per style at 72 dpi (``vector``), redrawn per request into a new document by matplotlib's own
  SVG and PDF renderers with one-pass marker writers and text caches (``svgout``, ``pdfout``),
  its axes replayed when their limits repeat: the same bytes as ``savefig`` (with SVG ids
  hashed with ``svgout.SVG_HASH_SALT`` unless ``rcParams["svg.hashsalt"]`` is set), so the
  same request always gives the same bytes.

What takes which path (the tests compare both, with zero tolerance where the fast path draws):

* fast, raster: one series with any style option (the reference chart); several series
  (``group``, ``y_column=a,b``) with their legend, which asks matplotlib for its place on every
  draw (the "best" place up to ``BEST_LEGEND_MAX_POINTS`` points, which are never thinned) and
  replays what it drew there (``legends``); date and category axes, whose locators and
  formatters run on every draw; a colour column, whose colorbar follows the new scale; a size
  column, whose legends are made anew on every draw; trend lines, point labels and hexbin or
  hist2d cells, which follow each request's data (``overlays``; a trend line needs points in
  every series).
* fast, vector: one series without per-point colours or sizes, on number, date or category
  axes (``VectorChart`` declines any figure with more than its one marker collection).
* plain: error bars; a colour or size column with a series above ``THIN_ABOVE`` points
  (thinning would keep the wrong markers; ``SCATTERPLOT_MAX_VECTOR_POINTS`` keeps such charts
  below it unless an operator raises it); SVG and PDF of several series, a colour or a size
  column, trend lines, point labels and density charts; any format not listed above.

It leans on internals of the pinned matplotlib; ``SCATTERPLOT_FAST_PATH=false`` turns it off
if an upgrade breaks it.

Looks (``shared.chart.looks``: themes, background, font size, fallback fonts, tick formats)
and ``scale`` are served: the prepared figures are built and drawn under the chart's rcParams.
Layout (``shared.chart.layout``): ``none``, and ``auto`` when the recipe's layout holds every
line of text. A raster chart learns that from its own draw (its renderer adds up where it
draws text, ``textbox``); a vector chart measures its figure as the plain path does. An
``auto`` chart whose text does not fit is declined, and so is ``tight`` or ``constrained``
(their engines move the axes on every draw): the plain path adapts or lays them out.
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from dataclasses import replace
from typing import TYPE_CHECKING, Final

from ...spec import ChartSpec
from .figpool import FigurePool
from .overlays import overlays_served
from .prepared import THIN_ABOVE, PreparedChart
from .raster import RASTER_FORMATS, encode_raster

if TYPE_CHECKING:
    from .vector import VectorChart

__all__ = [
    "POOL",
    "POOL_BYTES",
    "POOL_FIGURES",
    "THIN_ABOVE",
    "VECTOR_FORMATS",
    "VECTOR_POOL",
    "accepts",
    "fits_again",
    "render_fast",
]

VECTOR_FORMATS: Final = frozenset({"svg", "pdf"})
"""The formats ``vector`` draws. That module is imported by the first SVG or PDF request, not
before: it imports matplotlib's PDF backend, and with it fontTools (~200 ms and ~150 modules
that a new worker's first PNG, JPEG or WebP answer does not need)."""

POOL_BYTES = 48 * 1024 * 1024
POOL_FIGURES = 32
POOL: FigurePool[PreparedChart] = FigurePool(POOL_BYTES, max_items=POOL_FIGURES)
"""Idle prepared figures, weighed by what each costs (``PreparedChart.cost``): at most
``POOL_BYTES`` and ``POOL_FIGURES`` figures (about twenty 640 x 480 charts of ~2.2 MB, or 32
small ones of ~0.7 MB); the least recently used is dropped first."""

VECTOR_POOL: FigurePool[VectorChart] = FigurePool(max_weight=16)
"""Idle prepared SVG/PDF figures, sixteen at most (each ~1 MB: a figure and its recorded axes,
no canvas); the least recently used is dropped first."""

_DECLINED_MAX = 256
_declined: OrderedDict[object, None] = OrderedDict()
"""Vector styles whose figure ``VectorChart`` does not serve, so it is not built again."""
_declined_lock = threading.Lock()

_ADAPTING_MAX = 256
_adapting: OrderedDict[object, None] = OrderedDict()
"""Styles whose last chart did not hold its text in the recipe's layout (``layout=auto``):
the plain path adapts them, so the fast path does not try first until one fits again
(``fits_again``). Only time depends on it: both paths draw the same chart either way."""
_adapting_lock = threading.Lock()

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
    """Whether the fast path may draw ``spec`` (see the table above; a vector figure may
    still be declined by ``VectorChart``)."""
    if spec.xerr is not None or spec.yerr is not None:
        return False
    if spec.looks.layout not in ("auto", "none"):
        return False
    overlays = spec.kind != "scatter" or spec.trendline is not None or spec.label_codes is not None
    if spec.format in VECTOR_FORMATS:
        return (
            not overlays
            and not spec.series
            and spec.color_values is None
            and spec.size_values is None
        )
    if spec.format not in RASTER_FORMATS:
        return False
    if overlays and not overlays_served(spec):
        return False
    if spec.color_values is not None or spec.size_values is not None:
        # colours and sizes per point: thinning would keep the wrong markers
        return all(len(part.x) <= THIN_ABOVE for part in spec.parts())
    return True


def _key(spec: ChartSpec) -> tuple[object, ...]:
    return raster_key(spec) if spec.format in RASTER_FORMATS else spec.style_key()


def _adapts(key: object) -> None:
    with _adapting_lock:
        _adapting[key] = None
        while len(_adapting) > _ADAPTING_MAX:
            _adapting.popitem(last=False)


def fits_again(spec: ChartSpec) -> None:
    """The plain path drew ``spec`` in the recipe's layout: let the fast path try its style."""
    if _adapting and spec.looks.layout == "auto":
        with _adapting_lock:
            _adapting.pop(_key(spec), None)


def raster_key(spec: ChartSpec) -> tuple[object, ...]:
    """The pool key of a raster spec: its style with the format left out, so PNG, JPEG and
    WebP of one style share a prepared figure (they draw the same canvas)."""
    if spec.format == "png":  # the common case, without copying the spec
        return spec.style_key()
    return replace(spec, format="png", quality=None).style_key()


def render_fast(
    spec: ChartSpec,
    *,
    pool: FigurePool[PreparedChart] | None = POOL,
    vector_pool: FigurePool[VectorChart] | None = VECTOR_POOL,
) -> bytes | None:
    """The chart as image bytes from a prepared figure, or ``None`` if the fast path declines.

    ``pool=None`` (``vector_pool=None``) prepares a new figure and keeps none.
    """
    if not accepts(spec):
        return None
    if spec.format in VECTOR_FORMATS:
        return _render_vector(spec, vector_pool)
    key = raster_key(spec)
    if key in _adapting and pool is not None:
        return None
    chart = pool.take(key) if pool is not None else None
    if chart is None:
        chart = PreparedChart(spec)
    pixels = chart.draw(spec)
    image = encode_raster(pixels, spec) if chart.fits else None
    if image is None and pool is not None:
        _adapts(key)
    if pool is not None:  # only after a clean draw: a failed one may leave the figure half-done
        pool.give(key, chart, weight=chart.cost())
        _freeze_after_warm_up()
    return image


def _render_vector(spec: ChartSpec, pool: FigurePool[VectorChart] | None) -> bytes | None:
    from .vector import Unsupported, VectorChart

    key = spec.style_key()
    if key in _adapting and pool is not None:
        return None
    chart = pool.take(key) if pool is not None else None
    if chart is None:
        if key in _declined:
            return None
        try:
            chart = VectorChart(spec)
        except Unsupported:
            with _declined_lock:
                _declined[key] = None
                while len(_declined) > _DECLINED_MAX:
                    _declined.popitem(last=False)
            return None
    image = chart.draw(spec.x, spec.y)
    if image is None and pool is not None:
        _adapts(key)
    if pool is not None:
        pool.give(key, chart, weight=1)
        _freeze_after_warm_up()
    return image
