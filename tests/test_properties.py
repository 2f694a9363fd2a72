"""Property-based tests of the parser: whatever arrives, the answer is a valid request or a 4xx.

Any JSON document, query string, CSV text, or bytes under any content type must give either a
``ChartRequest`` whose spec holds every promise the renderer relies on, or a
``ScatterPlotError`` with a 4xx status. Any other exception would be a 500.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared import ChartRequest, Settings, parse_request
from shared.errors import ScatterPlotError
from shared.request.options import ANSWER_NAMES, IMAGE_FORMATS, option_names

LIMITS = Settings(max_points=2_000, max_side=1024, max_pixels=1024 * 768, max_body_bytes=65_536)
EXAMPLES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

names = st.sampled_from((*option_names(), "x", "y", "Inputs", "GlobalParameters", "input1"))
keys = st.one_of(names, st.text(max_size=12))
numbers_as_text = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["", " ", "1e400", "-0", "0x10", "1_0", "nan", "inf", "true", "$x$", "red"]),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    numbers_as_text,
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=6), st.dictionaries(keys, inner, max_size=6)),
    max_leaves=30,
)
columns = st.lists(st.one_of(st.floats(), st.integers(), numbers_as_text), max_size=8)
documents = st.one_of(
    st.dictionaries(keys, json_values, max_size=8),
    st.fixed_dictionaries({"x": columns, "y": columns}, optional={"title": scalars}),
    st.builds(
        lambda names, rows, params: {
            "Inputs": {"input1": {"ColumnNames": names, "Values": rows}},
            "GlobalParameters": params,
        },
        st.lists(st.sampled_from(["x", "y", "z"]), max_size=3),
        st.lists(st.lists(st.one_of(numbers_as_text, st.floats()), max_size=3), max_size=5),
        st.dictionaries(keys, scalars, max_size=3),
    ),
    st.builds(
        lambda rows: {"Inputs": {"input1": rows}},
        st.lists(st.dictionaries(st.sampled_from(["x", "y"]), numbers_as_text), max_size=5),
    ),
    json_values,
)
query_values = st.one_of(
    numbers_as_text,
    st.text(max_size=30),
    st.sampled_from([*IMAGE_FORMATS, *ANSWER_NAMES, "swagger", "log", "true", "1,2,3"]),
    st.lists(numbers_as_text, max_size=5).map(",".join),
)
content_types = st.one_of(
    st.sampled_from(
        [
            "",
            "application/json",
            "application/json; charset=utf-8",
            "text/json",
            "application/problem+json",
            "text/csv",
            "application/csv",
            "application/x-www-form-urlencoded",
            "text/plain",
            "multipart/form-data; boundary=x",
            ";;;",
        ]
    ),
    st.text(max_size=30),
)
accepts = st.one_of(
    st.none(),
    st.sampled_from(["*/*", "image/png", "application/json", "text/html", "image/*;q=0.5"]),
    st.text(max_size=30),
)


def check(
    params: dict[str, str], body: bytes, content_type: str, accept: str | None = None
) -> None:
    """Parse and check the outcome: a sound request or a 4xx error, nothing else."""
    headers = {"content-type": content_type}
    if accept is not None:
        headers["accept"] = accept
    try:
        request = parse_request(params=params, headers=headers, body=body, settings=LIMITS)
    except ScatterPlotError as error:
        assert 400 <= error.status < 500, error
        assert error.message and len(error.message) < 2000
        return
    assert_sound(request)


def assert_sound(request: ChartRequest) -> None:
    """Every promise the renderer relies on."""
    spec = request.spec
    for values in (spec.x, spec.y):
        assert values.dtype == np.float64 and values.ndim == 1
        assert not values.flags.writeable
        assert np.isfinite(values).all() and (np.abs(values) <= 1e300).all()
    assert 1 <= len(spec.x) == len(spec.y) <= LIMITS.max_points
    assert 16 <= spec.width <= LIMITS.max_side and 16 <= spec.height <= LIMITS.max_side
    assert spec.width * spec.height <= LIMITS.max_pixels
    assert 10 <= spec.dpi <= LIMITS.max_dpi and math.isfinite(spec.dpi)
    assert spec.format in IMAGE_FORMATS and request.output in ANSWER_NAMES
    for text in (spec.title, spec.xlabel, spec.ylabel):
        assert len(text) <= LIMITS.max_text_length
    for low, high in (spec.xlim, spec.ylim):
        if low is not None and high is not None:
            assert low < high
    if spec.size is not None:
        assert 0 < spec.size <= 10_000
    if spec.alpha is not None:
        assert 0 <= spec.alpha <= 1


@EXAMPLES
@given(document=documents, params=st.dictionaries(names, query_values, max_size=3))
def test_any_json_document(document: Any, params: dict[str, str]) -> None:
    check(params, json.dumps(document).encode(), "application/json")


@EXAMPLES
@given(params=st.dictionaries(keys, query_values, max_size=10), accept=accepts)
def test_any_query_string(params: dict[str, str], accept: str | None) -> None:
    check(params, b"", "", accept)


@EXAMPLES
@given(
    header=st.lists(st.one_of(st.sampled_from(["x", "y", "a"]), st.text(max_size=5)), max_size=4),
    rows=st.lists(
        st.lists(st.one_of(numbers_as_text, st.text(max_size=6)), max_size=4), max_size=8
    ),
    separator=st.sampled_from(["\n", "\r\n", "\r"]),
    params=st.dictionaries(
        st.sampled_from(["x_column", "y_column", "output"]), st.text(max_size=4)
    ),
)
def test_any_csv_text(
    header: list[str], rows: list[list[str]], separator: str, params: dict[str, str]
) -> None:
    text = separator.join(",".join(row) for row in [header, *rows])
    check(params, text.encode(), "text/csv")


@EXAMPLES
@given(text=st.text(max_size=200), params=st.dictionaries(names, query_values, max_size=2))
def test_any_text_as_csv(text: str, params: dict[str, str]) -> None:
    check(params, text.encode(), "text/csv")


@EXAMPLES
@given(body=st.binary(max_size=300), content_type=content_types, accept=accepts)
def test_any_bytes_with_any_content_type(
    body: bytes, content_type: str, accept: str | None
) -> None:
    check({}, body, content_type, accept)
