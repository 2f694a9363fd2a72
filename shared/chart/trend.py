"""Trend lines: a least-squares polynomial or a LOWESS curve per series, and its legend text.

``fit_trend`` fits one series. Polynomials (``linear``, ``quadratic``, ``cubic``) are fitted
the way ``numpy.polynomial.Polynomial.fit`` does it, for numerical soundness on a million
points and on data far from zero (x around 1e9): x is mapped onto [-1, 1] and y centred and
scaled first, the least squares run in the Legendre basis (well conditioned on [-1, 1]), by
normal equations refined once with their residual (sums by ``einsum``, in the calling
thread). R² is ``1 - SS_res / SS_tot`` of the fitted values (``nan`` when every y is the same).

On a log axis the fit is done in log space (``log10`` of that axis' values) and the legend
says so (``log₁₀y = ...``). On a date axis x is the date number (days since 1970-01-01 UTC) and
the equation is written in ``t``, days since the first day. Data far from zero is written the
same way, in ``t = x − x₀``, so that four significant digits per coefficient still draw the
curve (``y = 2x − 2e9`` would not).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import numpy as np
from matplotlib import rcParams
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from ..spec import ChartSpec, FloatArray, SeriesData
from .lowess import lowess_curve

__all__ = [
    "CURVE_POINTS",
    "LOWESS_MAX_POINTS",
    "MIN_DISTINCT_X",
    "TREND_DEGREES",
    "HALO_WIDTH",
    "Trend",
    "add_trend_line",
    "distinct_at_least",
    "fit_trend",
    "format_number",
    "trend_color",
    "trend_in_legend",
]

TREND_DEGREES: Final[dict[str, int]] = {"linear": 1, "quadratic": 2, "cubic": 3}
MIN_DISTINCT_X: Final[dict[str, int]] = {"linear": 2, "quadratic": 3, "cubic": 4, "lowess": 2}
"""Distinct x values a series needs for each kind of trend line."""
CURVE_POINTS: Final = 200
"""Points along a polynomial trend line (evenly spaced in x, or in log x on a log axis)."""
LOWESS_MAX_POINTS: Final = 10_000
"""Above this many points in a series, LOWESS is fitted to a fixed sample of this many."""
SHIFT_ABOVE: Final = 10.0
"""An equation is written in ``t = x − x₀`` when the middle of the x range is more than this
many half-ranges away from zero."""
HALO_WIDTH: Final = 1.0
"""Points of the axes' background colour drawn around a trend line, so that it stands out on
markers of its own colour."""

ONE_LINE: Final = 44
"""Characters of an equation and its R² on one line; a longer equation puts R² on the next."""

MINUS: Final = "\N{MINUS SIGN}"
_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_LOG = "log₁₀"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Trend:
    """One trend line: the curve in data coordinates and its legend text."""

    x: FloatArray
    y: FloatArray
    label: str


def trend_in_legend(spec: ChartSpec) -> bool:
    """Whether the legend lists the trend lines' equations."""
    return spec.trendline is not None and spec.trendline_label


def trend_color(spec: ChartSpec, index: int) -> str:
    """A series' trend line colour: its markers' colour; over colours from a colormap (a
    colour column, a density chart), the colour of the axes' frame."""
    if spec.color_values is not None or spec.kind != "scatter":
        return str(rcParams["axes.edgecolor"])
    return spec.color if spec.color is not None else f"C{index}"


def add_trend_line(axes: Axes, spec: ChartSpec, part: SeriesData) -> Line2D | None:
    """``part``'s trend line on ``axes`` (none without ``trendline`` or without points): a
    ``plot`` of the fitted curve in the series' colour, ringed with the axes' background
    colour, labelled with its equation when the legend shows it."""
    if spec.trendline is None or not len(part.x):
        return None
    trend = fit_trend(
        spec.trendline,
        part.x,
        part.y,
        xlog=spec.xscale == "log",
        ylog=spec.yscale == "log",
        xdate=spec.xtype.kind == "date",
    )
    from matplotlib import patheffects  # imported by the first chart with a trend line

    halo = patheffects.withStroke(
        linewidth=float(rcParams["lines.linewidth"]) + 2 * HALO_WIDTH,
        foreground=axes.get_facecolor(),
    )
    style: dict[str, Any] = {"color": trend_color(spec, part.index), "path_effects": [halo]}
    if trend_in_legend(spec):
        style["label"] = trend.label
    (line,) = axes.plot(trend.x, trend.y, **style)
    return line


def distinct_at_least(values: FloatArray, count: int) -> bool:
    """Whether ``values`` holds at least ``count`` distinct numbers (no sort: the smallest and
    largest, then those of the values strictly between, and so on)."""
    rest = values
    found = 0
    while found < count:
        if not len(rest):
            return False
        low, high = rest.min(), rest.max()
        found += 1 if low == high else 2
        if found < count:
            rest = rest[(rest > low) & (rest < high)]
    return True


def format_number(value: float, digits: int = 4) -> str:
    """``value`` to ``digits`` significant digits, with a real minus sign and ``×10ⁿ``."""
    text = f"{value:.{digits}g}"
    mantissa, _, exponent = text.partition("e")
    mantissa = mantissa.replace("-", MINUS)
    if not exponent:
        return mantissa
    power = "10" + str(int(exponent)).translate(_SUPERSCRIPTS)
    if mantissa in ("1", MINUS + "1"):
        return mantissa[:-1] + power
    return f"{mantissa}×{power}"


def fit_trend(
    kind: str, x: FloatArray, y: FloatArray, *, xlog: bool, ylog: bool, xdate: bool
) -> Trend:
    """The trend line of one series (at least ``MIN_DISTINCT_X[kind]`` distinct x values)."""
    u = np.log10(x) if xlog else x
    v = np.log10(y) if ylog else y
    lhs = f"{_LOG}y" if ylog else "y"
    if kind == "lowess":
        cu, cv = lowess_curve(u, v, max_points=LOWESS_MAX_POINTS)
        where = [f"of {lhs}"] if ylog else []
        where += [f"on {_LOG}x"] if xlog else []
        return _trend(cu, cv, " ".join(["LOWESS", *where]), xlog=xlog, ylog=ylog)
    fit = _PolynomialFit(u, v, TREND_DEGREES[kind])
    t = np.linspace(-1.0, 1.0, CURVE_POINTS)
    label = _equation(fit, lhs=lhs, xname=f"{_LOG}x" if xlog else "x", xdate=xdate)
    return _trend(fit.centre + fit.half * t, fit.at(t), label, xlog=xlog, ylog=ylog)


def _trend(u: FloatArray, v: FloatArray, label: str, *, xlog: bool, ylog: bool) -> Trend:
    """The curve back in data coordinates, without points that overflow."""
    with np.errstate(over="ignore"):
        x = np.power(10.0, u) if xlog else u
        y = np.power(10.0, v) if ylog else v
    finite = np.isfinite(x) & np.isfinite(y)
    return Trend(x=x[finite], y=y[finite], label=label)


def _dot(a: FloatArray, b: FloatArray) -> float:
    """``a @ b`` without BLAS: on a busy machine, waking BLAS threads for a million-point dot
    product took longer than the product (``einsum`` runs in this thread)."""
    return float(np.einsum("i,i->", a, b))


def _subtract_rows(target: FloatArray, weights: FloatArray, rows: FloatArray) -> None:
    """``target -= weights @ rows``, in place and in this thread."""
    for weight, row in zip(weights, rows, strict=True):
        target -= weight * row


def _legendre_rows(t: FloatArray, degree: int) -> FloatArray:
    """The Legendre polynomials P0..P``degree`` at ``t``, one row each (Bonnet's recursion)."""
    rows = np.empty((degree + 1, len(t)))
    rows[0] = 1.0
    if degree >= 1:
        rows[1] = t
    for k in range(2, degree + 1):
        # k P_k = (2k - 1) t P_(k-1) - (k - 1) P_(k-2)
        np.multiply(rows[k - 1], t, out=rows[k])
        rows[k] *= (2 * k - 1) / k
        rows[k] -= rows[k - 2] * ((k - 1) / k)
    return rows


class _PolynomialFit:
    """A least-squares polynomial in ``t = (u - centre) / half`` (so ``t`` spans [-1, 1]),
    with ``v = mean + scale * p(t)``."""

    def __init__(self, u: FloatArray, v: FloatArray, degree: int) -> None:
        low, high = float(u.min()), float(u.max())
        self.low, self.high = low, high
        self.half = (high - low) / 2
        self.centre = low + self.half
        t = u - self.centre
        t /= self.half
        self.mean = float(v.mean())
        w = v - self.mean
        total = _dot(w, w)
        scale = math.sqrt(total / len(w))
        self.scale = scale if scale > 0 else 1.0
        w /= self.scale
        basis = _legendre_rows(t, degree)
        gram = np.einsum("ij,kj->ik", basis, basis)
        coefficients = np.linalg.solve(gram, np.einsum("ij,j->i", basis, w))
        residual = w.copy()
        _subtract_rows(residual, coefficients, basis)
        # one step of iterative refinement: the normal equations again, for the residual
        correction = np.linalg.solve(gram, np.einsum("ij,j->i", basis, residual))
        _subtract_rows(residual, correction, basis)
        self.legendre = coefficients + correction
        self.r2 = 1.0 - _dot(residual, residual) / _dot(w, w) if total > 0 else math.nan

    def at(self, t: FloatArray) -> FloatArray:
        """The fitted v at ``t``."""
        from numpy.polynomial import legendre

        values: FloatArray = self.mean + self.scale * legendre.legval(t, self.legendre)
        return values

    def in_terms_of(self, origin: float) -> FloatArray:
        """The power-series coefficients of v in ``u - origin``, lowest power first."""
        from numpy.polynomial import Polynomial, legendre

        in_t = Polynomial(legendre.leg2poly(self.legendre))
        # t = (u - origin) / half + (origin - centre) / half
        shifted = in_t(Polynomial([(origin - self.centre) / self.half, 1.0 / self.half]))
        coefficients: FloatArray = np.asarray(shifted.coef, dtype=np.float64) * self.scale
        coefficients[0] += self.mean
        return coefficients


def _origin(fit: _PolynomialFit, *, xdate: bool) -> float:
    """Where the equation's variable starts: 0, the first day (dates), or a round number near
    the data when it sits far from zero."""
    if xdate:
        return math.floor(fit.low)
    if abs(fit.centre) <= SHIFT_ABOVE * fit.half:
        return 0.0
    step = 10.0 ** (math.floor(math.log10(fit.half)) + 1)
    return round(fit.centre / step) * step


def _origin_text(origin: float, *, xname: str, xdate: bool) -> str:
    if xdate:
        day = _EPOCH + timedelta(days=origin)
        return f"t = days since {day:%Y-%m-%d}"
    sign = MINUS if origin > 0 else "+"
    return f"t = {xname} {sign} {format_number(abs(origin), digits=12)}"


def _equation(fit: _PolynomialFit, *, lhs: str, xname: str, xdate: bool) -> str:
    """``y = 1.02x + 3.1, R² = 0.953``; R² on a second line after a long equation, and the
    definition of ``t`` there when x is shifted."""
    origin = _origin(fit, xdate=xdate)
    shifted = xdate or origin != 0.0
    variable = "t" if shifted else xname
    coefficients = fit.in_terms_of(origin)
    reach = max(abs(fit.low - origin), abs(fit.high - origin))
    size = max(abs(fit.mean), fit.scale)
    terms: list[tuple[float, str]] = []
    for power in range(len(coefficients) - 1, -1, -1):
        value = float(coefficients[power])
        if abs(value) * reach**power <= 1e-12 * size:  # nothing on the data's range
            continue
        terms.append((value, _term(abs(value), power, variable)))
    text = ""
    for value, term in terms:
        if not text:
            text = (MINUS if value < 0 else "") + term
        else:
            text += f" {MINUS if value < 0 else '+'} {term}"
    text = f"{lhs} = {text or '0'}"
    second: list[str] = []
    if not math.isnan(fit.r2):
        r2 = f"R² = {fit.r2:.3f}"
        if len(text) + len(r2) + 2 <= ONE_LINE:
            text += ", " + r2
        else:
            second.append(r2)
    if shifted:
        second.append(_origin_text(origin, xname=xname, xdate=xdate))
    return "\n".join([text, ", ".join(second)]) if second else text


def _term(size: float, power: int, variable: str) -> str:
    number = format_number(size)
    if power == 0:
        return number
    if number == "1":
        number = ""
    name = variable if len(variable) == 1 or power == 1 else f"({variable})"
    if power > 1:
        name += str(power).translate(_SUPERSCRIPTS)
    gap = " " if number and len(variable) > 1 and power == 1 else ""
    return f"{number}{gap}{name}"
