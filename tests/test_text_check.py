"""Titles and labels are checked the way they will be drawn, so drawing never fails with a 500.

Each line on its own (as matplotlib lays it out), for the chart's format and dpi: raster
formats render the math at the chart's dpi, SVG and PDF lay it out at 72 dpi. A property test
draws generated hostile text in every format at the lowest and highest dpi.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import azure.functions as func
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ScatterPlot import main
from shared import Settings
from shared.chart import render
from shared.errors import InvalidText
from shared.quiet import request_scope
from shared.request.options import IMAGE_FORMATS
from shared.request.text import check_text
from shared.spec import ChartSpec

MAX_DPI = Settings().max_dpi


def chart(**query: str) -> tuple[int, dict[str, object]]:
    """Status and JSON error (or ``{}``) of a small chart with ``query``."""
    query = {"x": "1,2", "y": "3,4", "width": "200", "height": "150", "output": "image", **query}
    request = func.HttpRequest(
        method="GET",
        url="http://localhost/api/ScatterPlot?" + urlencode(query),
        headers={},
        params=query,
        body=b"",
    )
    response = main(request)
    if response.status_code == 200:
        return 200, {}
    # output=image: a 4xx is an image in the format asked for, with the JSON error in its
    # X-ScatterPlot-Error header (a 5xx stays JSON)
    if response.mimetype == "application/json":
        error: dict[str, object] = json.loads(response.get_body())["error"]
    else:
        error = json.loads(response.headers["X-ScatterPlot-Error"])["error"]
    return response.status_code, error


@pytest.mark.parametrize(
    ("text", "options", "reason"),
    [
        ("$\\frac{$\n$", {}, "the first line alone is math that does not parse"),
        ("$x$\n$" + "{" * 12 + "x" + "}" * 12 + "$", {}, "the second line nests 12 deep"),
        ("$\\hspace{10000000}x$", {}, "a space of ten million ems"),
        ("$\\hspace{10000000}x$", {"format": "jpeg"}, "the same as jpeg"),
        ("$\\hspace{10000000}x$", {"format": "svg"}, "the same as svg"),
        ("$x\\hspace{-200000}y\\hspace{200000}$", {"dpi": "600"}, "a glyph moved far away"),
        ("$\\genfrac{(}{)}{9999999999999}{0}{a}{b}$", {}, "a rule thick beyond FreeType"),
        ("$\\genfrac{(}{)}{9999999999999}{0}{a}{b}$", {"format": "pdf"}, "the same as pdf"),
        ("$x^{x^{x^{x^{x}}}}$", {"dpi": "10"}, "scripts too small at 10 dpi"),
        # layout=auto measures a vector chart's text on a raster at the chart's dpi
        ("$x^{x^{x^{x^{x}}}}$", {"dpi": "10", "format": "svg"}, "the same, measured for svg"),
        ("a\ufeffb", {"format": "pdf"}, "a byte-order mark"),
    ],
)
@pytest.mark.parametrize("field", ["title", "xlabel", "ylabel"])
def test_text_that_cannot_be_drawn_is_a_400_naming_the_field(
    text: str, options: dict[str, str], reason: str, field: str
) -> None:
    status, error = chart(**{field: text}, **options)
    assert (status, error.get("code"), error.get("field")) == (400, "InvalidText", field), reason


@pytest.mark.parametrize(
    ("text", "options"),
    [
        ("$x^{x^{x^{x^{x}}}}$", {"dpi": "100"}),  # fine where FreeType has pixels to spare
        # vector text is laid out at 72 dpi (without layout=auto's measuring pass)
        ("$x^{x^{x^{x^{x}}}}$", {"dpi": "10", "format": "svg", "layout": "none"}),
        ("$x^{x^{x^{x^{x}}}}$", {"dpi": "10", "format": "pdf", "layout": "none"}),
        ("$\\hspace{100}x$", {"dpi": str(MAX_DPI)}),
        ("$\\genfrac{(}{)}{99}{0}{a}{b}$", {"dpi": str(MAX_DPI)}),
        ("one $\\alpha$\ntwo $\\beta$\n\\$3", {}),
        ("$a$\n$b", {}),  # the second line has one dollar sign: plain text
        ("中文 ☃ \u200b", {"format": "pdf"}),
    ],
)
def test_text_that_can_be_drawn_is_drawn(text: str, options: dict[str, str]) -> None:
    for field in ("title", "ylabel"):
        status, error = chart(**{field: text}, **options)
        assert status == 200, error


def test_a_failure_while_drawing_names_the_text_that_caused_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # should a text pass the check and still fail to draw, the draw is not a 500
    monkeypatch.setattr("shared.request.build.check_text", lambda value, *a, **k: value)
    status, error = chart(title="ok", ylabel="$x^{x^{x^{x^{x}}}}$", dpi="10")
    assert (status, error.get("code"), error.get("field")) == (400, "InvalidText", "ylabel")


def test_a_failure_no_text_explains_is_still_raised() -> None:
    x = np.array([1.0, 2.0])
    spec = ChartSpec(x=x, y=x, title="fine", format="nope")
    with pytest.raises(ValueError, match="nope"):  # the format's fault: a 500, not a 400
        render(spec, fast_path=False)


def test_a_log_axis_over_400_decades_draws_on_any_chart_size() -> None:
    for width in ("16", "100", "320", "640"):
        for scale in ("xscale", "yscale"):
            data = {"x": "1e-200,1e200", "y": "1e-200,1e200"}
            with request_scope() as warned:
                status, error = chart(**data, **{scale: "log", "width": width, "height": width})
            assert status == 200, error
            assert warned.count == 0, "no overflow warning either"


def test_checking_math_leaves_no_warnings_for_clean_text() -> None:
    with request_scope() as warned:
        check_text("$\\sqrt{x}$ and \\$5", "title", max_length=200, image_format="png", dpi=100)
    assert warned.count == 0
    with pytest.raises(InvalidText):
        check_text("$x^{x^{x^{x^{x}}}}$", "title", max_length=200, image_format="jpeg", dpi=10)


FRAGMENTS = [
    "$", "\\$", "\n", "{", "}", "^", "_", "x", "1", " ", "\\frac{", "\\sqrt{", "\\sqrt[",
    "]", "\\left(", "\\right)", "\\mathrm{", "\\mathcal{", "\\mathbb{", "\\sum", "\\int",
    "\\overline{", "\\dot{", "\\hat{", "\\text{", "\\alpha", "\\\\", "&", "%", "#", "~",
    "\\,", "\\!", "\\quad", "\\genfrac{(}{)}{", "}{0}{a}{b}", "\\hspace{", "\\rule",
    "\\unknowncommand", "中", "☃", "😀", "\u0301", "\u202e", "\u200b", "\u00ad", "Ω",
]  # fmt: skip
NUMBERS = st.sampled_from(
    ["0", "-1", "1e300", "99999999999", "-99999999999", "0.0000001", "1e-300", "3.5", "nan"]
)
hostile_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), NUMBERS), max_size=24).map("".join)
math_text = hostile_text.map(lambda text: f"${text}$")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.one_of(math_text, hostile_text),
    field=st.sampled_from(["title", "xlabel", "ylabel"]),
    image_format=st.sampled_from(IMAGE_FORMATS),
    dpi=st.sampled_from(["10", str(MAX_DPI)]),
)
def test_hostile_text_in_any_format_at_extreme_dpi_is_never_a_5xx(
    text: str, field: str, image_format: str, dpi: str
) -> None:
    status, error = chart(**{field: text, "format": image_format, "dpi": dpi})
    assert status in (200, 400), error
    if status == 400:
        assert error["code"] in ("InvalidText", "InvalidOption") and error["field"] == field
