"""A figure built once per chart style and redrawn with new data.

``PreparedChart.draw(spec)`` leaves in the Agg buffer exactly the pixels that a new figure
from ``shared.chart.figure.build_figure`` would draw for the same spec (the tests compare
them):

* limits from the data: the scatter gets the new offsets, the view limits are reset to a new
  axes' and matplotlib recomputes the data limits and autoscales as it does for a new
  scatter, then the caller's partial limits are re-applied. An axis whose limits came out as
  last time replays its recorded drawing calls (``replay``); text is drawn by a renderer
  that caches layouts and glyph bitmaps (``textcache``).
* all four limits fixed: nothing but the markers depends on the data. The figure is drawn
  once without the markers, spines, tick marks and grid lines (everything that can touch the
  plotting area) and that background is kept. A request restores the background, then draws
  the markers and after them the spines, tick marks and grid lines, in the order
  ``Axes.draw`` uses, so every pixel is blended the same way and nothing is drawn twice.

A ``PreparedChart`` is not thread-safe: the pool (``figpool``) hands each one to one thread
at a time, and every draw holds matplotlib's figure render lock, as ``Figure.draw`` does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import matplotlib
import numpy as np
import numpy.typing as npt
from matplotlib.artist import Artist
from matplotlib.axis import Axis
from matplotlib.collections import PathCollection
from matplotlib.legend import Legend
from matplotlib.path import Path
from matplotlib.transforms import Affine2D, Bbox, Transform

from ...spec import ChartSpec, FloatArray, SeriesData
from ..figure import add_legends, build_figure, drawing
from ..textbox import TextBounds
from ..trend import trend_in_legend
from .legends import ReplayingLegend
from .overlays import Overlays
from .replay import Call, Recorder, ReplayingDraw, replay
from .textcache import CachingCanvas, GlyphCachingRenderer

__all__ = ["FIGURE_BYTES", "THIN_ABOVE", "PreparedChart", "thin_offsets"]

THIN_ABOVE = 100_000
"""Above this many points, markers that land on the same pixel are drawn at most
``THIN_REPEATS`` times (see ``thin_offsets``): not pixel-identical, within the stated tolerance."""

THIN_REPEATS = 4

FIGURE_BYTES = 640 * 1024
"""What a prepared figure costs besides its pixels: the figure, axes, ticks and texts
(measured: ~470 KB of RSS for a 16 x 16 chart, whatever its size)."""
CANVAS_BYTES_PER_PIXEL = 5
"""The Agg canvas (RGBA) and what scales with it (measured: 4.3-4.9 bytes per pixel)."""
BACKGROUND_BYTES_PER_PIXEL = 4
"""The saved background of a fixed-limit figure (RGBA)."""


def _marker_parts(spec: ChartSpec) -> list[SeriesData]:
    """The series drawn as markers: all of them, or none on a density chart."""
    return list(spec.parts()) if spec.kind == "scatter" else []


def fixed_limits(spec: ChartSpec) -> bool:
    """True when the caller fixed all four axis limits."""
    return None not in spec.xlim and None not in spec.ylim


def thin_offsets(
    pixels: npt.NDArray[np.float64],
    offsets: FloatArray,
    *,
    width: int,
    height: int,
    margin: int,
    repeats: int = THIN_REPEATS,
) -> FloatArray:
    """The offsets with each marker pixel position drawn at most ``repeats`` times.

    ``pixels`` are the offsets in display coordinates (y upwards) of a ``width`` x ``height``
    canvas. Agg stamps every marker at a whole pixel, so most of a big data set re-stamps
    positions already drawn. Each position is kept once, at its last occurrence, repeated
    ``min(count, repeats)`` times; positions more than ``margin`` pixels off the canvas
    (which draw nothing) are dropped.
    """
    # Agg's snapping: x to floor(x + 0.5), y (downwards) to floor(height - y + 0.5)
    cx = pixels[:, 0] + (0.5 + margin)
    np.floor(cx, out=cx)
    cy = (height + 0.5 + margin) - pixels[:, 1]
    np.floor(cy, out=cy)
    span = height + 2 * margin + 1
    on = (cx >= 0) & (cx <= width + 2 * margin) & (cy >= 0) & (cy < span)
    index = np.flatnonzero(on)  # also drops NaN positions
    key = (cx * span + cy)[index].astype(np.int64)  # whole numbers, exact in float64
    cells = (width + 2 * margin + 1) * span
    last = np.full(cells, -1, dtype=np.int64)
    np.maximum.at(last, key, index)
    counts = np.bincount(key, minlength=cells)
    used = np.flatnonzero(last >= 0)
    order = np.argsort(last[used], kind="stable")
    used = used[order]
    keep = np.repeat(last[used], np.minimum(counts[used], repeats))
    result: FloatArray = offsets[keep]
    return result


def limit_proxy(x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
    """A few of the points with the same data limits as all of them.

    Matplotlib autoscales a scatter from the bounding box of its (finite, as every spec's
    are) offsets and, for log axes, their smallest positive values; these points carry exactly
    that.
    """
    picks = [int(x.argmin()), int(x.argmax()), int(y.argmin()), int(y.argmax())]
    for column in (x, y):
        smallest = int(np.where(column > 0, column, np.inf).argmin())
        if column[smallest] > 0:
            picks.append(smallest)
    chosen = np.array(picks)
    return x[chosen], y[chosen]


def _interval_of(axis: Axis) -> Callable[[], tuple[float, ...]]:
    """The key an axis' drawing depends on: its view interval."""
    return lambda: tuple(axis.get_view_interval())


class CachedExtents:
    """A marker path's ``get_extents`` that remembers its answer per affine transform.

    ``Collection.draw`` asks for the marker's extents on every draw (to choose Agg's
    ``draw_markers``), and so does every legend handle made from the marker; for a circle that
    walks its Bezier curves each time. The same transform gives the same box, so the box is
    computed once; anything else goes to ``Path.get_extents`` unchanged.
    """

    def __init__(self, path: Path) -> None:
        self._compute = path.get_extents
        self._boxes: dict[bytes, FloatArray] = {}

    def __call__(self, transform: Transform | None = None, **kwargs: Any) -> Bbox:
        if transform is None or kwargs or not transform.is_affine:
            return self._compute(transform, **kwargs)
        key = transform.get_matrix().tobytes()
        points = self._boxes.get(key)
        if points is None:
            if len(self._boxes) > 64:
                self._boxes.clear()
            points = self._boxes[key] = self._compute(transform).get_points().copy()
        return Bbox(points.copy())


class PreparedChart:
    """One figure for one chart style, redrawn for each request's data."""

    def __init__(self, spec: ChartSpec) -> None:
        with drawing(spec):
            self._build(spec)

    def _build(self, spec: ChartSpec) -> None:
        figure, axes = build_figure(spec)
        for name, setter in (
            ("savefig.facecolor", figure.patch.set_facecolor),
            ("savefig.edgecolor", figure.patch.set_edgecolor),
        ):  # what savefig does while it draws (a theme may set them)
            value = matplotlib.rcParams[name]  # type: ignore[index]
            if not (isinstance(value, str) and value == "auto"):
                setter(value)
        if spec.transparent:  # what savefig(transparent=True) does while it draws
            figure.patch.set_facecolor("none")
            figure.patch.set_edgecolor("none")
            for each in figure.axes:  # the chart's axes and a colorbar's
                each.patch.set_facecolor("none")
                each.patch.set_edgecolor("none")
        self.figure = figure
        self.axes = axes
        self.canvas: Any = CachingCanvas(figure)  # matplotlib's canvas methods are untyped
        self.bounds = TextBounds() if spec.looks.layout == "auto" else None
        """Where this draw's text lies, under ``layout=auto`` (see ``fits``)."""
        self.canvas.text_bounds = self.bounds
        self._background_text: tuple[float, float, float, float] | None = None
        self.spec = spec
        self.xlim = spec.xlim
        self.ylim = spec.ylim
        self.grid = spec.grid
        self.collections = [c for c in axes.collections if isinstance(c, PathCollection)]
        for collection in self.collections:  # legend handles share these marker paths
            for path in collection.get_paths():
                path.get_extents = CachedExtents(path)  # type: ignore[method-assign]
        self.overlays = Overlays(axes, spec)  # trend lines, point labels, density cells
        self.legend = axes.get_legend()
        # size legends and trend line equations follow the data: their legends are made anew
        self.new_legends = spec.size_values is not None or trend_in_legend(spec)
        for legend in [self.legend, *(a for a in axes.artists if isinstance(a, Legend))]:
            if legend is not None and not self.new_legends:
                legend.draw = ReplayingLegend(legend)  # type: ignore[method-assign]
        # a colorbar, a size legend or an overlay follows the data: drawn in full every time
        self.fixed = (
            fixed_limits(spec)
            and spec.color_values is None
            and spec.size_values is None
            and not self.overlays
        )
        self._background: Any = None
        self._over: list[Artist] = []
        self._over_calls: list[Call] | None = None
        if not self.fixed:
            for axis in (axes.xaxis, axes.yaxis):
                replaying = ReplayingDraw(axis.draw, _interval_of(axis))
                axis.draw = replaying  # type: ignore[method-assign]

    def cost(self) -> int:
        """About how many bytes this figure holds: see ``FIGURE_BYTES`` and the per-pixel
        costs; text layouts and glyph bitmaps cached since it was made are included."""
        width, height = self.canvas.get_width_height(physical=True)
        per_pixel = CANVAS_BYTES_PER_PIXEL
        if self._background is not None:
            per_pixel += BACKGROUND_BYTES_PER_PIXEL
        renderer = getattr(self.canvas, "renderer", None)
        cached = renderer.cache_bytes() if isinstance(renderer, GlyphCachingRenderer) else 0
        return FIGURE_BYTES + per_pixel * int(width) * int(height) + cached

    @property
    def collection(self) -> PathCollection:
        """The markers of a chart of one series."""
        assert len(self.collections) == 1
        return self.collections[0]

    def draw(self, spec: ChartSpec) -> npt.NDArray[np.uint8]:
        """Draw the chart for ``spec``'s data (its style is this figure's); the RGBA pixels
        (a view of the canvas buffer)."""
        with drawing(spec):
            if self.fixed:
                self._draw_fixed(spec)
            else:
                if self.bounds is not None:
                    self.bounds.reset()
                self._draw_auto(spec)
        return np.asarray(self.canvas.buffer_rgba())

    @property
    def fits(self) -> bool:
        """Whether the last draw's text lay inside the canvas (always, without ``auto``)."""
        if self.bounds is None:
            return True
        width, height = self.figure.bbox.size
        return self.bounds.inside(float(width), float(height))

    def _thinned(self, collection: PathCollection, offsets: FloatArray) -> FloatArray:
        pixels = self.axes.transData.transform(offsets)
        width, height = self.canvas.get_width_height(physical=True)
        sizes = collection.get_transforms()
        marker = Affine2D(sizes[0]) if len(sizes) else Affine2D()
        extent = collection.get_paths()[0].get_extents(marker)
        margin = int(np.ceil(max(abs(extent.x0), abs(extent.x1), abs(extent.y0), abs(extent.y1))))
        return thin_offsets(pixels, offsets, width=width, height=height, margin=margin + 2)

    def _set_values(self, spec: ChartSpec) -> None:
        """Per-point colours and sizes, as a new scatter would take them."""
        for collection, part in zip(self.collections, _marker_parts(spec), strict=True):
            if part.sizes is not None:
                collection.set_sizes(part.sizes)
            if part.color_values is not None:
                norm: Any = collection.norm
                with norm.callbacks.blocked():
                    collection.set_array(part.color_values)
                    norm.vmin, norm.vmax = spec.vlim
                    collection.autoscale_None()  # as scatter(c=..., vmin=, vmax=) does
                collection.changed()  # the colorbar follows the new scale
        if self.new_legends:
            self._replace_legends(spec)

    def _replace_legends(self, spec: ChartSpec) -> None:
        """New legends for new sizes (a series legend's markers follow them too), made as
        ``build_figure`` makes them."""
        axes = self.axes
        for legend in [a for a in axes.artists if isinstance(a, Legend)]:
            legend.remove()
        if axes.legend_ is not None:
            axes.legend_.remove()
        first: Any = self.collections[0] if self.collections else None  # None: no markers
        add_legends(spec, axes, first)

    def _draw_auto(self, spec: ChartSpec) -> None:
        axes = self.axes
        parts = _marker_parts(spec)
        bigs = [len(part.x) > THIN_ABOVE for part in parts]
        for collection, part, big in zip(self.collections, parts, bigs, strict=True):
            # the points the limits come from: all of them, or a few with the same limits
            if not len(part.x):
                collection.set_offsets(np.empty((0, 2)))
                continue
            collection.set_offsets(
                np.column_stack(limit_proxy(part.x, part.y) if big else (part.x, part.y))
            )
        self.overlays.refresh(spec)
        self._set_values(spec)
        axes.viewLim.set_points(Bbox.unit().get_points())  # a new axes' limits: not inverted
        axes.set_autoscale_on(True)
        axes.relim()  # the data limits of the collections, as adding them computed them
        self.overlays.extend_limits()
        axes.autoscale_view()
        if self.xlim != (None, None):
            axes.set_xlim(*self.xlim)
        if self.ylim != (None, None):
            axes.set_ylim(*self.ylim)
        for collection, part, big in zip(self.collections, parts, bigs, strict=True):
            if big:
                collection.set_offsets(self._thinned(collection, np.column_stack([part.x, part.y])))
        self.canvas.draw()

    def _prepare_background(self) -> None:
        axes = self.axes
        collections = self.collections
        children = [a for a in axes.get_children() if a is not axes.patch]
        ordered = sorted(children, key=lambda artist: artist.get_zorder())
        over = set(axes.spines.values()) | {axes.xaxis, axes.yaxis}
        if set(ordered[: len(collections)]) != set(collections):  # pragma: no cover
            raise RuntimeError("the markers are expected to be drawn first")
        self._over = [a for a in ordered if a in over]
        # background: everything but what can touch the plotting area
        for collection in collections:
            collection.set_visible(False)
        if self.legend is not None:
            self.legend.set_visible(False)
        for spine in axes.spines.values():
            spine.set_visible(False)
        for axis in (axes.xaxis, axes.yaxis):
            axis.set_tick_params(which="both", tick1On=False, tick2On=False, gridOn=False)
        if self.bounds is not None:
            self.bounds.reset()
        self.canvas.draw()
        self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        if self.bounds is not None:
            self._background_text = self.bounds.box
        # foreground: markers, spines, tick marks and grid lines, without any text, then the
        # legend (drawn last in the axes, at zorder 5), whose place depends on the data
        for collection in collections:
            collection.set_visible(True)
        if self.legend is not None:
            self.legend.set_visible(True)
        for spine in axes.spines.values():
            spine.set_visible(True)
        for axis in (axes.xaxis, axes.yaxis):
            axis.set_tick_params(which="both", tick1On=True, label1On=False)
            axis.set_tick_params(which="major", gridOn=self.grid)
            axis.label.set_visible(False)
            axis.offsetText.set_visible(False)

    def _draw_fixed(self, spec: ChartSpec) -> None:
        if self._background is None:
            self._prepare_background()
        renderer = self.canvas.get_renderer()
        if self.bounds is not None:
            self.bounds.reset(self._background_text)
        self.canvas.restore_region(self._background)
        for collection, part in zip(self.collections, spec.parts(), strict=True):
            offsets = np.column_stack([part.x, part.y])
            big = len(part.x) > THIN_ABOVE
            collection.set_offsets(self._thinned(collection, offsets) if big else offsets)
            collection.draw(renderer)
        if self._over_calls is None:
            recorder: Any = Recorder(renderer)
            for artist in self._over:
                artist.draw(recorder)
            self._over_calls = recorder.calls
        else:
            replay(renderer, self._over_calls)
        if self.legend is not None:
            self.legend.draw(renderer)
