"""LOWESS: Cleveland's (1979) robust locally weighted linear regression, in numpy.

The algorithm is the one of ``statsmodels.nonparametric.lowess`` (and of R's ``lowess``):
each fitted value is a linear regression on the ``frac * n`` nearest points, weighted by the
tricube of their distance; ``iterations`` robustifying passes then weigh each point down by
the bisquare of its residual over six median absolute residuals. ``delta`` skips the
regression for points closer than ``delta`` to the last fitted one and interpolates linearly
in between, as statsmodels does (which recommends ``0.01 * range(x)`` for big data).

Two differences, both scale-free versions of statsmodels' absolute thresholds: x is mapped to
[0, 1] and y divided by its standard deviation before fitting (statsmodels floors a
neighbourhood's weighted variance at 1e-12 and stops robustifying when the median absolute
residual is below 1e-7, in the data's own units); and a neighbourhood whose points all share
one x gets their weighted mean (statsmodels keeps the point's own y). The tests compare this
with a line-by-line port of statsmodels' loop.

The regressions of one pass run together: every fitted point's neighbourhood has the same
number of points, so they form one matrix.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from ..spec import FloatArray

__all__ = ["LOWESS_DELTA", "LOWESS_FRAC", "LOWESS_ITERATIONS", "lowess", "lowess_curve"]

LOWESS_FRAC: Final = 2 / 3
"""The share of the points each local regression uses (statsmodels' and R's default)."""
LOWESS_ITERATIONS: Final = 3
"""Robustifying passes after the first fit (statsmodels' and R's default)."""
LOWESS_DELTA: Final = 0.01
"""Regressions are skipped within this share of the x range of the last one."""

_BLOCK = 500_000
"""Most neighbourhood entries (fitted points x neighbours) handled in one matrix."""

IntArray = npt.NDArray[np.intp]


def _fit_points(x: FloatArray, delta: float) -> IntArray:
    """The indices of ``x`` (sorted) where regressions run, as statsmodels' ``update_indices``
    chooses them: ties of a fitted x copy its value, the points between two fitted ones are
    interpolated."""
    n = len(x)
    fits: list[int] = []
    i = 0
    while True:
        fits.append(i)
        last = int(np.searchsorted(x, x[i], side="right")) - 1  # ties copy this fit
        if last >= n - 1:
            break
        beyond = int(np.searchsorted(x, x[i] + delta, side="right"))
        k = beyond if beyond < n else n - 1
        i = max(k - 1, last + 1)
    return np.asarray(fits, dtype=np.intp)


def _neighbourhoods(x: FloatArray, at: FloatArray, k: int) -> tuple[IntArray, FloatArray]:
    """The first index of each point's ``k`` nearest neighbours in ``x`` (sorted), and the
    distance to the farthest of them (statsmodels' ``update_neighborhood``)."""
    n = len(x)
    if k >= n:
        left = np.zeros(len(at), dtype=np.intp)
    else:
        middles = (x[: n - k] + x[k:]) / 2.0
        left = np.searchsorted(middles, at, side="left").astype(np.intp)
    radius = np.maximum(at - x[left], x[left + k - 1] - at)
    return left, radius


def _regress(
    x: FloatArray,
    y: FloatArray,
    robust: FloatArray,
    at: FloatArray,
    own: FloatArray,
    left: IntArray,
    radius: FloatArray,
    k: int,
) -> FloatArray:
    """The locally weighted linear fit at each of ``at`` (``own``: the point's own y, kept
    where fewer than two neighbours have weight)."""
    fitted = np.empty(len(at))
    rows = max(1, _BLOCK // k)
    offsets = np.arange(k)
    for start in range(0, len(at), rows):
        part = slice(start, start + rows)
        index = left[part, None] + offsets
        xs = x[index]
        centre = at[part, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            distance = np.abs(xs - centre) / radius[part, None]
        weights = 1.0 - distance * distance * distance
        weights = weights * weights * weights * robust[index]
        flat = radius[part] == 0  # every neighbour at the same x: their weighted mean
        weights[flat] = robust[index[flat]]
        total = weights.sum(axis=1)
        usable = (np.count_nonzero(weights > 1e-12, axis=1) >= 2) | (flat & (total > 0))
        with np.errstate(divide="ignore", invalid="ignore"):
            weights /= total[:, None]
            mean = (weights * xs).sum(axis=1)
            spread = xs - mean[:, None]
            variance = np.maximum((weights * spread * spread).sum(axis=1), 1e-12)
            lever = 1.0 + (centre[:, 0] - mean)[:, None] * spread / variance[:, None]
        lever[flat] = 1.0
        values = (weights * lever * y[index]).sum(axis=1)
        fitted[part] = np.where(usable, values, own[part])
    return fitted


def lowess(
    x: FloatArray,
    y: FloatArray,
    *,
    frac: float = LOWESS_FRAC,
    iterations: int = LOWESS_ITERATIONS,
    delta: float = 0.0,
) -> tuple[FloatArray, FloatArray]:
    """The fitted values at every point: ``(x sorted, fitted y)``, as statsmodels returns them.

    ``delta`` is in units of ``x``. Needs at least two distinct x values.
    """
    xs, fitted, _ = _lowess(x, y, frac=frac, iterations=iterations, delta=delta)
    return xs, fitted


def _lowess(
    x: FloatArray, y: FloatArray, *, frac: float, iterations: int, delta: float
) -> tuple[FloatArray, FloatArray, IntArray]:
    """``lowess``, and the indices (into the sorted points) where regressions ran."""
    order = np.argsort(x, kind="stable")
    xs = x[order]
    low, span = xs[0], xs[-1] - xs[0]
    if not span > 0:
        raise ValueError("LOWESS needs at least two distinct x values")
    unit = (xs - low) / span
    ys = y[order]
    mean, scale = float(ys.mean()), float(ys.std())
    scale = scale if scale > 0 else 1.0
    values = (ys - mean) / scale
    n = len(unit)
    k = min(max(int(frac * n + 1e-10), 2), n)
    fits = _fit_points(unit, delta / span)
    at = unit[fits]
    left, radius = _neighbourhoods(unit, at, k)
    robust = np.ones(n)
    fitted = values
    for _ in range(iterations + 1):
        at_fits = _regress(unit, values, robust, at, values[fits], left, radius, k)
        fitted = np.interp(unit, at, at_fits) if len(fits) < n else at_fits
        residuals = np.abs(values - fitted)
        median = float(np.median(residuals))
        if median <= 1e-7:
            break
        residuals /= 6.0 * median
        np.minimum(residuals, 1.0, out=residuals)
        robust = 1.0 - residuals * residuals
        robust *= robust
    result: FloatArray = fitted * scale + mean
    return xs, result, fits


def lowess_curve(
    x: FloatArray, y: FloatArray, *, max_points: int, seed: int = 0
) -> tuple[FloatArray, FloatArray]:
    """The LOWESS curve to draw (the fitted points, between which statsmodels interpolates
    linearly), with ``delta`` at ``LOWESS_DELTA`` of the x range.

    Above ``max_points`` points the curve is fitted to ``max_points`` of them: a sample drawn
    with a fixed seed (the same data gives the same curve) that keeps the smallest and the
    largest x.
    """
    if len(x) > max_points:
        chosen = np.random.default_rng(seed).choice(len(x), max_points, replace=False)
        chosen[:2] = (int(x.argmin()), int(x.argmax()))
        chosen = np.unique(chosen)
        x, y = x[chosen], y[chosen]
    delta = LOWESS_DELTA * float(x.max() - x.min())
    xs, fitted, fits = _lowess(x, y, frac=LOWESS_FRAC, iterations=LOWESS_ITERATIONS, delta=delta)
    return xs[fits], fitted[fits]
