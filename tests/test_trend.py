"""Trend line numerics: exact polynomials come back exactly, far from zero and on a million
points; the equations read as written; LOWESS agrees with statsmodels.

``tests/data/lowess_statsmodels.json`` holds statsmodels' own LOWESS of seeded random data (its
``generator`` field is the script that made it), so these tests need no statsmodels.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from numpy.polynomial import Polynomial

from shared.chart.lowess import LOWESS_DELTA, lowess, lowess_curve
from shared.chart.trend import (
    CURVE_POINTS,
    LOWESS_MAX_POINTS,
    distinct_at_least,
    fit_trend,
    format_number,
)

STATSMODELS = Path(__file__).parent / "data" / "lowess_statsmodels.json"
COEFFICIENTS = {1: [3.0, 2.0], 2: [-4.0, 1.0, -0.5], 3: [7.0, -3.0, 0.5, -0.001]}


def fit(
    kind: str, x: Any, y: Any, *, xlog: bool = False, ylog: bool = False, xdate: bool = False
) -> Any:
    return fit_trend(
        kind, np.asarray(x, float), np.asarray(y, float), xlog=xlog, ylog=ylog, xdate=xdate
    )


@pytest.mark.parametrize("degree", [1, 2, 3])
@pytest.mark.parametrize(
    ("offset", "points"), [(0.0, 50), (1e9, 1000), (-3e12, 1000), (1e9, 1_000_000)]
)
def test_exact_polynomials_come_back_exactly(degree: int, offset: float, points: int) -> None:
    kind = {1: "linear", 2: "quadratic", 3: "cubic"}[degree]
    x = offset + np.linspace(0.0, 1000.0, points)
    t = x - offset  # what x holds of the steps, far from zero
    exact = Polynomial(COEFFICIENTS[degree])
    trend = fit(kind, x, exact(t))
    assert len(trend.x) == CURVE_POINTS
    assert trend.x[0] == pytest.approx(offset, abs=1e-6 * 1000) and trend.x[-1] >= offset + 999
    expected = exact(trend.x - offset)
    # the curve's x values themselves are rounded to the spacing of floats near the offset
    rounding = np.max(np.abs(exact.deriv()(t))) * np.spacing(abs(offset) + 1000.0)
    assert np.max(np.abs(trend.y - expected)) <= 1e-9 * np.ptp(exact(t)) + rounding
    assert "R² = 1.000" in trend.label


@pytest.mark.parametrize("degree", [1, 2, 3])
def test_noisy_fits_agree_with_numpy_polynomial_fit(degree: int) -> None:
    rng = np.random.default_rng(degree)
    x = rng.uniform(-50, 400, 5000)
    y = Polynomial(COEFFICIENTS[degree])(x) + rng.normal(0, 500, len(x))
    trend = fit({1: "linear", 2: "quadratic", 3: "cubic"}[degree], x, y)
    reference = Polynomial.fit(x, y, degree)
    assert np.allclose(trend.y, reference(trend.x), rtol=0, atol=1e-9 * np.ptp(y))
    residual = y - reference(x)
    r2 = 1 - residual @ residual / ((y - y.mean()) @ (y - y.mean()))
    assert f"R² = {r2:.3f}" in trend.label


@pytest.mark.parametrize(
    ("kind", "x", "y", "options", "label"),
    [
        ("linear", range(10), [2 * i + 3 for i in range(10)], {}, "y = 2x + 3, R² = 1.000"),
        ("quadratic", range(10), [-0.5 * i * i + i - 4 for i in range(10)], {},
         "y = −0.5x² + x − 4, R² = 1.000"),
        ("cubic", range(10), [2 * i + 3 for i in range(10)], {}, "y = 2x + 3, R² = 1.000"),
        ("linear", [1e9 + i for i in range(100)], [2 * i + 3 for i in range(100)], {},
         "y = 2t + 3, R² = 1.000\nt = x − 1000000000"),
        ("linear", [-5e6 + i for i in range(100)], [3 - 0.25 * i for i in range(100)], {},
         "y = −0.25t + 3, R² = 1.000\nt = x + 5000000"),
        ("linear", [19727.5 + i for i in range(30)], [0.5 * i + 1.25 for i in range(30)],
         {"xdate": True}, "y = 0.5t + 1, R² = 1.000\nt = days since 2024-01-05"),
        ("linear", [1, 10, 100, 1000], [3, 300, 30000, 3000000], {"xlog": True, "ylog": True},
         "log₁₀y = 2 log₁₀x + 0.4771, R² = 1.000"),
        ("linear", [1, 10, 100], [1, 3, 5], {"xlog": True}, "y = 2 log₁₀x + 1, R² = 1.000"),
        ("quadratic", [1, 10, 100, 1000], [1, 2, 5, 10], {"xlog": True},
         "y = 1(log₁₀x)² + 0 log₁₀x + 1, R² = 1.000"),
        ("linear", range(5), [5] * 5, {}, "y = 5"),
        ("lowess", range(20), range(20), {}, "LOWESS"),
        ("lowess", range(1, 21), range(1, 21), {"xlog": True, "ylog": True},
         "LOWESS of log₁₀y on log₁₀x"),
    ],
)  # fmt: skip
def test_equations_read_as_written(
    kind: str, x: Any, y: Any, options: dict[str, bool], label: str
) -> None:
    if "(log₁₀x)²" in label:  # y = (log x)² + 1 exactly: the linear term is 0 and left out
        label = "y = (log₁₀x)² + 1, R² = 1.000"
        y = [np.log10(v) ** 2 + 1 for v in x]
    assert fit(kind, x, y, **options).label == label


def test_a_fit_in_log_space_draws_a_power_law_as_a_curve_of_the_data() -> None:
    x = np.geomspace(1, 1e6, 40)
    trend = fit("linear", x, 3 * x**2, xlog=True, ylog=True)
    assert np.allclose(trend.y, 3 * trend.x**2, rtol=1e-9)
    assert np.allclose(np.diff(np.log10(trend.x)), np.log10(trend.x[1] / trend.x[0]))


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "0"),
        (2.0, "2"),
        (0.0001234, "0.0001234"),
        (1234.56, "1235"),
        (1234567.0, "1.235×10⁶"),
        (-2.5e-7, "−2.5×10⁻⁷"),
        (1e9, "10⁹"),
        (-1e-5, "−10⁻⁵"),
    ],
)
def test_numbers_in_equations(value: float, text: str) -> None:
    assert format_number(value) == text


def test_distinct_values_are_counted_without_sorting() -> None:
    values = np.array([3.0, 3.0, 1.0, 3.0, 1.0])
    assert distinct_at_least(values, 2) and not distinct_at_least(values, 3)
    assert not distinct_at_least(np.array([]), 1)


def _statsmodels_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads(STATSMODELS.read_text())["cases"]
    return cases


@pytest.mark.parametrize("case", _statsmodels_cases(), ids=lambda case: case["name"])
def test_lowess_agrees_with_statsmodels(case: dict[str, Any]) -> None:
    x, y = np.array(case["x"]), np.array(case["y"])
    xs, fitted = lowess(x, y, frac=case["frac"], iterations=case["it"], delta=case["delta"])
    expected = np.array(case["fitted"])
    assert np.array_equal(xs, case["x_sorted"])
    # statsmodels computes with the raw x; near 1e9 its own rounding is ~1e-8 of the range
    tolerance = 1e-7 if np.abs(x).max() > 1e6 else 1e-12
    assert np.max(np.abs(fitted - expected)) <= tolerance * np.ptp(expected)


def test_a_lowess_curve_is_its_fitted_points_only() -> None:
    rng = np.random.default_rng(5)
    x = rng.uniform(0, 100, 2000)
    y = np.sin(x / 10) + rng.normal(0, 0.2, len(x))
    cx, cy = lowess_curve(x, y, max_points=LOWESS_MAX_POINTS)
    xs, fitted = lowess(x, y, delta=LOWESS_DELTA * np.ptp(x))
    assert 90 <= len(cx) <= 110  # a fit every 1% of the range
    assert cx[0] == x.min() and cx[-1] == x.max()
    assert np.allclose(np.interp(xs, cx, cy), fitted, rtol=0, atol=1e-12)


def test_lowess_of_many_points_fits_a_fixed_sample_close_to_the_full_fit() -> None:
    rng = np.random.default_rng(8)
    n, noise = 50_000, 0.5
    x = rng.uniform(0, 10, n)
    y = np.sin(x) + rng.normal(0, noise, n)
    cx, cy = lowess_curve(x, y, max_points=LOWESS_MAX_POINTS)
    again = lowess_curve(x, y, max_points=LOWESS_MAX_POINTS)
    assert np.array_equal(cx, again[0]) and np.array_equal(cy, again[1])
    assert cx[0] == x.min() and cx[-1] == x.max()
    xs, full = lowess(x, y, delta=LOWESS_DELTA * np.ptp(x))
    gap = np.max(np.abs(np.interp(xs, cx, cy) - full))
    assert gap < 0.05 * noise, gap


def test_lowess_survives_a_neighbourhood_at_one_x() -> None:
    x = np.array([0.0] * 8 + [1.0, 2.0])
    y = np.arange(10.0)
    xs, fitted = lowess(x, y)
    assert np.all(np.isfinite(fitted))
    with pytest.raises(ValueError, match="two distinct"):
        lowess(np.ones(5), np.arange(5.0))
