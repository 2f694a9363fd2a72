"""SVG and PDF from a figure prepared once per chart style, with matplotlib's own drawing.

``VectorChart(spec).draw(x, y)`` returns the bytes matplotlib's ``savefig`` writes for a new
figure of the same spec (``shared.chart.figure.render_plain``), given the same
``svg.hashsalt`` (see ``svgout.SVG_HASH_SALT``); the tests compare them byte for byte and
rasterized. What it keeps between requests:

* the figure (built by ``build_figure``, so the same artists), at 72 dpi as ``print_svg`` and
  ``print_pdf`` draw it, its axes laid out, its text measured;
* for each axis, the drawing calls of its last layout (ticks, tick labels, label, with their
  SVG groups), replayed while its view limits repeat (``replay``): with all four limits given
  both axes always repeat; with limits from the data, an axis whose limits come out as last
  time (the x axis of the reference chart) repeats and the other is laid out again;
* one renderer object, restarted per document, so matplotlib's text caches keyed by renderer
  keep hitting, with the one-pass marker writers and text caches of ``svgout`` and ``pdfout``.

Per request it sets the new offsets, lets matplotlib autoscale as for a new scatter, and draws
the whole figure into a new document: the markers and any axis whose limits changed are
drawn anew, everything else is replayed or cached. Group ids, glyph and marker definitions and
clip paths are therefore numbered and placed exactly as matplotlib places them.

Served: SVG and PDF of one series with every style option, on number, date or category axes,
as long as the built figure holds one marker collection and nothing else that depends on the
data (``VectorChart`` raises ``Unsupported`` otherwise: several series, a legend, a colorbar,
error bars).
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.backends.backend_pdf import PdfFile
from matplotlib.collections import PathCollection
from matplotlib.transforms import Bbox

from ...spec import ChartSpec, FloatArray
from ..figure import build_figure, drawing
from ..looks import styled
from ..mpllock import MATPLOTLIB_LOCK
from ..textbox import TextBounds, measure, measure_draws
from . import VECTOR_FORMATS
from .pdfout import PdfRenderer
from .replay import Recorder, ReplayingDraw
from .svgout import SvgRenderer

__all__ = ["Unsupported", "VectorChart"]

_VECTOR_DPI = 72.0
"""The figure dpi while matplotlib writes SVG or PDF (one unit is a point)."""


Box = tuple[float, float, float, float] | None


def _nothing(renderer: Any) -> None:
    return None


def _box(bounds: TextBounds) -> Box:
    return bounds.box


def _inside(boxes: list[Box], width: float, height: float) -> bool:
    return all(
        box is None or (box[0] >= 0 and box[1] >= 0 and box[2] <= width and box[3] <= height)
        for box in boxes
    )


class Unsupported(Exception):
    """The spec's figure holds something this path does not redraw per request."""


class GroupRecorder(Recorder):
    """Records the group calls too: in SVG they are the ``<g id=...>`` elements."""

    recorded = Recorder.recorded | {"open_group", "close_group"}


def _interval_of(axis: Axis) -> Any:
    return lambda: tuple(axis.get_view_interval())


class VectorChart:
    """One figure for one SVG or PDF chart style, drawn anew into a document per request."""

    def __init__(self, spec: ChartSpec) -> None:
        if spec.format not in VECTOR_FORMATS:
            raise ValueError(f"not a vector format: {spec.format}")
        with drawing(spec):
            self._build(spec)

    def _build(self, spec: ChartSpec) -> None:
        figure, axes = build_figure(spec)
        if len(figure.axes) != 1 or len(axes.collections) != 1 or axes.lines or axes.texts:
            raise Unsupported("more than one series or data-dependent artists")
        extras = (axes.get_legend(), *axes.artists, *axes.images, *axes.patches, *axes.child_axes)
        if any(extra is not None for extra in extras):
            raise Unsupported("data-dependent artists besides the markers")
        if not isinstance(axes.collections[0], PathCollection):
            raise Unsupported("the markers are not a PathCollection")
        if spec.transparent:  # what savefig(transparent=True) does while it saves
            for patch in (figure.patch, axes.patch):
                patch.set_facecolor("none")
                patch.set_edgecolor("none")
        figure.dpi = _VECTOR_DPI  # what print_svg and print_pdf do while they draw
        self.figure = figure
        self.axes = axes
        self.collection = axes.collections[0]
        self.format = spec.format
        self.image_dpi = spec.dpi
        self.xlim = spec.xlim
        self.ylim = spec.ylim
        self.fixed = None not in spec.xlim and None not in spec.ylim
        width, height = figure.get_size_inches()
        self._size = (float(width), float(height))  # inches
        for axis in (axes.xaxis, axes.yaxis):
            replaying = ReplayingDraw(axis.draw, _interval_of(axis), recorder=GroupRecorder)
            axis.draw = replaying  # type: ignore[method-assign]
        self._svg: SvgRenderer | None = None
        self._pdf: PdfRenderer | None = None
        self._mixed: Any = None
        self.looks = spec.looks
        self._bounds = TextBounds() if spec.looks.layout == "auto" else None
        self._agg: Any = None
        self._static: tuple[float, float, float, float] | None = None
        self._axis_boxes: list[dict[tuple[float, ...], Box]] = [{}, {}]

    def draw(self, x: FloatArray, y: FloatArray) -> bytes | None:
        """The chart of ``x``, ``y`` as SVG or PDF bytes; ``None`` under ``layout=auto`` when
        the recipe's layout does not hold its text (the plain path adapts it)."""
        with MATPLOTLIB_LOCK, styled(self.looks):
            self._set_data(x, y)
            if self._bounds is not None and not self._fits(self._bounds):
                return None
            if self.format == "svg":
                return self._write_svg()
            return self._write_pdf()

    def _fits(self, bounds: TextBounds) -> bool:
        """Whether the text fits, measured as the plain path measures it (``layout.settle``):
        laid out at the image's dpi on an Agg renderer. Each axis' text follows from its view
        interval alone (what its replayed drawing relies on too), so it is measured once per
        interval; the rest of the figure's text (title) once."""
        figure = self.figure
        axes: tuple[Any, ...] = (self.axes.xaxis, self.axes.yaxis)
        replaying = [axis.draw for axis in axes]
        figure.dpi = self.image_dpi
        try:
            width, height = figure.bbox.size
            size = (round(float(width)), round(float(height)))
            if self._agg is None or (self._agg.width, self._agg.height) != size:
                self._agg = RendererAgg(*size, self.image_dpi)
                self._static = None
                self._axis_boxes = [{}, {}]
            if self._static is None:
                for axis in axes:
                    axis.draw = _nothing
                self._static = _box(measure(figure, bounds, renderer=self._agg))
                for axis, draw in zip(axes, replaying, strict=True):
                    axis.draw = draw
            boxes = [self._static]
            for index, (axis, draw) in enumerate(zip(axes, replaying, strict=True)):
                known = self._axis_boxes[index]
                interval = tuple(axis.get_view_interval())
                if interval not in known:
                    if len(known) > 64:
                        known.clear()
                    original = draw._draw
                    known[interval] = _box(measure_draws([original], self._agg, bounds))
                boxes.append(known[interval])
            return _inside(boxes, *size)
        finally:
            for axis, draw in zip(axes, replaying, strict=True):
                axis.draw = draw
            figure.dpi = _VECTOR_DPI

    def _set_data(self, x: FloatArray, y: FloatArray) -> None:
        """New offsets, and the limits a new scatter of them would get (see ``prepared``)."""
        axes = self.axes
        self.collection.set_offsets(np.column_stack([x, y]))
        if self.fixed:
            return
        axes.viewLim.set_points(Bbox.unit().get_points())  # a new axes' limits: not inverted
        axes.set_autoscale_on(True)
        axes.relim()
        axes.autoscale_view()
        if self.xlim != (None, None):
            axes.set_xlim(*self.xlim)
        if self.ylim != (None, None):
            axes.set_ylim(*self.ylim)

    def _renderer(self, vector: Any) -> Any:
        """The ``MixedModeRenderer`` ``print_svg``/``print_pdf`` wrap around the renderer."""
        width, height = self._size
        if self._mixed is None:
            self._mixed = MixedModeRenderer(self.figure, width, height, self.image_dpi, vector)
        else:  # the same object, so caches keyed by renderer keep hitting
            self._mixed.__init__(self.figure, width, height, self.image_dpi, vector)
        return self._mixed

    def _write_svg(self) -> bytes:
        width, height = self._size
        text = io.StringIO()
        points = (width * _VECTOR_DPI, height * _VECTOR_DPI)
        if self._svg is None:
            self._svg = SvgRenderer(*points, text, image_dpi=self.image_dpi)
        else:
            self._svg.restart(*points, text, image_dpi=self.image_dpi)
        renderer = self._renderer(self._svg)
        self.figure.draw(renderer)
        renderer.finalize()
        return text.getvalue().encode("utf-8")

    def _write_pdf(self) -> bytes:
        width, height = self._size
        out = io.BytesIO()
        file = PdfFile(out, metadata={"CreationDate": None})
        file.newPage(width, height)
        if self._pdf is None:
            self._pdf = PdfRenderer(file, self.image_dpi, height, width)
        else:
            self._pdf.restart(file)
        renderer = self._renderer(self._pdf)
        self.figure.draw(renderer)
        renderer.finalize()
        file.finalize()
        file.close()
        return out.getvalue()
