"""The parser against wide tables, repeated names and options, keys, and deep JSON."""

from __future__ import annotations

import json
import sys
import threading
from typing import Any

import pytest

from shared import Settings
from shared.errors import ScatterPlotError, shorten
from shared.request.columns import check_csv_width
from tests.test_parsing import JSON_HEADERS, parse

CSV = {"content-type": "text/csv"}
FORM = {"content-type": "application/x-www-form-urlencoded"}
NARROW = Settings(max_columns=3)


def refused(
    params: dict[str, str] | None = None,
    body: bytes | str | dict[str, Any] = b"",
    headers: dict[str, str] | None = None,
    settings: Settings | None = None,
) -> ScatterPlotError:
    with pytest.raises(ScatterPlotError) as caught:
        parse(params, body, headers, settings)
    return caught.value


# wide tables: the column limit, checked before anything is built per column


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        ("a,b,x,y\n1,2,3,4\n", CSV),
        ('"a","b","x",y\n1,2,3,4\n', CSV),
        ('"a\nb",c,x,y\n1,2,3,4\n', CSV),  # a quoted header name holding a line break
        ({"Inputs": {"input1": {"ColumnNames": ["a", "b", "x", "y"], "Values": []}}}, {}),
        ({"Inputs": {"input1": [{"a": 1, "b": 2, "x": 3, "y": 4}]}}, {}),
        ({"x": [1], "y": [2], "a": [3], "b": [4]}, {}),
    ],
)
def test_a_table_wider_than_max_columns_is_refused(
    body: str | dict[str, Any], headers: dict[str, str]
) -> None:
    error = refused(body=body, headers=headers, settings=NARROW)
    assert error.status == 413 and "columns" in error.message


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        ("a,x,y\n1,2,3\n", CSV),
        ('"a,b",x,y\n1,2,3\n', CSV),  # a comma inside quotes separates nothing
        ({"Inputs": {"input1": {"ColumnNames": ["a", "x", "y"], "Values": [["1", "2", "3"]]}}}, {}),
        ({"Inputs": {"input1": [{"a": 1, "x": 2, "y": 3}]}}, {}),
        ({"x": [1], "y": [2], "a": [3], "y_column": ["y", "a"], "title": "not a column"}, {}),
    ],
)
def test_a_table_as_wide_as_max_columns_is_read(
    body: str | dict[str, Any], headers: dict[str, str]
) -> None:
    assert parse(body=body, headers=headers, settings=NARROW).spec.points >= 1


def test_a_csv_data_row_wider_than_the_header_is_refused() -> None:
    error = refused(body="x,y\n1,2\n" + "1," * 5 + "1\n", headers=CSV, settings=NARROW)
    assert error.code == "InvalidData" and "fields" in error.message


def test_a_csv_with_more_than_four_fields_a_point_is_refused_before_parsing() -> None:
    small = Settings(max_points=10)
    row = ",".join(["1"] * 300) + "\n"
    error = refused(body="x,y\n" + row * 5, headers=CSV, settings=small)
    assert error.status == 413 and "separators" in error.message


def test_the_csv_header_count_follows_the_csv_module() -> None:
    for header, fields in [
        ("a,b", 2),
        ('"a,b",c', 2),
        ('"a""b",c', 2),
        ('a"b,c', 2),  # a quote inside an unquoted field is an ordinary character
        ('"a\r\nb","c\nd",e', 3),
        ("", 1),
    ]:
        check_csv_width(header + "\n1\n", separator=",", max_columns=fields, max_points=10)
        if fields > 1:
            with pytest.raises(ScatterPlotError) as caught:
                check_csv_width(
                    header + "\n1\n", separator=",", max_columns=fields - 1, max_points=10
                )
            assert caught.value.status == 413, header
    with pytest.raises(ScatterPlotError) as caught:
        check_csv_width('"a"b,c\n', separator=",", max_columns=10, max_points=10)
    assert caught.value.code == "MalformedBody"


# names and options given twice


@pytest.mark.parametrize(
    "body",
    [
        {"Inputs": {"input1": {"ColumnNames": ["x", "y", "y"], "Values": [["1", "2", "3"]]}}},
        '{"x": [1, 2], "y": [3, 4], "y": [5, 6]}',
        '{"Inputs": {"input1": [{"x": 1, "y": 2, "y": 3}]}}',
        '{"Inputs": {}, "GlobalParameters": {"seed": "1", "seed": "2"}}',
        '{"x": [1], "y": [2], "title": "a:b", "title": "c"}',  # a colon in a string too
    ],
)
def test_a_repeated_column_or_key_is_refused_like_a_repeated_csv_column(
    body: str | dict[str, Any],
) -> None:
    error = refused(body=body, headers=JSON_HEADERS)
    assert error.code == "InvalidData" and "repeats" in error.message


def test_colons_in_strings_are_not_mistaken_for_repeated_keys() -> None:
    body = {
        "x": [1, 2],
        "y": [3, 4],
        "a:b": [5, 6],
        "y_column": ["y", "a:b"],
        "title": "12:30 at http://example.org",
    }
    assert parse(body=body).spec.title == "12:30 at http://example.org"


@pytest.mark.parametrize(
    ("query", "body", "expected"),
    [
        ({"dpi": "100"}, {"x": [1], "y": [2], "dpi": 100.0}, 100.0),
        ({"grid": "true"}, {"x": [1], "y": [2], "grid": True}, True),
        ({"width": "320"}, {"x": [1], "y": [2], "width": "320.0"}, 320),
    ],
)
def test_an_option_given_twice_is_compared_as_converted(
    query: dict[str, str], body: dict[str, Any], expected: object
) -> None:
    name = next(iter(query))
    assert getattr(parse(query, body).spec, name) == expected


@pytest.mark.parametrize(
    ("query", "body", "headers"),
    [
        ({"title": "hello"}, {"x": [1], "y": [2], "title": "HELLO"}, {}),
        ({"xscale": "log"}, {"x": [1], "y": [2], "xscale": "linear"}, {}),
        ({}, "x=1,2&y=3,4&width=100&width=200", FORM),
        ({"width": "100"}, "x=1,2&y=3,4&width=200", FORM),
        ({}, {"Inputs": {}, "width": 100, "GlobalParameters": {"width": "200"}}, {}),
    ],
)
def test_an_option_given_twice_with_different_values_is_a_400(
    query: dict[str, str], body: str | dict[str, Any], headers: dict[str, str]
) -> None:
    error = refused(query, body, headers)
    assert error.code == "InvalidOption" and "twice" in error.message


def test_a_form_field_repeated_with_the_same_value_is_one_value() -> None:
    spec = parse(body="x=1,2&y=3,4&width=100&width=100.0", headers=FORM).spec
    assert spec.width == 100
    error = refused(body="x=1,2&y=3,4&x=5,6", headers=FORM)
    assert (error.code, error.field) == ("InvalidData", "x")


@pytest.mark.parametrize(
    ("query", "body", "headers"),
    [
        ({}, {"x": [1, 2], "y": [3, 4], "format": "swagger"}, {}),
        (
            {},
            {
                "Inputs": {"input1": [{"x": "1", "y": "3"}]},
                "GlobalParameters": {"format": "swagger"},
            },
            {},
        ),
        ({}, "x=1,2&y=3,4&format=swagger", FORM),
        ({"format": "swagger"}, {"x": [1, 2], "y": [3, 4], "format": "swagger"}, {}),
    ],
)
def test_format_swagger_works_wherever_options_go(
    query: dict[str, str], body: str | dict[str, Any], headers: dict[str, str]
) -> None:
    request = parse(query, body, headers)
    assert request.output == "swagger" and request.spec.format == "png"


# keys


@pytest.mark.parametrize(
    ("query", "body"),
    [
        ({"code": "QUERYKEY-0123456789"}, {"x": [1], "y": [2], "code": "BODYKEY-0123456789"}),
        (
            {"code": "QUERYKEY-0123456789"},
            {"Inputs": {}, "GlobalParameters": {"code": "BODYKEY-0123456789"}},
        ),
        ({}, {"x": [1], "y": [2], "code": ["BODYKEY-0123456789"] * 2, "x_column": "code"}),
        ({}, {"x": [1], "y": [2], "code": {"k": "BODYKEY-0123456789"}}),
        ({"code": "QUERYKEY-0123456789", "y_column": "code"}, {"Inputs": {}}),
    ],
)
def test_no_message_quotes_a_key(query: dict[str, str], body: dict[str, Any]) -> None:
    error = refused(query, body)
    assert "KEY-0123456789" not in json.dumps(error.to_dict()), error.message


def test_a_request_carrying_a_key_is_marked_keyed() -> None:
    assert parse({"code": "k", "seed": "1"}).keyed
    assert parse({"seed": "1"}, headers={"x-functions-key": "k"}).keyed
    assert parse(body={"x": [1], "y": [2], "code": "k"}).keyed
    assert not parse({"seed": "1"}).keyed


# JSON nested just under the decoder's depth limit


def _deep_bodies(depth: int) -> list[str]:
    nested_list = "[" * depth + "]" * depth
    nested_object = '{"a":' * depth + "1" + "}" * depth
    return [
        '{"x": [' + nested_list + '], "y": [1]}',
        '{"width": ' + nested_object + "}",
        '{"Inputs": {}, "title": "a", "GlobalParameters": {"title": ' + nested_object + "}}",
        '{"Inputs": {"input1": {"ColumnNames": ["x", "y"], "Values": [' + nested_list + "]}}}",
        '{"x": [1], "y": [2], "code": ' + nested_list + "}",
    ]


def _every_depth_is_a_4xx() -> None:
    for depth in range(sys.getrecursionlimit() - 120, sys.getrecursionlimit() + 5):
        for body in _deep_bodies(depth):
            with pytest.raises(ScatterPlotError) as caught:
                parse(body=body, headers=JSON_HEADERS)
            assert 400 <= caught.value.status < 500


def test_json_nested_to_any_depth_is_a_4xx_whatever_the_stack() -> None:
    # decoding succeeds up to a depth that depends on the stack in use, and the message
    # that quotes the value is built a few frames deeper: every depth near the limit, from
    # this stack and from a worker thread's shallower one
    _every_depth_is_a_4xx()
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            _every_depth_is_a_4xx()
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert not failures, failures


def test_shorten_is_bounded_whatever_the_value() -> None:
    deep: list[Any] = []
    for _ in range(100_000):
        deep = [deep]
    assert shorten(deep) == "[[[[...]]]]"
    assert shorten(10**5000) == "<int too long to show>"
    assert shorten("x" * 10**6).endswith("...") and len(shorten("x" * 10**6)) == 40
    assert len(shorten(list(range(10**6)), 200)) <= 200
