"""What a prepared figure redraws besides its markers: trend lines, point labels, density.

``Overlays`` finds these artists in a figure made by ``build_figure`` and, for each new spec of
the same style, gives them the new data before the axes autoscale, the way a new figure would
have them:

* trend lines: the same ``Line2D`` objects get the new curve and equation (their order among
  the axes' children, which the legend follows, stays that of ``build_figure``);
* point labels: the annotations are made anew (``add_point_labels``);
* hexbin: the collection gets the grid ``Axes.hexbin`` would lay out for the new data (cell
  offsets, hexagon, extent, as in its source) and the counts; the extent joins the data
  limits after ``relim``, as ``update_datalim`` did when hexbin added it;
* hist2d: the ``QuadMesh`` gets the new bin edges (its private ``_coordinates``, as
  ``pcolormesh`` would build it) and counts, its sticky edges and the data limits follow.

The colour scale of the counts is autoscaled again and the colorbar follows it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection, PolyCollection, QuadMesh
from matplotlib.lines import Line2D
from matplotlib.text import Annotation

from ...spec import ChartSpec, FloatArray
from ..density import HexGrid, hexbin_counts, hist2d_counts
from ..labels import add_point_labels
from ..trend import fit_trend, trend_in_legend

__all__ = ["Overlays", "overlays_served"]

_HEXAGON = np.array([[0.5, -0.5], [0.5, 0.5], [0.0, 1.0], [-0.5, 0.5], [-0.5, -0.5], [0.0, -1.0]])


def overlays_served(spec: ChartSpec) -> bool:
    """Whether ``Overlays`` can follow ``spec``'s data: a trend line needs every series to have
    points (``build_figure`` draws none for an empty series, and the lines are kept)."""
    return spec.trendline is None or all(len(part.x) for part in spec.parts())


def _unit_lattice(nx: int, ny: int) -> FloatArray:
    """Hexbin's cell centres in cell units: the first lattice, then the second."""
    nx1, ny1 = nx + 1, ny + 1
    first = nx1 * ny1
    offsets = np.zeros((first + nx * ny, 2), float)
    offsets[:first, 0] = np.repeat(np.arange(nx1), ny1)
    offsets[:first, 1] = np.tile(np.arange(ny1), nx1)
    offsets[first:, 0] = np.repeat(np.arange(nx) + 0.5, ny)
    offsets[first:, 1] = np.tile(np.arange(ny), nx) + 0.5
    return offsets


class Overlays:
    """The trend lines, labels and density artist of one prepared figure."""

    def __init__(self, axes: Axes, spec: ChartSpec) -> None:
        self.axes = axes
        self.lines: list[Line2D] = list(axes.lines) if spec.trendline is not None else []
        self.labels: list[Annotation] = [a for a in axes.texts if isinstance(a, Annotation)]
        self.labelled = spec.label_codes is not None
        density = [c for c in axes.collections if not isinstance(c, PathCollection)]
        self.density: Any = density[0] if spec.kind != "scatter" else None
        self.lattice: FloatArray | None = None
        self.corners: FloatArray | None = None

    def __bool__(self) -> bool:
        return bool(self.lines) or self.labelled or self.density is not None

    def refresh(self, spec: ChartSpec) -> None:
        """Give every overlay ``spec``'s data (before the axes' limits are recomputed)."""
        xlog, ylog = spec.xscale == "log", spec.yscale == "log"
        parts = list(spec.parts()) if spec.trendline is not None else []
        for line, part in zip(self.lines, parts, strict=True):
            trend = fit_trend(
                str(spec.trendline), part.x, part.y,
                xlog=xlog, ylog=ylog, xdate=spec.xtype.kind == "date",
            )  # fmt: skip
            line.set_data(trend.x, trend.y)
            if trend_in_legend(spec):
                line.set_label(trend.label)
        if self.labelled:
            for label in self.labels:
                label.remove()
            self.labels = add_point_labels(self.axes, spec)
        if isinstance(self.density, PolyCollection):
            self._hexbin(spec, xlog=xlog, ylog=ylog)
        elif isinstance(self.density, QuadMesh):
            self._hist2d(spec, xlog=xlog, ylog=ylog)

    def extend_limits(self) -> None:
        """Add the density cells' extent to the data limits (after ``relim``, which leaves
        them out as it leaves out what ``Axes.hexbin`` and ``pcolormesh`` add)."""
        if self.corners is not None:
            self.axes.update_datalim(self.corners)

    def _hexbin(self, spec: ChartSpec, *, xlog: bool, ylog: bool) -> None:
        """The grid and counts ``Axes.hexbin`` would make of ``spec``'s points."""
        collection: PolyCollection = self.density
        tx = np.log10(spec.x) if xlog else spec.x
        ty = np.log10(spec.y) if ylog else spec.y
        grid = HexGrid(tx, ty, spec.gridsize)
        if self.lattice is None:
            self.lattice = _unit_lattice(grid.nx, grid.ny)
        offsets = self.lattice.copy()
        offsets[:, 0] *= grid.sx
        offsets[:, 1] *= grid.sy
        offsets[:, 0] += grid.xmin
        offsets[:, 1] += grid.ymin
        polygon = [grid.sx, grid.sy / 3] * _HEXAGON
        xmin, xmax, ymin, ymax = grid.xmin, grid.xmax, grid.ymin, grid.ymax
        if xlog or ylog:
            polygons = np.expand_dims(polygon, 0)
            if xlog:
                polygons[:, :, 0] = 10.0 ** polygons[:, :, 0]
                xmin, xmax = 10.0**xmin, 10.0**xmax
            if ylog:
                polygons[:, :, 1] = 10.0 ** polygons[:, :, 1]
                ymin, ymax = 10.0**ymin, 10.0**ymax
            collection.set_verts(list(polygons))
        else:
            collection.set_verts([polygon])
        collection.set_offsets(offsets)
        self.corners = np.array([[xmin, ymin], [xmax, ymax]])
        self._set_counts(collection, hexbin_counts(tx, ty, grid), spec)

    def _hist2d(self, spec: ChartSpec, *, xlog: bool, ylog: bool) -> None:
        """The bins and counts ``Axes.hist2d`` would make of ``spec``'s points."""
        mesh: Any = self.density
        counts, xedges, yedges = hist2d_counts(spec.x, spec.y, bins=spec.bins, xlog=xlog, ylog=ylog)
        grid_x, grid_y = np.meshgrid(xedges, yedges)
        coordinates = np.stack([grid_x, grid_y], axis=-1)
        mesh._coordinates = coordinates
        mesh._paths = None
        flat = coordinates.reshape(-1, 2)
        mesh._bbox.update_from_data_xy(flat, ignore=True)
        low, high = flat.min(axis=0), flat.max(axis=0)
        mesh.sticky_edges.x[:] = [low[0], high[0]]
        mesh.sticky_edges.y[:] = [low[1], high[1]]
        self.corners = np.array([low, high])
        self._set_counts(mesh, counts.T, spec)

    @staticmethod
    def _set_counts(artist: Any, counts: FloatArray, spec: ChartSpec) -> None:
        """New counts, and a colour scale autoscaled to them as a new artist's would be."""
        norm: Any = artist.norm
        with norm.callbacks.blocked():
            artist.set_array(counts)
            norm.vmin, norm.vmax = spec.vlim
            artist.autoscale_None()
        artist.changed()  # the colorbar follows the new scale
