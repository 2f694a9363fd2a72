"""Text that is never cut off: ``layout=auto`` keeps every text inside the canvas, leaves the
recipe's layout alone where it fits, and both paths decide alike."""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from matplotlib.figure import Figure

from shared import get_settings
from shared.chart import render
from shared.chart.fast import render_fast
from shared.chart.figure import drawing, laid_out_figure, render_plain
from shared.chart.layout import ELLIPSIS, _wrap
from shared.chart.textbox import measure
from shared.request import parse_request
from shared.request.tables import reference_data
from shared.settings import Settings
from shared.spec import ChartSpec, Looks
from tests.conftest import decode_png

LONG_TITLE = (
    "Rainfall against temperature at the harbour, the hill and the airport in a wet "
    "spring, measured every hour by three stations of the weather service "
)
LONG_X = "temperature at two metres above ground, in degrees Celsius, hourly means " * 2
LONG_Y = "precipitation_in_millimetres_per_hour_without_any_space_at_all_" * 2


def _inside(spec: ChartSpec) -> tuple[bool, list[float], tuple[float, float]]:
    """Whether the drawn figure's tight box (every text, tick and legend) is on the canvas."""
    with drawing(spec):
        figure, _ = laid_out_figure(spec)
        canvas: Any = figure.canvas
        canvas.draw()
        box = figure.get_tightbbox(canvas.get_renderer()).transformed(figure.dpi_scale_trans)
    width, height = figure.bbox.size
    slack = 1e-6
    inside = (
        box.x0 >= -slack
        and box.y0 >= -slack
        and box.x1 <= width + slack
        and box.y1 <= height + slack
    )
    return inside, [round(v, 2) for v in box.extents], (float(width), float(height))


GRID = [
    (16, 16, 10), (16, 16, 100), (16, 16, 600), (40, 30, 72), (64, 480, 300), (100, 75, 100),
    (160, 120, 100), (160, 120, 600), (320, 240, 72), (320, 240, 100), (320, 240, 300),
    (640, 480, 100), (640, 480, 600), (1500, 200, 100), (200, 1500, 150), (4096, 16, 100),
    (16, 4096, 100), (4096, 4096, 600), (4096, 4096, 10), (2000, 1000, 450),
]  # fmt: skip
"""Sides from 16 to 4096 pixels and dpi from 10 to 600: the corners of the grid, thumbnails,
and the sizes between, without drawing every combination."""


@pytest.mark.parametrize(("width", "height", "dpi"), GRID)
@pytest.mark.parametrize("text", ["long", "none", "trend", "density"])
def test_every_text_lies_inside_the_canvas(width: int, height: int, dpi: int, text: str) -> None:
    """Long titles and labels; none; a trend line's equation and R² in a legend; a density
    chart's colorbar of counts with a trend line legend."""
    x, y = reference_data(1000, seed=1)
    labels: dict[str, Any] = {}
    if text in ("long", "trend"):
        labels = {"title": LONG_TITLE, "xlabel": LONG_X[:200], "ylabel": LONG_Y[:200]}
    if text == "trend":
        labels["trendline"] = "cubic"
    elif text == "density":
        labels.update(kind="hexbin", trendline="linear", title="Density")
    spec = ChartSpec(x=x, y=y * 1000, width=width, height=height, dpi=float(dpi), **labels)
    inside, box, canvas = _inside(spec)
    assert inside, f"text at {box} on a {canvas} canvas"


@pytest.mark.parametrize(("width", "height", "dpi"), [(160, 120, 100), (320, 240, 100)])
def test_legends_colorbars_and_categories_fit_too(width: int, height: int, dpi: int) -> None:
    rows = ["x,y,site,c"]
    names = ["harbour " * 8, "hill", "airport with a very long name indeed"]
    rows += [f"{i},{(i * 7) % 13},{names[i % 3].strip()},{i * 1.5}" for i in range(30)]
    body = ("\n".join(rows) + "\n").encode()
    for options in (
        {"group": "site"},
        {"color_column": "c", "title": LONG_TITLE},
        {"x_column": "site", "y_column": "y"},
        {"group": "site", "trendline": "quadratic"},
        {"label_column": "site", "title": LONG_TITLE},
        {"kind": "hist2d", "bins": "10", "trendline": "lowess", "log_counts": "true"},
    ):
        params = {"width": str(width), "height": str(height), "dpi": str(dpi), **options}
        spec = parse_request(
            params=params, headers={"content-type": "text/csv"}, body=body, settings=Settings()
        ).spec
        inside, box, canvas = _inside(spec)
        assert inside, f"{options}: text at {box} on a {canvas} canvas"


@pytest.mark.parametrize(("width", "height"), [(320, 240), (640, 480)])
def test_point_labels_at_the_edges_stay_on_the_canvas(width: int, height: int) -> None:
    """Labels of the corner points run past the plot's right and top edges: the margins grow
    for short ones, long ones are shortened with an ellipsis."""
    x, y = reference_data(200, seed=5)
    codes = np.full(len(x), -1.0)
    corners = [int(x.argmax()), int(y.argmax()), int(x.argmin()), int(y.argmin())]
    codes[corners] = [0, 1, 2, 3]
    texts = ("right", "top " * 40, "a label longer than the plot is wide " * 3, "bottom")
    spec = ChartSpec(x=x, y=y, width=width, height=height, label_codes=codes, label_texts=texts)
    assert not _inside(replace(spec, looks=Looks(layout="none")))[0]
    inside, box, canvas = _inside(spec)
    assert inside, f"text at {box} on a {canvas} canvas"
    with drawing(spec):
        figure, axes = laid_out_figure(spec)
        shown = [text.get_text() for text in axes.texts]
    assert "right" in shown and any(text.endswith(ELLIPSIS) for text in shown)


def test_where_the_recipe_fits_nothing_changes() -> None:
    x, y = reference_data(1000, seed=2)
    auto = ChartSpec(x=x, y=y)
    none = replace(auto, looks=Looks(layout="none"))
    assert np.array_equal(decode_png(render_plain(auto)), decode_png(render_plain(none)))
    assert render_fast(auto, pool=None) is not None  # the fast path serves it


def test_a_thumbnail_adapts_where_the_recipe_cuts_text_off() -> None:
    x, y = reference_data(1000, seed=2)
    auto = ChartSpec(x=x, y=y, width=320, height=240)
    none = replace(auto, looks=Looks(layout="none"))
    assert not _inside(none)[0]  # the 320 x 240 chart: labels off the canvas
    assert _inside(auto)[0]
    assert render_fast(auto, pool=None) is None  # declined: the plain path adapts it
    drawn = decode_png(render(auto, fast_path=get_settings().fast_path))
    assert np.array_equal(drawn, decode_png(render_plain(auto)))
    assert not np.array_equal(drawn, decode_png(render_plain(none)))


@pytest.mark.parametrize("scale", [1, 10, 100, 1000, 10_000, 100_000, 1_000_000])
@pytest.mark.parametrize("image_format", ["png", "svg"])
def test_both_paths_decide_alike_whether_text_fits(scale: int, image_format: str) -> None:
    """Around the edge of the default margins: y tick labels grow with the data's size."""
    x, y = reference_data(1000, seed=3)
    spec = ChartSpec(x=x, y=y * scale, ylabel="a y label", format=image_format)
    with drawing(spec):
        figure, _ = laid_out_figure(replace(spec, looks=Looks(layout="none")))
        width, height = figure.bbox.size
        fits = measure(figure).inside(float(width), float(height))
    unpooled: dict[str, Any] = {"pool": None, "vector_pool": None}
    assert (render_fast(spec, **unpooled) is not None) == fits
    if image_format == "png":
        assert np.array_equal(
            decode_png(render(spec, fast_path=True)), decode_png(render(spec, fast_path=False))
        )


def test_the_vector_path_measures_each_axis_once_per_interval() -> None:
    from shared.chart.fast.vector import VectorChart

    x, y = reference_data(1000, seed=3)
    chart = VectorChart(ChartSpec(x=x, y=y, format="svg"))
    for scale in (1, 100, 1, 100):
        spec = ChartSpec(x=x, y=y * scale, format="svg")
        with drawing(spec):
            figure, _ = laid_out_figure(replace(spec, looks=Looks(layout="none")))
            width, height = figure.bbox.size
            fits = measure(figure).inside(float(width), float(height))
        assert (chart.draw(spec.x, spec.y) is not None) == fits
    assert [len(boxes) for boxes in chart._axis_boxes] == [1, 2]


@pytest.mark.parametrize("layout", ["tight", "constrained"])
def test_tight_and_constrained_are_matplotlibs_engines(layout: str) -> None:
    x, y = reference_data(1000, seed=4)
    spec = ChartSpec(x=x, y=y, title="Engines", looks=Looks(layout=layout))
    figure = Figure(figsize=(6.4, 4.8), dpi=100, layout=layout)  # type: ignore[arg-type]
    axes = figure.subplots()
    axes.scatter(x, y)
    axes.set_xlabel(" x ")
    axes.set_ylabel(" y ")
    axes.set_title("Engines")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    drawn = decode_png(render(spec, fast_path=get_settings().fast_path))
    assert np.array_equal(drawn, decode_png(buffer.getvalue()))


def test_wrapping_and_ellipsis() -> None:
    def width(text: str) -> float:
        return 10.0 * len(text)

    assert _wrap("short", 100, 2, width) == "short"
    assert _wrap("one two three four", 100, 2, width) == "one two\nthree four"
    wrapped = _wrap("one two three four five six seven", 100, 2, width)
    assert wrapped.count("\n") == 1 and wrapped.endswith(ELLIPSIS)
    assert all(width(line) <= 100 for line in wrapped.split("\n"))
    long_word = _wrap("abcdefghijklmnopqrstuvwxyz", 100, 3, width)
    assert long_word.split("\n")[:2] == ["abcdefghij", "klmnopqrst"]
    assert _wrap("$\\alpha \\beta \\gamma$", 50, 2, width) == ELLIPSIS  # math never breaks
    assert _wrap("anything", 0, 2, width) == ELLIPSIS


def test_plain_text_cut_into_pieces_never_becomes_math() -> None:
    from matplotlib import cbook

    def width(text: str) -> float:
        if cbook.is_math_text(text):
            raise ValueError("a piece became math")  # what matplotlib's parser may do
        return 10.0 * len(text)

    # three dollars: plain text to matplotlib; a cut after the second would make it math
    wrapped = _wrap("$%\\rule$$ and $5 to $10 a day", 100, 3, width)
    assert wrapped.replace("\\$", "$").replace("\n", "")[:9] in "$%\\rule$$ and $5 to $10 a day"
    assert not any(cbook.is_math_text(line) for line in wrapped.split("\n"))
    # a text drawn as written keeps its dollars as they are
    as_written = _wrap("$a$ $b$ $c$ $d$", 80, 3, lambda text: 10.0 * len(text), math=False)
    assert as_written.split("\n")[0] == "$a$ $b$"


@pytest.mark.parametrize("dpi", [10, 100])
@pytest.mark.parametrize("label", ["$%\\rule$$", "costs $5 or $\\frac{$ and $$ more", "a$b$c$d"])
def test_odd_dollars_in_a_label_on_a_small_chart_are_never_a_5xx(label: str, dpi: int) -> None:
    request = parse_request(
        params={"ylabel": label, "title": label, "dpi": str(dpi), "width": "120", "height": "90"},
        headers={},
        body=b"",
        settings=Settings(),
    )
    image = render(request.spec)
    assert decode_png(image).shape[:2] == (90, 120)


def test_a_style_that_keeps_adapting_skips_the_fast_try_until_it_fits() -> None:
    import shared.chart.fast as fast

    x, y = reference_data(1000, seed=7)
    wide = ChartSpec(x=x, y=y * 100, ylabel="a y label")  # tick labels like -100000: cut off
    fitting = replace(wide, y=y)  # the same style, tick labels like -1000: they fit
    key = fast.raster_key(wide)
    render(wide)
    assert key in fast._adapting
    assert render_fast(wide) is None  # not drawn: straight to the plain path
    assert np.array_equal(decode_png(render(wide)), decode_png(render_plain(wide)))
    assert _inside(wide)[0] and not _inside(replace(wide, looks=Looks(layout="none")))[0]
    render(fitting)  # the plain path draws it in the recipe's layout: the fast path tries again
    assert key not in fast._adapting
    assert render_fast(fitting) is not None
