"""Reading the client's data: every input shape, column types, missing values, series."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
import pytest

from ScatterPlot import main
from shared import ChartRequest, Settings, parse_request
from shared.answer.caching import SKIPPED_ROWS
from shared.errors import ScatterPlotError
from shared.request.tables import sniff_delimiter
from shared.request.values import parse_date, read_column
from tests.conftest import RequestFactory
from tests.openapi_check import check_response

CSV = {"content-type": "text/csv"}
JSON = {"content-type": "application/json"}
FORM = {"content-type": "application/x-www-form-urlencoded"}


def parse(
    params: dict[str, str] | None = None,
    body: str | bytes | dict[str, Any] | list[Any] = b"",
    headers: dict[str, str] | None = None,
    settings: Settings | None = None,
) -> ChartRequest:
    if isinstance(body, dict | list):
        body, headers = json.dumps(body), {**JSON, **(headers or {})}
    if isinstance(body, str):
        body = body.encode()
    return parse_request(
        params=params or {}, headers=headers or {}, body=body, settings=settings or Settings()
    )


def refused(*args: Any, **kwargs: Any) -> ScatterPlotError:
    with pytest.raises(ScatterPlotError) as caught:
        parse(*args, **kwargs)
    return caught.value


# --- column types ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (["1", " 2.5 ", "-3e2"], "number"),
        ([1, 2.5, None, "NA"], "number"),
        (["2024-01-05", "2024-01-06T10:30", "2024-01-07 10:30:00.25", ""], "date"),
        (["2024-01-05T10:30:00Z", "2024-01-05T10:30:00+01:00", "2024-01-05T10:30:00-0530"], "date"),
        (["Oslo", "Rome", "n/a", "Oslo"], "category"),
        (["2024-01-05", "soon"], "category"),
        (["2024-02-30"], "category"),  # not a real day: text
    ],
)
def test_auto_typing(values: list[object], kind: str) -> None:
    assert read_column(values, "c", "auto", option="x_type").kind == kind


def test_dates_convert_zones_to_utc() -> None:
    column = read_column(
        ["2024-01-05T10:30:00Z", "2024-01-05T11:30:00+01:00", "2024-01-05T10:30"],
        "c",
        "auto",
        option="x_type",
    )
    assert column.values is not None
    assert column.values[0] == column.values[1] == column.values[2]
    assert parse_date("2024-01-05") == 19727.0  # days since 1970-01-01
    assert parse_date("0999-01-01") is None and parse_date("2024-1-5") is None


@pytest.mark.parametrize(
    ("values", "says"),
    [
        (["1", "2", "oops"], "x_type=category"),
        ([1, "a"], "not a number"),
        (["1", "NaN"], "finite"),
        (["inf"], "finite"),
        ([True], "numbers, dates or text"),
    ],
)
def test_numbers_mixed_with_text_are_refused(values: list[object], says: str) -> None:
    with pytest.raises(ScatterPlotError, match=says):
        read_column(values, "x", "auto", option="x_type")


def test_forced_types() -> None:
    assert read_column(["1", "oops"], "x", "category", option="x_type").labels == ("1", "oops")
    dates = read_column([1704412800000, "2024-01-05"], "x", "date", option="x_type")
    assert dates.values is not None and dates.values[0] == dates.values[1]
    with pytest.raises(ScatterPlotError, match="x_type=number"):
        read_column(["2024-01-05"], "x", "number", option="x_type")
    spec = parse({"y_type": "category"}, {"x": [1, 2], "y": [10, 20]}).spec
    assert spec.ytype.categories == ("10", "20") and spec.y.tolist() == [0, 1]


# --- missing values and skipped rows -----------------------------------------------------------


def test_missing_cells_skip_their_rows_and_are_counted() -> None:
    request = parse({}, "x,y\n1,2\n,3\n4,NA\n5,null\n6, \n7,8\n", CSV)
    assert request.spec.x.tolist() == [1, 7] and request.spec.y.tolist() == [2, 8]
    assert request.skipped == 4
    assert parse({}, {"x": [1, None, 3], "y": [1, 2, None]}).skipped == 2
    assert parse({"x": "1,,3", "y": "4,5,6"}).skipped == 1
    assert parse({"seed": "1"}).skipped is None
    assert parse({}, "x,y\n1,2\n", CSV).skipped == 0


def test_a_row_missing_a_group_size_or_colour_is_skipped() -> None:
    body = {"x": [1, 2, 3, 4], "y": [1, 2, 3, 4], "g": ["a", None, "b", "a"], "s": [1, 2, "", 4]}
    request = parse({"group": "g", "size_column": "s"}, body)
    assert request.skipped == 2
    assert request.spec.x.tolist() == [1, 4]  # group a; group b's row has no size


def test_several_y_columns_skip_values_per_column() -> None:
    request = parse({"y_column": "a,b"}, "x,a,b\n1,1,\n2,,2\n3,3,3\n", CSV)
    assert request.skipped == 2
    assert request.spec.x.tolist() == [1, 3, 2, 3]
    assert [(s.label, s.stop) for s in request.spec.series] == [("a", 2), ("b", 4)]


def test_skipped_rows_header_in_answers_and_etags(request_factory: RequestFactory) -> None:
    response = main(
        request_factory("/api/ScatterPlot", method="POST", body="x,y\n1,2\n,3\n4,5\n", headers=CSV)
    )
    assert response.status_code == 200
    assert response.headers[SKIPPED_ROWS] == "1"
    check_response("/ScatterPlot", "POST", response)
    again = main(
        request_factory(
            "/api/ScatterPlot",
            method="POST",
            body="x,y\n1,2\n,3\n4,5\n",
            headers={**CSV, "If-None-Match": response.headers["ETag"]},
        )
    )
    assert again.status_code == 304 and again.headers[SKIPPED_ROWS] == "1"
    check_response("/ScatterPlot", "POST", again)
    clean = main(
        request_factory("/api/ScatterPlot", method="POST", body="x,y\n1,2\n4,5\n", headers=CSV)
    )
    assert clean.headers[SKIPPED_ROWS] == "0" and clean.headers["ETag"] != response.headers["ETag"]
    generated = main(request_factory("/api/ScatterPlot?seed=1"))
    assert SKIPPED_ROWS not in generated.headers


# --- spreadsheet CSV ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "separator"),
    [
        ("a,b\n1,2\n", ","),
        ("a;b\n1,5;2\n", ";"),
        ("a\tb\n1\t2\n", "\t"),
        ('"x;y",b\n', ","),
        ("single\n1\n", ","),
        ("\n\na;b;c\n", ";"),
    ],
)
def test_delimiter_sniffing(text: str, separator: str) -> None:
    assert sniff_delimiter(text) == separator


def test_spreadsheet_exports() -> None:
    semicolons = parse({}, "day;rain\n1;2\n3;\n", CSV)
    assert semicolons.spec.y.tolist() == [2] and semicolons.skipped == 1
    tabs = parse({}, "day\train\n1\t2\n", {"content-type": "text/tab-separated-values"})
    assert tabs.spec.xlabel == "day" and tabs.spec.y.tolist() == [2]
    forced = parse({"delimiter": "|"}, "a|b\n1|2\n", CSV)
    assert forced.spec.x.tolist() == [1]
    tab_named = parse({"delimiter": "tab"}, "a\tb\n1\t2\n", CSV)
    assert tab_named.spec.y.tolist() == [2]


def test_decimal_commas() -> None:
    text = "day;rain;city\n1;1,5;Oslo, Norway\n2;-0,25;Rome\n3;;Lima\n"
    query = {"x_column": "day", "y_column": "rain", "group": "city"}
    request = parse({**query, "decimal": ","}, text, CSV)
    assert request.spec.y.tolist() == [1.5, -0.25] and request.skipped == 1
    assert [s.label for s in request.spec.series] == ["Oslo, Norway", "Rome"]
    error = refused(query, text, CSV)
    assert error.field == "rain" and "decimal=," in error.message
    assert refused({"decimal": ","}, {"x": [1], "y": [2]}).field == "decimal"


# --- pandas' JSON shapes -----------------------------------------------------------------------


@pytest.mark.parametrize("orient", ["columns", "split", "records"])
def test_pandas_frames_go_in_as_to_json_writes_them(orient: Any) -> None:
    frame = pd.DataFrame(
        {
            "when": pd.to_datetime(["2024-01-05", "2024-02-05", "2024-03-05"]),
            "rain": [1.5, None, 3.0],
            "city": ["Oslo", "Rome", "Oslo"],
        }
    )
    body = frame.to_json(orient=orient, date_format="iso")
    request = parse({"x_column": "when", "y_column": "rain", "group": "city"}, body, JSON)
    spec = request.spec
    assert spec.xtype.kind == "date" and request.skipped == 1
    assert [s.label for s in spec.series] == ["Oslo"]
    # what to_json wrote for dates before pandas 3: milliseconds since 1970
    milliseconds = frame.assign(when=(frame["when"] - pd.Timestamp(0)) // pd.Timedelta("1ms"))
    epoch = milliseconds.to_json(orient=orient)
    as_ms = parse(
        {"x_column": "when", "y_column": "rain", "group": "city", "x_type": "date"}, epoch, JSON
    )
    assert np.array_equal(as_ms.spec.x, spec.x)


def test_pandas_split_carries_options_and_ignores_the_index() -> None:
    frame = pd.DataFrame({"a": [1, 2], "b": [3, 4]}, index=[10, 20])
    document = json.loads(frame.to_json(orient="split"))
    spec = parse({}, {**document, "title": "T"}).spec
    assert spec.x.tolist() == [1, 2] and spec.y.tolist() == [3, 4] and spec.title == "T"
    assert (spec.xlabel, spec.ylabel) == ("a", "b")


# --- several series from every input shape ----------------------------------------------------


ROWS = [("1", "2", "a"), ("2", "3", "b"), ("3", "1", "a")]


def shapes() -> list[tuple[str, dict[str, str], bytes, dict[str, str]]]:
    """The same table and ``group`` option in each way a request can carry them."""
    table = {"ColumnNames": ["x", "y", "g"], "Values": [list(row) for row in ROWS]}
    swagger = [{"x": x, "y": y, "g": g} for x, y, g in ROWS]
    plain = {"x": [1, 2, 3], "y": [2, 3, 1], "g": ["a", "b", "a"]}
    csv = "x,y,g\n" + "".join(",".join(row) + "\n" for row in ROWS)
    return [
        ("query", {"x": "1,2,3", "y": "2,3,1", "g": "a,b,a", "group": "g"}, b"", {}),
        ("json", {}, json.dumps({**plain, "group": "g"}).encode(), JSON),
        (
            "azureml table",
            {},
            json.dumps({"Inputs": {"input1": table}, "GlobalParameters": {"group": "g"}}).encode(),
            JSON,
        ),
        (
            "azureml swagger",
            {"format": "swagger"},
            json.dumps(
                {"Inputs": {"input1": swagger}, "GlobalParameters": {"group": "g"}}
            ).encode(),
            JSON,
        ),
        ("csv", {"group": "g"}, csv.encode(), CSV),
        ("form", {}, b"x=1,2,3&y=2,3,1&g=a,b,a&group=g", FORM),
    ]


@pytest.mark.parametrize("shape", shapes(), ids=[shape[0] for shape in shapes()])
def test_groups_from_every_input_shape(
    shape: tuple[str, dict[str, str], bytes, dict[str, str]],
) -> None:
    _, params, body, headers = shape
    spec = parse(params, body, headers).spec
    assert [(s.label, s.stop) for s in spec.series] == [("a", 2), ("b", 3)]
    assert spec.x.tolist() == [1, 3, 2] and spec.y.tolist() == [2, 1, 3]
    assert spec.legend_title == "g"


def test_y_column_names_and_commas() -> None:
    one = parse({"x_column": "t", "y_column": "a,b"}, {"t": [1, 2], "a,b": [3, 4]}).spec
    assert one.series == () and one.y.tolist() == [3, 4]  # the column named "a,b"
    body = {"t": [1, 2], "a": [5, 6], "b": [7, 8]}
    two = parse({"x_column": "t", "y_column": "a, b"}, body).spec
    assert [s.label for s in two.series] == ["a", "b"] and two.ylabel == ""


def test_series_limit_is_a_setting() -> None:
    settings = Settings(max_series=2)
    body = {"x": [1, 2, 3], "y": [1, 2, 3], "g": ["a", "b", "c"], "group": "g"}
    assert refused({}, body, settings=settings).status == 413
    assert len(parse({}, body).spec.series) == 3


def test_json_lists_under_options_are_named() -> None:
    error = refused({}, {"x": [1], "y": [1], "title": ["a"]})
    assert error.field == "title"


def test_labels_from_data_cannot_start_math() -> None:
    spec = parse({}, "price ($),count\n1,2\n", CSV).spec
    assert spec.xlabel == "price (\\$)"
    groups = parse({"group": "g"}, {"x": [1], "y": [2], "g": ["$x$"]}).spec
    assert groups.series[0].label == "\\$x\\$"


def test_query_and_form_columns_under_any_name() -> None:
    query = {"a": "1,2", "b": "3,4", "x_column": "a", "y_column": "b"}
    spec = parse(query).spec
    assert spec.x.tolist() == [1, 2] and (spec.xlabel, spec.ylabel) == ("a", "b")
    form = parse({}, "a=1,2&b=3,4&x_column=a&y_column=b", FORM).spec
    assert form.y.tolist() == [3, 4]
    assert refused({"x_column": "a", "a": "1,2"}).field == "y_column"


@pytest.mark.parametrize(
    "cells",
    [
        ["2024-01-05", "2024-01-05T10:30", "2024-01-05 10:30:15", "2024-01-05T10:30:15.25", ""],
        ["2024-01-05T10:30Z", "1999-12-31T23:59:59.999999Z", "NA"],
        ["2024-01-05T10:30:00+01:00", "2024-01-05 10:30-05:30", None],
    ],
)
def test_whole_column_date_reading_agrees_with_reading_each_value(cells: list[Any]) -> None:
    column = read_column(cells, "d", "auto", option="x_type")
    assert column.kind == "date" and column.values is not None
    expected = [np.nan if c in ("", "NA", None) else parse_date(c) for c in cells]
    assert np.array_equal(column.values, np.array(expected, dtype=float), equal_nan=True)
