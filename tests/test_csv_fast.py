"""CSV bodies without quotes are read by pandas' C parser, column by column, and the outcome is
the csv module's in every case: the same chart, or the same error.

The property test parses each generated body twice: as the service does (the fast readers), and
with them switched off, so the csv module reads every row into a list as it reads the bodies
they leave (small ones, NUL characters, one column). A big body with quotes is checked by the
csv module a row at a time, keeping nothing, and then read column by column by pandas too.
"""

from __future__ import annotations

import tracemalloc
from unittest import mock

import numpy as np
import pandas  # noqa: F401  # imported once per process by the first big CSV, not per request
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from shared import Settings, parse_request
from shared.errors import InvalidData, MalformedBody, ScatterPlotError, TooLarge
from shared.request import values
from shared.request.csvfast import CsvColumn, CsvLayout, csv_layout, quoted_layout
from shared.request.tables import columns_from_csv

LIMITS = Settings(max_points=50)
ANY_SIZE = mock.patch("shared.request.csvfast.MIN_CHARACTERS", 0)
"""The fast reader for bodies of any size (it leaves small ones to the csv module)."""
EXAMPLES = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

CELLS = st.sampled_from(
    [
        *("1", "-2.5", "1e3", " 7 ", "\t8", "-0", "00012", ".5", "5.", "1E+05", "1_000", "0x1"),
        *("", " ", "NA", "na", " NA ", "null", "None", "#N/A", "n/a", "N/A"),
        *("nan", "NaN", "inf", "-Infinity", "1e400", "1e301", "-1e300", "١٢"),
        *("2024-01-05", "2024-01-05T10:30:00Z", "2024-01-05 10:30+01:00", "2024-02-30"),
        *("a", "b c", "é", " a ", "$x$", "1,5", "-0,25", "2,5e3", "5,", "#"),
        *("TRUE", "false", "True", "FALSE"),
    ]
)
SEPARATORS = st.sampled_from([",", ";", "\t", "|"])
QUOTINGS = st.sampled_from(
    [
        lambda cell, separator: cell,
        lambda cell, separator: cell,
        lambda cell, separator: f'"{cell}"',
        lambda cell, separator: f'"{cell}{separator}{cell}"',
        lambda cell, separator: f'"{cell}\n{cell}"',
        lambda cell, separator: f'"a""{cell}"',
        lambda cell, separator: f'{cell}"b',
        lambda cell, separator: f'"{cell}"b',  # refused by the csv module (strict)
        lambda cell, separator: f' "{cell}"',
        lambda cell, separator: '"' + cell,  # unterminated: the rest is one field
    ]
)
"""Ways to write a cell in a CSV with quotes, some of them wrong."""
ENDINGS = st.sampled_from(["\n", "\r\n", "\r"])
OPTIONS = st.fixed_dictionaries(
    {},
    optional={
        "x_type": st.sampled_from(["auto", "number", "date", "category"]),
        "y_type": st.sampled_from(["auto", "number", "date", "category"]),
        "group": st.just("g"),
        "color_column": st.just("g"),
        "size_column": st.just("g"),
        "label_column": st.just("g"),
        "yerr_column": st.just("g"),
        "y_column": st.sampled_from(["y", "y,g"]),
        "decimal": st.sampled_from([".", ","]),
    },
)


@st.composite
def csv_bodies(draw: st.DrawFn) -> tuple[str, str, dict[str, str]]:
    """A quote-free CSV body, its separator, and the query that reads it."""
    separator = draw(SEPARATORS)
    ending = draw(ENDINGS)
    names = draw(st.sampled_from([["x", "y"], ["x", "y", "g"], [" x", "y ", "g"], ["x", "x"]]))
    quotes = draw(st.booleans())
    if quotes and draw(st.booleans()):
        names = [f'"{name}"' for name in names]
    lines = [separator.join(names)]
    for _ in range(draw(st.integers(0, 6))):
        width = len(names) + draw(st.sampled_from([0, 0, 0, 0, -1, 1]))
        cells = draw(st.lists(CELLS, min_size=width, max_size=width))
        cells = [cell.replace(separator, " ") for cell in cells]
        if quotes:
            cells = [draw(QUOTINGS)(cell, separator) for cell in cells]
        lines.append(separator.join(cells))
        if draw(st.integers(0, 5)) == 0:
            lines.append("")  # a blank line
    text = ending.join(lines) + draw(st.sampled_from(["", ending]))
    query = draw(OPTIONS)
    if separator == "|" or draw(st.booleans()):
        query["delimiter"] = {"\t": "tab"}.get(separator, separator)
    return text, separator, query


def _outcome(text: str, query: dict[str, str]) -> tuple[object, ...]:
    try:
        request = parse_request(
            params=query,
            headers={"content-type": "text/csv"},
            body=text.encode(),
            settings=LIMITS,
        )
    except ScatterPlotError as error:
        return ("error", type(error).__name__, error.status, error.field, str(error))
    return ("chart", request.spec.digest(), request.skipped)


@EXAMPLES
@given(csv_bodies())
def test_the_fast_reader_reads_as_the_csv_module_does(
    case: tuple[str, str, dict[str, str]],
) -> None:
    text, separator, query = case
    with ANY_SIZE:
        fast = _outcome(text, query)
    with (
        mock.patch("shared.request.tables.csv_layout", return_value=None),
        mock.patch("shared.request.tables.quoted_layout", return_value=None),
    ):
        assert _outcome(text, query) == fast


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('x,y\n1,"2"\n', "a quote"),
        ("x,y\n1,2\x00\n", "a NUL character"),
        ("y\n1\n2\n", "one column"),
        ("\nx,y\n1,2\n", "a blank first line"),
        ("x,y\n1," + "9" * 200_000 + "\n", "a field longer than the csv module allows"),
    ],
)
@ANY_SIZE
def test_the_csv_module_reads_what_the_fast_reader_leaves(text: str, reason: str) -> None:
    assert csv_layout(text, separator=",", max_points=10) is None, reason


@ANY_SIZE
def test_a_column_of_numbers_is_read_without_a_string_per_cell() -> None:
    columns = columns_from_csv("x;y\n1;2,5\n\n3;NA\r\n4;-1e3", max_points=10, max_columns=10)
    x, y = columns["x"], columns["y"]
    assert isinstance(x, CsvColumn) and isinstance(y, CsvColumn)
    numbers = x.numbers()
    assert numbers is not None and list(numbers) == [1.0, 3.0, 4.0]
    assert y.numbers() is None  # "2,5" is text without decimal=,
    assert y[0] == "2,5" and y[-1] == "-1e3" and len(y) == 3
    assert list(y) == ["2,5", "NA", "-1e3"]


@ANY_SIZE
def test_decimal_comma_cells_are_read_as_before() -> None:
    columns = columns_from_csv("x;y\n1;2,5\n3;4", max_points=10, max_columns=10, decimal=",")
    assert list(columns["y"]) == ["2.5", "4"] and columns["y"][0] == "2.5"


@pytest.mark.parametrize(
    ("text", "error", "says"),
    [
        ("x,y\n1,2\r3,4,5\n", InvalidData, "CSV data row 2 has 3 fields; the header has 2"),
        ("x,y\n1,2\n\n3\n", InvalidData, "CSV data row 2 has 1 fields"),
        ("x,y\r\n\r\n", InvalidData, "a header but no data rows"),
        ("x,x\n1,2\n", InvalidData, "repeats a column name"),
        ("x,y\n1,2\r3,4\r5,6\r7,8\n", TooLarge, "more than 3 rows"),
    ],
)
@ANY_SIZE
def test_row_errors_match_the_csv_modules(text: str, error: type[Exception], says: str) -> None:
    with pytest.raises(error, match=says):
        columns_from_csv(text, max_points=3, max_columns=10)


def test_a_million_rows_cost_a_few_times_their_bytes() -> None:
    rows = 1_000_000
    body = ("x,y,a,b,c\n" + "1,2,ab,cd,ef\n" * rows).encode()
    tracemalloc.start()
    try:
        request = parse_request(
            params={"output": "image"},
            headers={"content-type": "text/csv"},
            body=body,
            settings=Settings(),
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(request.spec.x) == rows and np.all(request.spec.y == 2.0)
    assert peak < 24 * 2**20 + 6 * len(body), f"peak {peak} bytes for {len(body)}"


def test_a_small_body_is_left_to_the_csv_module() -> None:
    assert csv_layout("x,y\n" + "1,2\n" * 1000, separator=",", max_points=5000) is None
    assert csv_layout("x,y\n" + "1,2\n" * 20_000, separator=",", max_points=50_000) is not None


@st.composite
def date_columns(draw: st.DrawFn) -> list[str]:
    """Date cells sharing a zone (as a column of them does), with a few odd ones."""
    zone = draw(st.sampled_from(["", "Z", "+01:00", "-05:30", "+0100", "+01", "+1:00", "z"]))
    cell = st.builds(
        lambda blank, day, time, fraction, tail: f"{blank}{day}{time}{fraction}{zone}{tail}",
        st.sampled_from(["", "", "", " ", "\t", "\x1c", "\xa0"]),
        st.sampled_from(["2024-01-05", "2024-02-29", "2023-02-29", "0999-12-31", "9000-12-31"]),
        st.sampled_from(["T10:30", " 23:59:59", "T00:00:00", "T00:00:00", "", "T24:00"]),
        st.sampled_from(["", "", ".5", ".123456", ".1234567"]),
        st.sampled_from(["", "", "", "", " ", "x"]),
    )
    missing = st.sampled_from(["", "NA", " n/a ", "null"])
    return draw(st.lists(st.one_of(cell, cell, cell, missing), min_size=1, max_size=8))


@settings(max_examples=500, deadline=None)
@given(date_columns())
def test_dates_read_at_once_are_the_dates_read_one_by_one(cells: list[str]) -> None:
    fast = values._dates_fast(cells)
    event("read at once" if fast is not None else "read one by one")
    if fast is None:
        return
    for cell, number in zip(cells, fast, strict=True):
        one = None if values._is_missing(cell) else values.parse_date(cell)
        assert (np.isnan(number) and one is None) or number == one, (cell, number, one)


@pytest.mark.parametrize("cell", ["nan", "inf", "-Infinity"])
def test_x_type_date_names_a_nan_cell(cell: str) -> None:
    body = f"x,y\n2024-01-05,1\n{cell},2\n".encode()
    with pytest.raises(InvalidData, match=f"x\\[1\\] is '{cell}', not a date") as raised:
        parse_request(
            params={"x_type": "date"},
            headers={"content-type": "text/csv"},
            body=body,
            settings=LIMITS,
        )
    assert raised.value.field == "x"


@ANY_SIZE
def test_a_body_with_quotes_is_counted_by_the_csv_module_and_read_by_pandas() -> None:
    text = 'x,"y"\r\n"1","a, ""b"""\n\n2,"c\r\nd"\r\n3,e"f\n'
    columns = columns_from_csv(text, max_points=10, max_columns=10)
    x, y = columns["x"], columns["y"]
    assert isinstance(x, CsvColumn) and isinstance(y, CsvColumn) and len(y) == 3
    with mock.patch.object(CsvLayout, "_csv_module_column", side_effect=AssertionError):
        numbers = x.numbers()
        assert numbers is not None and list(numbers) == [1.0, 2.0, 3.0]
        assert list(y) == ['a, "b"', "c\r\nd", 'e"f']
    with pytest.raises(MalformedBody, match="malformed"):
        columns_from_csv('x,y\n1,"2"3\n', max_points=10, max_columns=10)
    assert csv_layout('x,"y"\r1,2\r', separator=",", max_points=10) is None
    assert quoted_layout('x,"y"\r1,2\r', separator=",", max_points=10) is None  # lone \r


@pytest.mark.parametrize(
    ("tail", "booleans"), [(b"TRUE", True), (b"fAlSe", True), (b"TRUx", False), (b"", False)]
)
def test_a_true_or_false_anywhere_is_found_across_chunks(tail: bytes, booleans: bool) -> None:
    from shared.request import csvfast

    data = b"x" * (csvfast._CHUNK - 2) + tail  # across the first MiB's end
    assert CsvLayout(data, ",", ["x", "y"], None, rows=1).has_booleans is booleans
