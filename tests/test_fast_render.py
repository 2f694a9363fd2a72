"""The fast PNG path against the straightforward render: the same pixels, spec after spec.

Each spec is drawn with several data sets through one pool, so the prepared figure is reused
(limits from the data) or its cached background is (all four limits fixed).
"""

from __future__ import annotations

import io
import threading
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from PIL import Image

import shared.chart.fast
import shared.chart.fast.prepared
from shared.chart import render
from shared.chart.fast import POOL_BYTES, render_fast
from shared.chart.fast.figpool import FigurePool
from shared.chart.fast.pngwrite import encode_png
from shared.chart.fast.prepared import PreparedChart
from shared.chart.figure import render_plain
from shared.request import parse_request
from shared.request.tables import reference_data
from shared.settings import Settings
from shared.spec import ChartSpec, Looks, Series
from tests.conftest import decode_png

FIXED = {"xlim": (-50.0, 1050.0), "ylim": (-1100.0, 2100.0)}
RECIPE_LAYOUT = Looks(layout="none")
"""Canvases too small for their text: under ``layout=auto`` the plain path adapts them."""

STYLES: dict[str, dict[str, Any]] = {
    "default": {},
    "title and labels": {"title": "Rain $\\alpha^2$", "xlabel": "day", "ylabel": "mm"},
    "colour alpha size marker": {"color": "tab:red", "alpha": 0.4, "size": 90.0, "marker": "s"},
    "hex colour with alpha, x marker": {"color": "#00ff0080", "marker": "x", "size": 10.0},
    "grid": {"grid": True},
    "log scales": {"xscale": "log", "yscale": "log", "xlim": (1.0, None), "ylim": (1.0, None)},
    "fixed limits": FIXED,
    "fixed limits, grid, title": {**FIXED, "grid": True, "title": "Fixed"},
    "fixed log limits and grid": {
        "xscale": "log",
        "yscale": "log",
        "xlim": (1.0, 2000.0),
        "ylim": (1.0, 5000.0),
        "grid": True,
    },
    "fixed limits, data mostly outside": {"xlim": (400.0, 500.0), "ylim": (300.0, 600.0)},
    "partial limits x": {"xlim": (100.0, None)},
    "partial limits y": {"ylim": (None, 0.0)},
    "partial limits both": {"xlim": (None, 700.0), "ylim": (-500.0, None), "grid": True},
    "transparent": {"transparent": True},
    "transparent, fixed": {**FIXED, "transparent": True, "alpha": 0.5},
    "odd size and dpi": {"width": 17, "height": 999, "dpi": 150.0, "looks": RECIPE_LAYOUT},
    "wide, low dpi, fixed": {"width": 1000, "height": 333, "dpi": 72.0, **FIXED},
    "big markers at 300 dpi": {
        "width": 320,
        "height": 240,
        "dpi": 300.0,
        "size": 400.0,
        "looks": RECIPE_LAYOUT,
    },
}


def _datasets(style: dict[str, Any]) -> list[tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]]:
    sets = [reference_data(1000, seed=seed) for seed in (1, 2)]
    sets.append(reference_data(1, seed=3))
    sets.append(reference_data(20_000, seed=4))
    if style.get("xscale") == "log":  # log axes need positive data
        sets = [(x + 1.0, np.abs(y) + 1.0) for x, y in sets]
    return sets


def fast_png(spec: ChartSpec, *, pool: FigurePool[PreparedChart] | None) -> bytes:
    """The fast path's PNG of ``spec``, which it must not decline."""
    image = render_fast(spec, pool=pool)
    assert image is not None, "the fast path declined a PNG spec"
    return image


def _same(spec: ChartSpec, image: bytes) -> None:
    expected = decode_png(render_plain(spec))
    actual = decode_png(image)
    assert actual.shape == expected.shape
    differing = int((actual != expected).any(axis=2).sum())
    assert differing == 0, f"{differing} pixels differ (tolerance is zero)"


@pytest.mark.parametrize("name", list(STYLES))
def test_fast_path_is_pixel_identical_to_the_reference(name: str) -> None:
    style = STYLES[name]
    pool: FigurePool[PreparedChart] = FigurePool(POOL_BYTES, max_items=4)
    for x, y in _datasets(style):
        spec = ChartSpec(x=x, y=y, **style)
        _same(spec, fast_png(spec, pool=pool))
    assert len(pool) == 1  # one prepared figure served every data set


def test_axis_replays_and_glyph_cache_are_used_and_keep_pixels() -> None:
    pool: FigurePool[PreparedChart] = FigurePool(POOL_BYTES, max_items=1)
    for seed in (10, 11, 12):  # x is 0..999 each time: the x axis is replayed
        x, y = reference_data(1000, seed=seed)
        spec = ChartSpec(x=x, y=y, title="Glyphs")
        _same(spec, fast_png(spec, pool=pool))
    chart = pool.take(spec.style_key())
    assert chart is not None
    assert chart.canvas.get_renderer().glyph_hits > 0
    assert getattr(chart.axes.xaxis.draw, "replays", 0) >= 2


def test_render_uses_the_fast_path_for_every_format() -> None:
    x, y = reference_data(1000, seed=5)
    spec = ChartSpec(x=x, y=y, title="entry point")
    _same(spec, render(spec))
    for image_format in ("jpeg", "webp", "svg", "pdf"):  # tests/test_formats.py: the same bytes
        other = replace(spec, format=image_format)
        assert render(other) == render_fast(other)
    svg = render(replace(spec, format="svg"))
    assert svg.startswith(b"<?xml") and b"entry point" in svg


def test_styles_sharing_a_pool_do_not_leak_into_each_other() -> None:
    pool: FigurePool[PreparedChart] = FigurePool(POOL_BYTES, max_items=2)
    x, y = reference_data(1000, seed=6)
    specs = [ChartSpec(x=x, y=y, **STYLES[name]) for name in ("default", "grid", "fixed limits")]
    for spec in specs * 2:  # capacity 2: the third style evicts the least recently used
        _same(spec, fast_png(spec, pool=pool))
    assert len(pool) == 2


def test_threads_rendering_at_once_get_their_own_pixels() -> None:
    names = ["default", "fixed limits", "grid", "transparent, fixed"]
    jobs = []
    for i in range(16):
        x, y = reference_data(500, seed=100 + i)
        jobs.append(ChartSpec(x=x, y=y, **STYLES[names[i % len(names)]]))
    expected = [decode_png(render_plain(spec)) for spec in jobs]
    pool: FigurePool[PreparedChart] = FigurePool(POOL_BYTES, max_items=8)
    results: dict[int, np.ndarray[Any, Any]] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def worker(offset: int) -> None:
        start.wait()
        try:
            for round_ in range(3):
                for index in range(offset, len(jobs), 4):
                    image = decode_png(fast_png(jobs[index], pool=pool))
                    if round_ == 2:
                        results[index] = image
                    elif not np.array_equal(image, expected[index]):
                        raise AssertionError(f"job {index} round {round_} differs")
        except BaseException as error:  # noqa: B036 - reported to the main thread
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(offset,)) for offset in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    for index, image in results.items():
        assert np.array_equal(image, expected[index]), index
    assert len(results) == len(jobs)


@pytest.mark.parametrize(
    "style", ["default", "fixed limits", "colour alpha size marker", "two series"]
)
def test_thinned_large_data_stays_within_the_stated_tolerance(
    style: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above THIN_ABOVE points: at most 1% of pixels differ and the mean difference is < 1/255."""
    monkeypatch.setattr(shared.chart.fast.prepared, "THIN_ABOVE", 10_000)
    calls: list[int] = []
    thin = shared.chart.fast.prepared.thin_offsets

    def spy(*args: Any, **kwargs: Any) -> Any:
        kept = thin(*args, **kwargs)
        calls.append(len(kept))
        return kept

    monkeypatch.setattr(shared.chart.fast.prepared, "thin_offsets", spy)
    x, y = reference_data(60_000, seed=7)
    if style == "two series":  # above BEST_LEGEND_MAX_POINTS: the legend has a fixed place
        spec = ChartSpec(x=x, y=y, series=(Series("a", 20_000), Series("b", 60_000)))
    else:
        spec = ChartSpec(x=x, y=y, **STYLES[style])
    expected = decode_png(render_plain(spec)).astype(np.int16)
    actual = decode_png(fast_png(spec, pool=None)).astype(np.int16)
    difference = np.abs(actual - expected)
    differing = (difference > 0).any(axis=2).mean()
    assert differing <= 0.01, f"{differing:.2%} of pixels differ"
    assert difference.mean() < 1.0
    assert calls and sum(calls) < len(x)  # the thinned path ran and dropped stamps
    assert len(calls) == (2 if style == "two series" else 1)


def test_pool_is_bounded_and_least_recently_used_goes_first() -> None:
    pool: FigurePool[str] = FigurePool(2, per_key=1)
    pool.give("a", "A")
    pool.give("b", "B")
    pool.give("a", "A2")  # per_key=1: the spare is dropped, "a" becomes most recent
    pool.give("c", "C")  # evicts "b"
    assert len(pool) == 2
    assert pool.take("b") is None
    assert pool.take("a") == "A"
    assert pool.take("a") is None
    assert pool.take("c") == "C"
    assert len(pool) == 0 and pool.weight == 0


def test_pool_weighs_its_figures() -> None:
    pool: FigurePool[str] = FigurePool(100)
    pool.give("small", "s", weight=30)
    pool.give("medium", "m", weight=60)
    pool.give("large", "l", weight=50)  # 140 > 100: "small", then "medium" go
    assert pool.take("small") is None and pool.take("medium") is None
    assert pool.weight == 50
    pool.give("huge", "h", weight=101)  # heavier than the whole pool: not kept, evicts nothing
    assert pool.take("huge") is None
    assert pool.take("large") == "l"


@pytest.mark.parametrize(("height", "width", "dpi"), [(1, 1, 100.0), (480, 640, 72.0), (7, 3, 300)])
def test_png_writer_round_trips_every_pixel(height: int, width: int, dpi: float) -> None:
    rng = np.random.default_rng(height)
    pixels = rng.integers(0, 256, size=(height, width, 4), dtype=np.uint8)
    data = encode_png(pixels, dpi=dpi)
    assert np.array_equal(decode_png(data), pixels)
    image = Image.open(io.BytesIO(data))
    assert image.mode == "RGBA"
    assert image.info["dpi"] == pytest.approx((dpi, dpi), abs=0.01)


def test_png_writer_rejects_other_arrays() -> None:
    with pytest.raises(ValueError, match="uint8"):
        encode_png(np.zeros((2, 2, 3), dtype=np.uint8), dpi=100)


def test_pool_holds_at_most_max_items_whatever_they_weigh() -> None:
    pool: FigurePool[str] = FigurePool(10**9, max_items=3)
    for index in range(10):
        pool.give(f"style {index}", "figure", weight=1)
    assert len(pool) == 3 and pool.weight == 3
    assert pool.take("style 6") is None and pool.take("style 9") == "figure"


def test_a_prepared_figure_costs_more_than_its_pixels() -> None:
    x, y = reference_data(1000, seed=7)
    costs = []
    for spec in (
        ChartSpec(x=x, y=y, width=16, height=16),
        ChartSpec(x=x, y=y, width=640, height=480),
        ChartSpec(x=x, y=y, xlim=(0, 1000), ylim=(-1000, 2000)),
    ):
        chart = PreparedChart(spec)
        chart.draw(spec)
        costs.append(chart)
    small, large, fixed = costs
    assert small.cost() >= 512 * 1024  # a 16 x 16 figure is not 256 bytes
    assert large.cost() >= small.cost() + 4 * 640 * 480 - 4 * 16 * 16  # its canvas
    assert fixed.cost() >= 640 * 1024 + 8 * 640 * 480  # and its saved background


def _data_spec(query: dict[str, str], seed: int, rows: int = 300) -> ChartSpec:
    """A chart from a CSV table of ``rows`` random rows, as a client would send it."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-01-01T00:00") + rng.integers(0, 1000)
    lines = ["t,a,b,c,city,day"]
    for i in range(rows):
        day = start + np.timedelta64(int(rng.integers(0, 60 * 24 * 40)), "m")
        city = ["Oslo", "Rome", "Lima"][i if i < 3 else int(rng.integers(0, 3))]
        values = rng.normal(size=3) * [10, 5, 3] + [seed, 0, 10]
        lines.append(f"{i},{values[0]:.3f},{values[1]:.3f},{values[2]:.3f},{city},{day}")
    body = ("\n".join(lines) + "\n").encode()
    request = parse_request(
        params=query, headers={"content-type": "text/csv"}, body=body, settings=Settings()
    )
    return request.spec


DATA_STYLES: dict[str, dict[str, str]] = {
    "groups": {"x_column": "a", "y_column": "b", "group": "city"},
    "groups, fixed limits, grid": {
        "x_column": "a",
        "y_column": "b",
        "group": "city",
        "xmin": "-40",
        "xmax": "40",
        "ymin": "-20",
        "ymax": "20",
        "grid": "true",
    },
    "groups, transparent, alpha": {
        "x_column": "a", "y_column": "b", "group": "city", "transparent": "true", "alpha": "0.5"
    },
    "several y columns": {"x_column": "t", "y_column": "a,b,c"},
    "dates": {"x_column": "day", "y_column": "a"},
    "dates, fixed limits": {
        "x_column": "day",
        "y_column": "a",
        "xmin": "2023-12-01",
        "xmax": "2024-03-01",
        "ymin": "-50",
        "ymax": "50",
    },
    "categories": {"x_column": "city", "y_column": "a"},
    "colour column": {"x_column": "a", "y_column": "b", "color_column": "c", "cmap": "magma"},
    "colour column, fixed scale and limits": {
        "x_column": "a",
        "y_column": "b",
        "color_column": "c",
        "vmin": "0",
        "vmax": "20",
        "xmin": "-40",
        "xmax": "40",
        "ymin": "-20",
        "ymax": "20",
    },
    "size column": {"x_column": "a", "y_column": "b", "size_column": "c"},
    "groups and sizes": {"x_column": "a", "y_column": "b", "group": "city", "size_column": "c"},
}  # fmt: skip


@pytest.mark.parametrize("name", list(DATA_STYLES))
def test_fast_path_draws_data_features_pixel_identical(name: str) -> None:
    """Several data sets through one pool: legends move, colour scales and sizes change."""
    pool: FigurePool[PreparedChart] = FigurePool(POOL_BYTES, max_items=4)
    for seed in (1, 2, 3):
        spec = _data_spec(DATA_STYLES[name], seed)
        _same(spec, fast_png(spec, pool=pool))
    assert len(pool) == 1  # one prepared figure served every data set


def test_fast_path_declines_error_bars_and_colours_or_sizes_it_would_thin(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    errors = _data_spec({"x_column": "a", "y_column": "b", "yerr_column": "c"}, seed=1)
    assert render_fast(errors, pool=None) is None
    monkeypatch.setattr(shared.chart.fast, "THIN_ABOVE", 150)
    for query in (
        {"x_column": "a", "y_column": "b", "color_column": "c"},
        {"x_column": "a", "y_column": "b", "size_column": "c"},
    ):
        assert render_fast(_data_spec(query, seed=1), pool=None) is None, query
    several = _data_spec({"x_column": "t", "y_column": "a,b"}, seed=1)  # 300 points each
    assert render_fast(several, pool=None) is not None
    dates = _data_spec({"x_column": "day", "y_column": "a"}, seed=1)  # one series: thinned
    assert render_fast(dates, pool=None) is not None
