"""Looks: themes, background, font size, tick formats, scale and fallback fonts, each against
the same chart drawn the obvious way with matplotlib's ``Figure`` API (zero tolerance), on the
path the app's settings choose (``./scripts/check`` runs this again with the fast path off)."""

from __future__ import annotations

import io
import json
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import matplotlib
import matplotlib.dates
import matplotlib.style
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import StrMethodFormatter

import ScatterPlot
from shared import get_settings
from shared.chart import render
from shared.chart.fallback import coverage, fallback_families
from shared.chart.figure import render_plain
from shared.chart.looks import STYLE_DIR
from shared.request import parse_request
from shared.request.options import THEMES
from shared.settings import Settings
from shared.spec import ChartSpec, Looks
from tests.conftest import RequestFactory, decode_png

Build = Callable[[Figure, Axes], None]


def draw(spec: ChartSpec) -> np.ndarray[Any, Any]:
    return decode_png(render(spec, fast_path=get_settings().fast_path))


def parsed(params: dict[str, str]) -> ChartSpec:
    return parse_request(params=params, headers={}, body=b"", settings=Settings()).spec


@contextmanager
def style(rc: dict[str, Any] | str | None) -> Iterator[None]:
    if rc is None:
        yield
        return
    with matplotlib.style.context(rc):
        yield


def obvious(
    build: Build,
    *,
    width: int = 640,
    height: int = 480,
    dpi: float = 100.0,
    rc: dict[str, Any] | str | None = None,
    layout: str | None = None,
    transparent: bool = False,
) -> np.ndarray[Any, Any]:
    """A new ``Figure`` that ``build`` draws on, saved as PNG by matplotlib."""
    with style(rc):
        figure = Figure(figsize=(width / dpi, height / dpi), dpi=dpi, layout=layout)  # type: ignore[arg-type]
        axes = figure.subplots()
        build(figure, axes)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", transparent=transparent)
    return decode_png(buffer.getvalue())


def scatter(spec: ChartSpec, *, xlabel: str = " x ", ylabel: str = " y ") -> Build:
    def build(figure: Figure, axes: Axes) -> None:
        axes.scatter(spec.x, spec.y)
        axes.set_xlabel(xlabel)
        axes.set_ylabel(ylabel)

    return build


def assert_same(actual: np.ndarray[Any, Any], expected: np.ndarray[Any, Any]) -> None:
    assert actual.shape == expected.shape
    differing = int((actual != expected).any(axis=2).sum())
    assert differing == 0, f"{differing} pixels differ (tolerance is zero)"


def test_the_theme_list_is_every_style_sheet_matplotlib_bundles() -> None:
    bundled = {path.stem for path in STYLE_DIR.glob("*.mplstyle") if not path.stem.startswith("_")}
    assert set(THEMES) == bundled | {"default"}
    for required in (
        "default",
        "ggplot",
        "bmh",
        "fivethirtyeight",
        "grayscale",
        "dark_background",
        "seaborn-v0_8-whitegrid",
    ):
        assert required in THEMES


@pytest.mark.parametrize(
    "theme",
    ["ggplot", "bmh", "fivethirtyeight", "grayscale", "dark_background", "seaborn-v0_8-whitegrid",
     "classic", "Solarize_Light2"],
)  # fmt: skip
def test_a_theme_draws_as_the_style_sheet_does(theme: str) -> None:
    # layout=none: the style sheet's own margins (some cut text off; auto would adapt them)
    spec = parsed({"seed": "3", "theme": theme, "layout": "none"})
    assert_same(draw(spec), obvious(scatter(spec), rc=theme))


def test_default_theme_is_the_recipe() -> None:
    spec = parsed({"seed": "3", "theme": "default"})
    assert spec.looks == Looks()
    assert_same(draw(spec), obvious(scatter(spec)))


def test_grid_follows_the_theme_unless_asked() -> None:
    assert parsed({"seed": "1", "theme": "ggplot"}).grid is True
    assert parsed({"seed": "1", "theme": "ggplot", "grid": "false"}).grid is False
    assert parsed({"seed": "1"}).grid is False
    spec = parsed({"seed": "3", "theme": "ggplot", "grid": "false"})

    def build(figure: Figure, axes: Axes) -> None:
        scatter(spec)(figure, axes)
        axes.grid(False)

    assert_same(draw(spec), obvious(build, rc="ggplot"))


def test_background_and_font_size() -> None:
    spec = parsed(
        {"seed": "3", "background": "#203040", "font_size": "14", "title": "Rain", "layout": "none"}
    )
    rc = {"figure.facecolor": "#203040", "axes.facecolor": "#203040", "font.size": 14.0}

    def build(figure: Figure, axes: Axes) -> None:
        scatter(spec)(figure, axes)
        axes.set_title("Rain")

    assert_same(draw(spec), obvious(build, rc=rc))


def test_number_tick_formats() -> None:
    spec = parsed(
        {"seed": "3", "xtick_format": "{x:.0%}", "ytick_format": "{x:,.0f} mm", "layout": "none"}
    )

    def build(figure: Figure, axes: Axes) -> None:
        scatter(spec)(figure, axes)
        axes.xaxis.set_major_formatter(StrMethodFormatter("{x:.0%}"))
        axes.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f} mm"))

    assert_same(draw(spec), obvious(build))


def test_a_date_tick_format() -> None:
    from matplotlib.dates import DateFormatter

    body = "day,y\n2024-01-05,1\n2024-02-07,3\n2024-03-01,2\n"
    request = parse_request(
        params={"x_column": "day", "xtick_format": "%d %b"},
        headers={"content-type": "text/csv"},
        body=body.encode(),
        settings=Settings(),
    )
    spec = request.spec

    def build(figure: Figure, axes: Axes) -> None:
        days = np.array(["2024-01-05", "2024-02-07", "2024-03-01"], dtype="datetime64[D]")
        axes.scatter(days, [1.0, 3.0, 2.0])
        axes.xaxis.set_major_locator(matplotlib.dates.AutoDateLocator())  # type: ignore[no-untyped-call]
        axes.xaxis.set_major_formatter(DateFormatter("%d %b"))  # type: ignore[no-untyped-call]
        axes.set_xlabel("day")
        axes.set_ylabel(" y ")

    assert_same(draw(spec), obvious(build))


def test_transparent_dark_background_has_light_text() -> None:
    spec = parsed({"seed": "3", "theme": "dark_background", "transparent": "true", "title": "T"})
    pixels = draw(spec)
    visible = pixels[..., 3] > 200
    assert visible.any()
    # everything opaque outside the plot is the light text and ticks: no dark ink at all
    outside = visible.copy()
    outside[60:420, 90:570] = False
    rgb = pixels[..., :3][outside]
    assert rgb.size and rgb.min() >= 128, "text on a transparent dark theme must be light"

    def build(figure: Figure, axes: Axes) -> None:
        scatter(spec)(figure, axes)
        axes.set_title("T")

    assert_same(pixels, obvious(build, rc="dark_background", transparent=True))


def test_scale_draws_the_same_layout_with_more_pixels() -> None:
    spec = parsed({"seed": "3", "scale": "2", "title": "Sharp"})
    assert (spec.width, spec.height, spec.dpi) == (1280, 960, 200.0)

    def build(figure: Figure, axes: Axes) -> None:
        scatter(spec)(figure, axes)
        axes.set_title("Sharp")

    image = draw(spec)
    assert image.shape == (960, 1280, 4)
    assert_same(image, obvious(build, width=1280, height=960, dpi=200.0))
    assert_same(image, draw(parsed({"seed": "3", "width": "1280", "height": "960",
                                     "dpi": "200", "title": "Sharp"})))  # fmt: skip


def test_a_cjk_title_falls_back_to_the_shipped_font() -> None:
    spec = parsed({"seed": "3", "title": "降水量 (rain) 강수량"})
    assert spec.looks.fallback_fonts
    family = [*matplotlib.rcParams["font.family"], *fallback_families()]

    def build(figure: Figure, axes: Axes) -> None:
        scatter(spec)(figure, axes)
        axes.set_title("降水量 (rain) 강수량")

    assert_same(draw(spec), obvious(build, rc={"font.family": family}))


def test_coverage_of_scripts() -> None:
    assert coverage(["plain ascii", "Ελληνικά Кириллица עברית"]).needs_fallback is False
    for text in ("漢字", "ひらがな", "한국어", "हिन्दी", "বাংলা", "தமிழ்", "ภาษาไทย"):
        found = coverage([text])
        assert found.needs_fallback and found.missing == 0, text
    assert coverage(["🚀🦄"]).missing == 2


def test_text_no_font_has_is_said_in_a_warning_header(request_factory: RequestFactory) -> None:
    response = ScatterPlot.main(
        request_factory("/api/ScatterPlot?seed=1&title=Launch%20%F0%9F%9A%80&output=image")
    )  # matplotlib's own warning about the glyph is counted, not shown (shared.quiet)
    assert response.status_code == 200
    warning = response.headers["Warning"]
    assert warning.startswith('299 - "title: 1 character') and "\U0001f680" not in warning
    assert warning.isascii()
    quiet = ScatterPlot.main(request_factory("/api/ScatterPlot?seed=1&title=%E9%9B%A8"))
    assert "Warning" not in quiet.headers


def test_sixteen_threads_of_mixed_themes_draw_what_each_draws_alone() -> None:
    themes = ["default", "ggplot", "dark_background", "bmh", "grayscale", "fivethirtyeight",
              "seaborn-v0_8-whitegrid", "classic"]  # fmt: skip
    specs = [
        parsed({"seed": str(i), "theme": themes[i % len(themes)], "title": f"T{i}",
                "n": "300", "font_size": str(8 + i % 5)})
        for i in range(16)
    ]  # fmt: skip
    alone = [draw(spec) for spec in specs]
    results: dict[int, np.ndarray[Any, Any]] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(16)

    def work(index: int) -> None:
        try:
            barrier.wait()
            for _ in range(3):
                results[index] = draw(specs[index])
                assert np.array_equal(results[index], alone[index])
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[0]
    assert matplotlib.rcParams["axes.facecolor"] == "white"  # nothing left behind


def test_fast_and_plain_paths_agree_on_looks() -> None:
    for params in (
        {"theme": "ggplot", "grid": "false"},
        {"theme": "dark_background", "transparent": "true"},
        {"background": "ivory", "font_size": "7", "ytick_format": "{x:+.1e}"},
        {"scale": "3", "width": "200", "height": "150"},
        {"title": "漢字", "theme": "classic"},
        {"theme": "seaborn-v0_8-poster", "xmin": "0", "xmax": "1000", "ymin": "-1000",
         "ymax": "2000"},
    ):  # fmt: skip
        spec = parsed({"seed": "5", **params})
        fast = render(spec, fast_path=True)
        assert_same(decode_png(fast), decode_png(render_plain(spec)))


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"theme": "ggplto"}, "theme"),
        ({"layout": "tigth"}, "layout"),
        ({"scale": "5"}, "scale"),
        ({"scale": "0.5"}, "scale"),
        ({"scale": "4", "width": "2000"}, "scale"),
        ({"scale": "2", "dpi": "400"}, "scale"),
        ({"scale": "2", "format": "svg"}, "scale"),
        ({"background": "nope"}, "background"),
        ({"background": "red", "transparent": "true"}, "background"),
        ({"font_size": "0"}, "font_size"),
        ({"font_size": "101"}, "font_size"),
        ({"xtick_format": "{x.__class__}"}, "xtick_format"),
        ({"xtick_format": "{y}"}, "xtick_format"),
        ({"xtick_format": "{x!r}"}, "xtick_format"),
        ({"xtick_format": "{x:{x}}"}, "xtick_format"),
        ({"xtick_format": "{x:>1000}"}, "xtick_format"),
        ({"xtick_format": "{x:d}"}, "xtick_format"),
        ({"xtick_format": "{0}"}, "xtick_format"),
        ({"xtick_format": "no field"}, "xtick_format"),
        ({"ytick_format": "{x:,.0f"}, "ytick_format"),
        ({"ytick_format": "%Y"}, "ytick_format"),
    ],
)
def test_bad_values_are_400s_naming_the_field(params: dict[str, str], field: str) -> None:
    from shared.errors import ScatterPlotError

    with pytest.raises(ScatterPlotError) as caught:
        parsed({"seed": "1", **params})
    assert 400 <= caught.value.status < 500 and caught.value.field == field


def test_tick_formats_follow_the_axis_kind() -> None:
    from shared.errors import InvalidOption

    csv = b"day,y,c\n2024-01-05,1,a\n2024-02-07,3,b\n"
    for params, field in (
        ({"x_column": "day", "xtick_format": "{x:.0f}"}, "xtick_format"),
        ({"x_column": "day", "xtick_format": "%Q"}, "xtick_format"),
        ({"x_column": "c", "xtick_format": "{x:.0f}"}, "xtick_format"),
    ):
        with pytest.raises(InvalidOption) as caught:
            parse_request(
                params=params, headers={"content-type": "text/csv"}, body=csv, settings=Settings()
            )
        assert caught.value.field == field


@pytest.mark.parametrize("shape", ["query", "json", "globalparameters", "form", "csv"])
def test_every_input_shape_takes_the_looks_options(shape: str) -> None:
    options = {
        "theme": "ggplot",
        "background": "ivory",
        "font_size": "12",
        "scale": "2",
        "layout": "tight",
        "xtick_format": "{x:.1f}",
        "ytick_format": "{x:,.0f}",
    }
    headers: dict[str, str] = {}
    params: dict[str, str] = {}
    body = b""
    if shape == "query":
        params = {"x": "1,2,3", "y": "3,1,2", **options}
    elif shape == "json":
        body = json.dumps({"x": [1, 2, 3], "y": [3, 1, 2], **options}).encode()
        headers = {"content-type": "application/json"}
    elif shape == "globalparameters":
        table = {"ColumnNames": ["x", "y"], "Values": [["1", "3"], ["2", "1"], ["3", "2"]]}
        body = json.dumps({"Inputs": {"input1": table}, "GlobalParameters": options}).encode()
        headers = {"content-type": "application/json"}
    elif shape == "form":
        from urllib.parse import urlencode

        body = urlencode({"x": "1,2,3", "y": "3,1,2", **options}).encode()
        headers = {"content-type": "application/x-www-form-urlencoded"}
    else:
        body = b"x,y\n1,3\n2,1\n3,2\n"
        headers = {"content-type": "text/csv"}
        params = options
    spec = parse_request(params=params, headers=headers, body=body, settings=Settings()).spec
    assert spec.looks == Looks(
        theme="ggplot",
        background="ivory",
        font_size=12.0,
        xtick_format="{x:.1f}",
        ytick_format="{x:,.0f}",
        layout="tight",
    )
    assert (spec.width, spec.height, spec.dpi) == (1280, 960, 200.0)


def test_looks_change_the_cache_key() -> None:
    base = parsed({"seed": "1"})
    assert base.digest() != parsed({"seed": "1", "theme": "bmh"}).digest()
    assert base.digest() != replace(base, looks=Looks(layout="none")).digest()


def test_fonts_are_registered_without_a_scan() -> None:
    from matplotlib.font_manager import fontManager

    names = fallback_families()
    assert names[0] == "Droid Sans Fallback"
    registered = {entry.name for entry in fontManager.ttflist}
    assert set(names) <= registered
    assert all(os.path.basename(entry.fname) for entry in fontManager.ttflist)


@pytest.mark.parametrize("image_format", ["jpeg", "webp", "svg", "pdf"])
def test_every_format_draws_looks_as_the_plain_path(image_format: str) -> None:
    from shared.chart.fast import render_fast
    from shared.chart.fast.svgout import SVG_HASH_SALT
    from tests.test_formats import plain

    for params in (
        {"theme": "ggplot", "background": "ivory"},
        {"theme": "dark_background", "title": "雨 (rain)", "ytick_format": "{x:,.0f} mm"},
        {"width": "200", "height": "150", "font_size": "12"},  # adapted: the plain path draws it
        {"scale": "2"} if image_format in ("jpeg", "webp") else {"layout": "none"},
    ):
        spec = parsed({"seed": "5", "format": image_format, **params})
        with matplotlib.rc_context({"svg.hashsalt": SVG_HASH_SALT}):  # when it falls back
            drawn = render(spec, fast_path=True)
        assert drawn == plain(spec), params
    small = parsed({"seed": "5", "format": image_format, "width": "200", "height": "150"})
    unpooled = {"pool": None, "vector_pool": None}
    assert render_fast(replace(small, looks=Looks(layout="none")), **unpooled) is not None
    assert render_fast(small, **unpooled) is None  # text off the recipe's layout: declined
