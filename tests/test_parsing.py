"""Pure tests of the request parser: every input shape, every bound, every error."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from shared import ChartRequest, Settings, parse_request
from shared.errors import ScatterPlotError

JSON_HEADERS = {"content-type": "application/json"}


def parse(
    params: dict[str, str] | None = None,
    body: bytes | str | dict[str, Any] = b"",
    headers: dict[str, str] | None = None,
    settings: Settings | None = None,
) -> ChartRequest:
    if isinstance(body, dict):
        body = json.dumps(body)
        headers = {**JSON_HEADERS, **(headers or {})}
    if isinstance(body, str):
        body = body.encode()
    return parse_request(
        params=params or {},
        headers=headers or {},
        body=body,
        settings=settings or Settings(),
    )


def test_no_input_is_the_reference_data() -> None:
    request = parse()
    spec = request.spec
    assert spec.points == 1000
    assert spec.x.tolist() == list(range(1000))
    noise = spec.y - spec.x
    assert noise.min() >= -1000 and noise.max() <= 1000
    assert len(set(noise.tolist())) > 100
    assert (spec.width, spec.height, spec.dpi) == (640, 480, 100)
    assert (spec.xlabel, spec.ylabel, spec.format) == (" x ", " y ", "png")
    assert request.output == "azureml" and not request.deterministic


def test_seed_makes_the_data_reproducible_and_n_sets_the_count() -> None:
    first, second = parse({"seed": "7", "n": "50"}), parse({"seed": "7", "n": "50"})
    other = parse({"seed": "8", "n": "50"})
    assert first.spec.points == 50
    assert np.array_equal(first.spec.y, second.spec.y)
    assert not np.array_equal(first.spec.y, other.spec.y)
    assert first.deterministic and first.spec.digest() == second.spec.digest()
    assert first.spec.digest() != other.spec.digest()


def test_json_body_with_x_and_y() -> None:
    request = parse(body={"x": [1, 2.5, 3], "y": [4, "5", -6e2], "title": "T", "width": 300})
    assert request.spec.x.tolist() == [1, 2.5, 3]
    assert request.spec.y.tolist() == [4, 5, -600]
    assert request.spec.title == "T" and request.spec.width == 300
    assert request.deterministic


def test_y_alone_is_plotted_against_its_index() -> None:
    spec = parse(body={"y": [5, 6, 7]}).spec
    assert spec.x.tolist() == [0, 1, 2]


def test_azureml_table_with_string_values_and_global_parameters() -> None:
    body = {
        "Inputs": {"input1": {"ColumnNames": ["x", "y"], "Values": [["0", "12"], ["1", "-40"]]}},
        "GlobalParameters": {"title": "from ML", "width": "320"},
    }
    request = parse({"api-version": "2.0", "details": "true"}, body)
    assert request.spec.x.tolist() == [0, 1]
    assert request.spec.y.tolist() == [12, -40]
    assert request.spec.title == "from ML" and request.spec.width == 320


def test_azureml_swagger_rows_and_format_swagger() -> None:
    body = {"Inputs": {"input1": [{"x": "0", "y": "12"}, {"x": "1", "y": "3"}]}}
    request = parse({"format": "swagger"}, body)
    assert request.spec.y.tolist() == [12, 3]
    assert request.output == "swagger" and request.spec.format == "png"


def test_empty_azureml_inputs_ask_for_the_reference_data() -> None:
    request = parse(body={"Inputs": {}, "GlobalParameters": {"seed": "4", "n": "10"}})
    assert request.spec.points == 10 and request.deterministic
    assert request.spec.x.tolist() == list(range(10))


def test_column_selection_in_a_wider_table() -> None:
    body = {
        "Inputs": {"input1": {"ColumnNames": ["t", "a", "b"], "Values": [[1, 2, 3], [4, 5, 6]]}},
        "GlobalParameters": {"x_column": "t", "y_column": "b"},
    }
    spec = parse(body=body).spec
    assert spec.x.tolist() == [1, 4] and spec.y.tolist() == [3, 6]


def test_plain_json_columns_with_selection() -> None:
    spec = parse(
        body={"time": [1, 2], "temp": [20, 21], "x_column": "time", "y_column": "temp"}
    ).spec
    assert spec.x.tolist() == [1, 2] and spec.y.tolist() == [20, 21]


def test_csv_body_with_header_and_column_choice() -> None:
    csv_text = "\ufeffday,rain,sun\n1,0.5,8\n2,1.5,3\n"
    spec = parse(
        {"x_column": "day", "y_column": "sun"}, csv_text, {"content-type": "text/csv"}
    ).spec
    assert spec.x.tolist() == [1, 2] and spec.y.tolist() == [8, 3]


def test_two_column_csv_without_x_and_y_names() -> None:
    spec = parse(body="a,b\n1,2\n3,4\n", headers={"content-type": "text/csv"}).spec
    assert spec.x.tolist() == [1, 3] and spec.y.tolist() == [2, 4]


def test_query_string_lists_and_form_bodies() -> None:
    assert parse({"x": "1,2,3", "y": "3,2,1"}).spec.y.tolist() == [3, 2, 1]
    form = parse(
        body="x=1,2&y=5,6&grid=true",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert form.spec.y.tolist() == [5, 6] and form.spec.grid


def test_curl_default_content_type_with_a_json_body() -> None:
    request = parse(
        body='{"x": [1], "y": [2]}',
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert request.spec.points == 1


def test_every_option_reaches_the_spec() -> None:
    params = {
        "width": "800",
        "height": "600",
        "dpi": "150",
        "title": "Rain",
        "xlabel": "day",
        "ylabel": "mm",
        "color": "#ff0000",
        "size": "12.5",
        "alpha": "0.5",
        "marker": "s",
        "xscale": "log",
        "yscale": "log",
        "xmin": "1",
        "xmax": "1000",
        "ymin": "0.1",
        "grid": "true",
        "transparent": "1",
        "format": "svg",
        "output": "record",
    }
    request = parse({**params, "x": "1,10,100", "y": "1,2,3"})
    spec = request.spec
    assert (spec.width, spec.height, spec.dpi) == (800, 600, 150)
    assert (spec.title, spec.xlabel, spec.ylabel) == ("Rain", "day", "mm")
    assert (spec.color, spec.size, spec.alpha, spec.marker) == ("#ff0000", 12.5, 0.5, "s")
    assert (spec.xscale, spec.yscale) == ("log", "log")
    assert spec.xlim == (1, 1000) and spec.ylim == (0.1, None)
    assert spec.grid and spec.transparent and spec.format == "svg"
    assert request.output == "record"


@pytest.mark.parametrize(
    ("params", "body", "headers", "status", "code", "field"),
    [
        ({"widht": "3"}, b"", {}, 400, "UnknownOption", "widht"),
        ({"width": "abc"}, b"", {}, 400, "InvalidOption", "width"),
        ({"width": "0"}, b"", {}, 400, "InvalidOption", "width"),
        ({"width": "-5"}, b"", {}, 400, "InvalidOption", "width"),
        ({"width": "99999"}, b"", {}, 400, "InvalidOption", "width"),
        ({"width": "4096", "height": "4096", "dpi": "10"}, b"", {}, 200, None, None),
        ({"width": "1e400"}, b"", {}, 400, "InvalidOption", "width"),
        ({"dpi": "5000"}, b"", {}, 400, "InvalidOption", "dpi"),
        ({"n": "0"}, b"", {}, 400, "InvalidOption", "n"),
        ({"n": "1000001"}, b"", {}, 413, "TooLarge", "n"),
        ({"n": "99999999999999999999999"}, b"", {}, 413, "TooLarge", "n"),
        ({"seed": "-1"}, b"", {}, 400, "InvalidOption", "seed"),
        ({"alpha": "2"}, b"", {}, 400, "InvalidOption", "alpha"),
        ({"alpha": "nan"}, b"", {}, 400, "InvalidOption", "alpha"),
        ({"xmin": "inf"}, b"", {}, 400, "InvalidOption", "xmin"),
        ({"size": "0"}, b"", {}, 400, "InvalidOption", "size"),
        ({"color": "notacolour"}, b"", {}, 400, "InvalidOption", "color"),
        ({"marker": "$x$"}, b"", {}, 400, "InvalidOption", "marker"),
        ({"format": "gif"}, b"", {}, 400, "InvalidOption", "format"),
        ({"output": "html"}, b"", {}, 400, "InvalidOption", "output"),
        ({"grid": "maybe"}, b"", {}, 400, "InvalidOption", "grid"),
        ({"xmin": "5", "xmax": "1"}, b"", {}, 400, "InvalidOption", "xmin"),
        ({"xscale": "log", "xmin": "-1"}, b"", {}, 400, "InvalidOption", "xmin"),
        ({"yscale": "log"}, b"", {}, 400, "InvalidData", "yscale"),
        ({"title": "t" * 201}, b"", {}, 400, "InvalidOption", "title"),
        ({"title": r"$\frac{1}{$"}, b"", {}, 400, "InvalidText", "title"),
        ({"xlabel": r"$\undefinedmacro$"}, b"", {}, 400, "InvalidText", "xlabel"),
        ({"ylabel": "a\x00b"}, b"", {}, 400, "InvalidText", "ylabel"),
        ({"format": "jpeg", "transparent": "true"}, b"", {}, 400, "InvalidOption", "transparent"),
        ({"format": "jpg", "transparent": "true"}, b"", {}, 400, "InvalidOption", "transparent"),
        ({"format": "webp", "transparent": "true"}, b"", {}, 200, None, None),
        ({"format": "png", "quality": "80"}, b"", {}, 400, "InvalidOption", "quality"),
        ({"format": "svg", "quality": "80"}, b"", {}, 400, "InvalidOption", "quality"),
        ({"quality": "80"}, b"", {}, 400, "InvalidOption", "quality"),
        ({"format": "jpeg", "quality": "0"}, b"", {}, 400, "InvalidOption", "quality"),
        ({"format": "webp", "quality": "101"}, b"", {}, 400, "InvalidOption", "quality"),
        ({"format": "webp", "quality": "high"}, b"", {}, 400, "InvalidOption", "quality"),
        ({"format": "webp", "quality": "1"}, b"", {}, 200, None, None),
        ({"format": "jpg", "quality": "100"}, b"", {}, 200, None, None),
        ({"format": "pdf", "n": "50001"}, b"", {}, 413, "TooLarge", "format"),
        ({"size": "10000", "dpi": "600", "n": "200000"}, b"", {}, 413, "TooLarge", "size"),
        ({}, b"{nope", JSON_HEADERS, 400, "MalformedBody", None),
        ({}, b"[1, 2]", JSON_HEADERS, 400, "MalformedBody", None),
        ({}, b'{"x": [NaN], "y": [1]}', JSON_HEADERS, 400, "MalformedBody", None),
        ({}, b"[" * 5000 + b"]" * 5000, JSON_HEADERS, 400, "MalformedBody", None),
        ({}, b'{"x": [1, 2], "y": [1]}', JSON_HEADERS, 400, "InvalidData", None),
        ({}, b'{"x": [], "y": []}', JSON_HEADERS, 400, "InvalidData", "y"),
        ({}, b'{"x": [1, true], "y": [1, 2]}', JSON_HEADERS, 400, "InvalidData", "x"),
        ({}, b'{"x": [null], "y": [1]}', JSON_HEADERS, 400, "InvalidData", "x"),
        ({}, b'{"x": [1, [2]], "y": [1, 2]}', JSON_HEADERS, 400, "InvalidData", "x"),
        ({}, b'{"x": [1, "1e999"], "y": [1, 2]}', JSON_HEADERS, 400, "InvalidData", "x"),
        ({}, b'{"x": [1, 1e999], "y": [1, 2]}', JSON_HEADERS, 400, "MalformedBody", None),
        ({}, b'{"x": 5, "y": [1]}', JSON_HEADERS, 400, "InvalidData", "x"),
        ({}, b'{"x": [1], "y": [1], "n": 5}', JSON_HEADERS, 400, "InvalidOption", "n"),
        (
            {"width": "300"},
            b'{"y": [1], "width": 400}',
            JSON_HEADERS,
            400,
            "InvalidOption",
            "width",
        ),
        ({"x": "1"}, b'{"y": [1]}', JSON_HEADERS, 400, "InvalidData", None),
        ({}, b'{"Inputs": []}', JSON_HEADERS, 400, "InvalidData", "Inputs"),
        (
            {},
            b'{"Inputs": {"input1": {"ColumnNames": ["x", "y"], "Values": [["1"]]}}}',
            JSON_HEADERS,
            400,
            "InvalidData",
            "Inputs.input1",
        ),
        (
            {},
            b'{"Inputs": {"input1": [{"x": 1, "y": 2}, {"x": 1}]}}',
            JSON_HEADERS,
            400,
            "InvalidData",
            "Inputs.input1",
        ),
        (
            {"y_column": "nope"},
            b'{"Inputs": {"input1": {"ColumnNames": ["x", "y"], "Values": [["1", "2"]]}}}',
            JSON_HEADERS,
            400,
            "InvalidOption",
            "y_column",
        ),
        ({}, b"a,b,c\n1,2,3\n", {"content-type": "text/csv"}, 400, "InvalidData", "y_column"),
        ({}, b"x,y\n1,2,3\n", {"content-type": "text/csv"}, 400, "InvalidData", None),
        ({}, b"x,y\n1,2\n2,two\n", {"content-type": "text/csv"}, 400, "InvalidData", "y"),
        ({}, b'x,y\n"1,2\n', {"content-type": "text/csv"}, 400, "MalformedBody", None),
        ({}, b"x,y\n\xff\xfe,1\n", {"content-type": "text/csv"}, 400, "MalformedBody", None),
        ({}, b"\xff\xfe", JSON_HEADERS, 400, "MalformedBody", None),
        ({}, b"x,y\n1,2\n", {"content-type": "application/xml"}, 415, "UnsupportedMediaType", None),
        ({}, b"x,y\n1,2\n", {}, 415, "UnsupportedMediaType", None),
        ({}, b"", {"accept": "text/html"}, 406, "NotAcceptable", None),
        ({"output": "image"}, b"", {"accept": "application/json"}, 406, "NotAcceptable", None),
    ],
)
def test_bad_input_is_a_4xx_naming_the_field(
    params: dict[str, str],
    body: bytes,
    headers: dict[str, str],
    status: int,
    code: str | None,
    field: str | None,
) -> None:
    if status == 200:
        assert parse(params, body, headers).spec.points == 1000
        return
    with pytest.raises(ScatterPlotError) as caught:
        parse(params, body, headers)
    error = caught.value
    assert (error.status, error.code, error.field) == (status, code, field)
    assert error.message and len(error.message) < 1000


def test_format_names_and_quality_reach_the_spec() -> None:
    jpg = parse({"format": "jpg"}).spec
    assert (jpg.format, jpg.quality) == ("jpeg", 75)  # jpg is jpeg; 75 is the default
    assert parse({"format": "jpeg", "quality": "90"}).spec.quality == 90
    webp = parse({"format": "webp"}).spec
    assert (webp.format, webp.quality) == ("webp", None)  # lossless
    assert parse({"format": "webp", "quality": "80"}).spec.quality == 80
    assert parse({}).spec.quality is None
    assert parse({"format": "webp", "n": "50001"}).spec.points == 50001  # no vector limit
    assert parse({"format": "webp"}, headers={"accept": "image/webp"}).output == "image"
    assert parse({"format": "jpg"}, headers={"accept": "image/jpeg"}).output == "image"


def test_messages_say_what_would_have_been_right() -> None:
    with pytest.raises(ScatterPlotError, match=r"did you mean 'width'"):
        parse({"widht": "3"})
    with pytest.raises(ScatterPlotError, match=r"png, svg, pdf, jpeg, jpg, webp"):
        parse({"format": "gif"})
    with pytest.raises(ScatterPlotError, match=r"quality applies to jpeg and webp only"):
        parse({"format": "png", "quality": "50"})
    with pytest.raises(ScatterPlotError, match=r"'gif'"):
        parse({"format": "gif"})
    with pytest.raises(ScatterPlotError, match=r"16 to 4096"):
        parse({"width": "99999"})


def test_body_size_is_checked_before_parsing() -> None:
    small = Settings(max_body_bytes=100)
    with pytest.raises(ScatterPlotError) as caught:
        parse(body=b"{" + b" " * 200 + b"}", headers=JSON_HEADERS, settings=small)
    assert caught.value.status == 413


def test_point_limit_applies_to_every_input_shape() -> None:
    small = Settings(max_points=3)
    rows = [[str(i), str(i)] for i in range(4)]
    bodies: list[tuple[bytes | str | dict[str, Any], dict[str, str]]] = [
        ({"x": [1, 2, 3, 4], "y": [1, 2, 3, 4]}, {}),
        ({"Inputs": {"input1": {"ColumnNames": ["x", "y"], "Values": rows}}}, {}),
        ({"Inputs": {"input1": [{"x": 1, "y": 1}] * 4}}, {}),
        ("x,y\n1,1\n2,2\n3,3\n4,4\n", {"content-type": "text/csv"}),
    ]
    for body, headers in bodies:
        with pytest.raises(ScatterPlotError) as caught:
            parse(body=body, headers=headers, settings=small)
        assert caught.value.status == 413, body
    with pytest.raises(ScatterPlotError) as caught:
        parse({"x": "1,2,3,4", "y": "1,2,3,4"}, settings=small)
    assert caught.value.status == 413
