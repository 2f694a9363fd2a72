"""Density charts: counts of points per hexagon (``hexbin``) or per rectangle (``hist2d``).

Drawn with matplotlib's own artists, so the pixels are those of ``Axes.hexbin`` and
``Axes.hist2d`` for the same data (the tests compare them with zero tolerance), but counted
here: matplotlib's own counting makes a dozen temporary arrays per million points, this about
half as many, with the same floating-point operations in the same order, so every point lands
in the same cell.

* ``hexbin``: ``Axes.hexbin`` lays out the grid (extent, hexagon size, cell offsets, the
  collection, the autoscaling); it is given only the data's corners, and the counts are set
  afterwards. Every cell is drawn, empty ones in the colormap's lowest colour, as hexbin's
  default ``mincnt=None`` does; ``gridsize`` hexagons across.
* ``hist2d``: ``numpy.histogram2d``'s bins (``bins`` equal bins per axis from the smallest to
  the largest value, the last one closed) drawn by ``pcolormesh``, as ``Axes.hist2d`` does.
  On a log axis the bins are equal in log10 (counted on ``log10`` of the values, the edges
  drawn at ``10**edge``), as hexbin does with ``xscale="log"``.

``log_counts`` colours the counts through ``LogNorm`` (hexbin's ``bins="log"``): empty cells are
then left out (masked), as matplotlib leaves them. A colorbar labelled "counts" goes beside.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection, QuadMesh
from matplotlib.colors import LogNorm
from matplotlib.transforms import _nonsingular

from ..spec import ChartSpec, FloatArray

__all__ = [
    "COUNTS_LABEL",
    "DENSITY_KINDS",
    "add_density",
    "density_cells",
    "HexGrid",
    "hexbin_counts",
    "hist2d_counts",
    "set_density",
]

DENSITY_KINDS: Final = ("hexbin", "hist2d")
COUNTS_LABEL: Final = "counts"
"""The colorbar's label."""


def density_cells(kind: str, size: int) -> int:
    """How many cells a ``hexbin`` of ``gridsize=size`` or a ``hist2d`` of ``bins=size`` draws."""
    if kind == "hexbin":
        rows = int(size / np.sqrt(3))
        return (size + 1) * (rows + 1) + size * rows
    return size * size


class HexGrid:
    """Where ``Axes.hexbin`` puts its hexagons for data spanning ``tx`` and ``ty`` (log10 of
    the values on a log axis): the extent (x padded) and the cell size."""

    def __init__(self, tx: FloatArray, ty: FloatArray, gridsize: int) -> None:
        self.nx = gridsize
        self.ny = int(gridsize / np.sqrt(3))
        xmin, xmax = _nonsingular(tx.min(), tx.max(), expander=0.1)
        ymin, ymax = _nonsingular(ty.min(), ty.max(), expander=0.1)
        padding = 1.0e-9 * (xmax - xmin)
        xmin -= padding
        xmax += padding
        self.xmin, self.xmax, self.ymin, self.ymax = xmin, xmax, ymin, ymax
        self.sx = (xmax - xmin) / self.nx
        self.sy = (ymax - ymin) / self.ny


def _scaled(values: FloatArray, log: bool) -> FloatArray:
    return np.log10(values) if log else values


def hexbin_counts(tx: FloatArray, ty: FloatArray, grid: HexGrid) -> FloatArray:
    """Points per hexagon, in ``Axes.hexbin``'s cell order (the first lattice, then the second),
    of the points ``tx``, ``ty`` (log10 of the values on a log axis).

    The same arithmetic as matplotlib's: each point goes to the nearer of the two lattices'
    centres, measured as ``(ix - cx)**2 + 3 * (iy - cy)**2`` in cell units; a point outside the
    grid is counted nowhere. The points go through in chunks small enough for the processor's
    cache, each with the same few buffers.
    """
    cells = (grid.nx + 1) * (grid.ny + 1) + grid.nx * grid.ny
    index = np.empty(len(tx), dtype=np.intp)
    scratch = _Scratch(min(len(tx), _CHUNK))
    for start in range(0, len(tx), _CHUNK):
        part = slice(start, start + _CHUNK)
        scratch.assign(tx[part], ty[part], grid, index[part], cells)
    counts = np.bincount(index, minlength=cells + 1)[:cells]
    return counts.astype(np.float64)


_CHUNK = 1 << 15
"""Points per chunk of ``hexbin_counts``: its working arrays take about 2.5 MB."""


class _Scratch:
    """The working arrays of ``hexbin_counts`` for one chunk of points."""

    def __init__(self, size: int) -> None:
        self.arrays = [np.empty(size) for _ in range(8)]
        self.masks = [np.empty(size, dtype=bool) for _ in range(2)]

    def assign(self, tx: FloatArray, ty: FloatArray, grid: HexGrid, out: Any, cells: int) -> None:
        """Each point's cell into ``out`` (``cells`` for a point outside the grid)."""
        n = len(tx)
        ix, iy, cx, cy, dx, dy, d1, d2 = (array[:n] for array in self.arrays)
        nearer, valid = (mask[:n] for mask in self.masks)
        nx, ny = grid.nx, grid.ny
        nx1, ny1 = nx + 1, ny + 1
        np.subtract(tx, grid.xmin, out=ix)
        ix /= grid.sx
        np.subtract(ty, grid.ymin, out=iy)
        iy /= grid.sy
        # the first lattice: centres at whole cell units
        np.rint(ix, out=cx)
        np.rint(iy, out=cy)
        np.subtract(ix, cx, out=dx)
        np.subtract(iy, cy, out=dy)
        np.multiply(dx, dx, out=d1)
        dy *= dy
        dy *= 3.0
        d1 += dy
        # the second lattice: centres at half cell units
        np.floor(ix, out=dx)
        np.floor(iy, out=dy)
        np.subtract(ix, dx, out=ix)
        ix -= 0.5
        np.subtract(iy, dy, out=iy)
        iy -= 0.5
        np.multiply(ix, ix, out=d2)
        iy *= iy
        iy *= 3.0
        d2 += iy
        np.less(d1, d2, out=nearer)
        # with the grid laid over the points themselves (always, here) every point is inside
        # the lattice it is nearer to, which the extremes confirm without per-point checks
        inside = bool(
            cx.min() >= 0 and cx.max() < nx1 and cy.min() >= 0 and cy.max() < ny1
            and dx.min() >= 0 and dx.max() < nx and dy.min() >= 0 and dy.max() <= ny
        )  # fmt: skip
        if inside and dy.max() == ny:  # the top row: only the first lattice has cells there
            inside = not bool(np.any((dy == ny) & ~nearer))
        if not inside:
            np.logical_and(cx >= 0, cx < nx1, out=valid)
            valid &= (cy >= 0) & (cy < ny1)
            second = (dx >= 0) & (dx < nx) & (dy >= 0) & (dy < ny)
            np.copyto(valid, second, where=~nearer)
        cx *= ny1
        cx += cy  # the cell in the first lattice
        dx *= ny
        dx += dy
        dx += nx1 * ny1  # the cell in the second lattice
        np.copyto(dx, cx, where=nearer)
        if not inside:
            dx[~valid] = cells
        out[:] = dx


def _histogram_index(values: FloatArray, bins: int) -> tuple[Any, FloatArray]:
    """Each value's bin among ``bins`` equal bins from the smallest to the largest value, as
    ``numpy.histogram2d`` assigns them (the last bin closed), and the bin edges."""
    first, last = float(values.min()), float(values.max())
    if first == last:
        first, last = first - 0.5, last + 0.5
    edges = np.linspace(first, last, bins + 1)
    position = values - first
    position *= bins / (last - first)
    index = position.astype(np.intp)
    np.minimum(index, bins - 1, out=index)
    # where rounding put a value outside its estimated bin, ask the edges themselves
    wrong = values < edges[index]
    wrong |= (values >= edges[index + 1]) & (index < bins - 1)
    if wrong.any():
        found = np.searchsorted(edges, values[wrong], side="right")
        found[values[wrong] == edges[-1]] -= 1  # the last bin is closed
        index[wrong] = found - 1
    return index, edges


def hist2d_counts(
    x: FloatArray, y: FloatArray, *, bins: int, xlog: bool, ylog: bool
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """``numpy.histogram2d(x, y, bins)`` (of log10 values on a log axis): the counts, indexed
    ``[x bin, y bin]``, and the x and y edges in data coordinates."""
    ix, xedges = _histogram_index(_scaled(x, xlog), bins)
    iy, yedges = _histogram_index(_scaled(y, ylog), bins)
    flat = ix * bins
    flat += iy
    counts = np.bincount(flat, minlength=bins * bins).reshape(bins, bins).astype(np.float64)
    if xlog:
        xedges = np.power(10.0, xedges)
    if ylog:
        yedges = np.power(10.0, yedges)
    return counts, xedges, yedges


def _norm_options(spec: ChartSpec) -> dict[str, Any]:
    if spec.log_counts:
        return {"norm": LogNorm(vmin=spec.vlim[0], vmax=spec.vlim[1])}
    return {"vmin": spec.vlim[0], "vmax": spec.vlim[1]}


def add_density(axes: Axes, spec: ChartSpec) -> PolyCollection | QuadMesh:
    """The density artist of ``spec`` (``kind`` hexbin or hist2d) on ``axes``, as
    ``Axes.hexbin`` / ``Axes.hist2d`` would add it."""
    xlog, ylog = spec.xscale == "log", spec.yscale == "log"
    if spec.kind == "hexbin":
        corners_x = np.array([spec.x.min(), spec.x.max()])
        corners_y = np.array([spec.y.min(), spec.y.max()])
        collection = axes.hexbin(
            corners_x,
            corners_y,
            gridsize=spec.gridsize,
            xscale="log" if xlog else "linear",
            yscale="log" if ylog else "linear",
            bins="log" if spec.log_counts else None,
            cmap=spec.cmap,
            vmin=spec.vlim[0],
            vmax=spec.vlim[1],
            alpha=spec.alpha,
        )
        set_density(collection, spec)
        return collection
    counts, xedges, yedges = hist2d_counts(spec.x, spec.y, bins=spec.bins, xlog=xlog, ylog=ylog)
    mesh = axes.pcolormesh(
        xedges, yedges, counts.T, cmap=spec.cmap, alpha=spec.alpha, **_norm_options(spec)
    )
    return mesh


def set_density(collection: PolyCollection, spec: ChartSpec) -> None:
    """Give a hexbin collection the counts of ``spec``'s points, its colour scale following."""
    tx = _scaled(spec.x, spec.xscale == "log")
    ty = _scaled(spec.y, spec.yscale == "log")
    counts = hexbin_counts(tx, ty, HexGrid(tx, ty, spec.gridsize))
    norm: Any = collection.norm
    with norm.callbacks.blocked():
        collection.set_array(counts)
        norm.vmin, norm.vmax = spec.vlim
        collection.autoscale_None()
    collection.changed()
