"""Density counts: every point lands in the cell matplotlib's own hexbin and numpy's
histogram2d put it in, for awkward data too (one value, far from zero, tiny, a million)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from matplotlib.figure import Figure

from shared.chart.density import HexGrid, hexbin_counts, hist2d_counts

Data = tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]


def datasets(n: int) -> list[Data]:
    rng = np.random.default_rng(n)
    return [
        (rng.normal(size=n), rng.normal(size=n)),
        (np.arange(n) * 1.0, np.arange(n) % 7 * 1.0),  # points on cell borders
        (np.full(n, 5.0), rng.random(n)),  # one x value: matplotlib widens the range
        (rng.random(n) * 1e-300, rng.random(n) * 1e9 + 1e15),
        (np.full(n, 1e15), np.full(n, -3e-9)),
        (np.arange(n) * 0.1, np.arange(n) / 3.0),
    ]


@pytest.mark.parametrize("n", [1, 17, 5000])
@pytest.mark.parametrize("gridsize", [2, 7, 50, 300])
def test_hexbin_counts_are_matplotlibs(n: int, gridsize: int) -> None:
    axes = Figure().subplots()
    for x, y in datasets(n):
        expected = np.asarray(axes.hexbin(x, y, gridsize=gridsize).get_array())
        assert np.array_equal(hexbin_counts(x, y, HexGrid(x, y, gridsize)), expected)


def test_hexbin_counts_of_a_million_points_and_on_log_axes() -> None:
    rng = np.random.default_rng(1)
    x = rng.lognormal(size=1_000_000)
    y = x * rng.lognormal(size=1_000_000)
    axes = Figure().subplots()
    expected = np.asarray(axes.hexbin(x, y).get_array())
    assert np.array_equal(hexbin_counts(x, y, HexGrid(x, y, 100)), expected)
    logged = np.asarray(axes.hexbin(x, y, gridsize=50, xscale="log", yscale="log").get_array())
    tx, ty = np.log10(x), np.log10(y)
    assert np.array_equal(hexbin_counts(tx, ty, HexGrid(tx, ty, 50)), logged)


def test_points_outside_the_grid_are_counted_nowhere_as_matplotlib_does() -> None:
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=3000), rng.normal(size=3000)
    extent = (-1.0, 1.0, -0.5, 2.0)
    cells = Figure().subplots().hexbin(x, y, gridsize=20, extent=extent)
    expected = np.asarray(cells.get_array())
    grid = HexGrid(np.array(extent[:2]), np.array(extent[2:]), 20)
    assert np.array_equal(hexbin_counts(x, y, grid), expected)
    assert expected.sum() < len(x)


@pytest.mark.parametrize("n", [1, 17, 5000, 1_000_000])
@pytest.mark.parametrize("bins", [1, 3, 50, 500])
def test_hist2d_counts_are_numpys(n: int, bins: int) -> None:
    for x, y in datasets(n)[: 2 if n > 5000 else None]:
        expected, xedges, yedges = np.histogram2d(x, y, bins=bins)
        counts, xs, ys = hist2d_counts(x, y, bins=bins, xlog=False, ylog=False)
        assert np.array_equal(counts, expected)
        assert np.array_equal(xs, xedges) and np.array_equal(ys, yedges)


def test_hist2d_bins_on_a_log_axis_are_equal_in_log10() -> None:
    rng = np.random.default_rng(3)
    x, y = rng.lognormal(size=2000), rng.normal(size=2000)
    expected, xedges, yedges = np.histogram2d(np.log10(x), y, bins=20)
    counts, xs, ys = hist2d_counts(x, y, bins=20, xlog=True, ylog=False)
    assert np.array_equal(counts, expected)
    assert np.array_equal(xs, 10.0**xedges) and np.array_equal(ys, yedges)
