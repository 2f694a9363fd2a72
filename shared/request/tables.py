"""Client tables in every shape the service reads, as columns of raw values.

Shapes: Azure ML tables (``ColumnNames`` + ``Values``) and swagger rows, CSV (comma, semicolon,
tab or pipe separated), and pandas' JSON orients ``split``, ``records`` and ``columns`` (what
``DataFrame.to_json()`` writes). Values stay as sent (strings, numbers, ``None``);
``shared.request.values`` reads them and ``shared.request.data`` picks what the chart uses.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Mapping, Sequence
from operator import itemgetter

import numpy as np

from ..errors import InvalidData, MalformedBody, TooLarge, shorten
from ..spec import FloatArray
from .columns import (
    CSV_SEPARATORS,
    check_column_count,
    check_csv_header,
    check_csv_width,
    check_unique_names,
)

__all__ = [
    "Columns",
    "columns_from_csv",
    "columns_from_pandas_columns",
    "columns_from_rows",
    "columns_from_split",
    "columns_from_table",
    "reference_data",
    "sniff_delimiter",
]

Columns = dict[str, Sequence[object]]
"""A table as column name -> values, in the column order of the source."""

DECIMAL_COMMA = re.compile(r"\s*[-+]?\d*,\d+(?:[eE][-+]?\d+)?\s*")
"""A number written with a decimal comma."""

DELIMITER_NAMES = {",": ",", ";": ";", "|": "|", "\t": "\t", "tab": "\t"}
"""The ``delimiter`` option's values and the separator each means."""


def reference_data(n: int, seed: int | None) -> tuple[FloatArray, FloatArray]:
    """The original recipe's data: x = 0..n-1, y[i] = i + a random integer in [-1000, 1000]."""
    rng = np.random.default_rng(seed)
    x = np.arange(n, dtype=np.float64)
    y = x + rng.integers(-1000, 1000, size=n, endpoint=True)
    return _readonly(x), _readonly(y)


def _readonly(array: FloatArray) -> FloatArray:
    array.flags.writeable = False
    return array


def columns_from_table(table: object, where: str, *, max_points: int, max_columns: int) -> Columns:
    """Columns of an Azure ML table ``{"ColumnNames": [...], "Values": [[...], ...]}``."""
    if not isinstance(table, Mapping):
        raise InvalidData(f"{where} must be a table object or a list of rows", field=where)
    names = table.get("ColumnNames")
    rows = table.get("Values")
    if isinstance(names, list):
        check_column_count(len(names), where, max_columns=max_columns)
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise InvalidData(f"{where}.ColumnNames must be a list of column names", field=where)
    check_unique_names(names, f"{where}.ColumnNames", field=where)
    if not isinstance(rows, list):
        raise InvalidData(f"{where}.Values must be a list of rows", field=where)
    if len(rows) > max_points:
        raise TooLarge(f"{where} has {len(rows)} rows; at most {max_points} points are allowed")
    if set(map(type, rows)) - {list} or set(map(len, rows)) - {len(names)}:
        index, row = next(
            (i, r) for i, r in enumerate(rows) if not isinstance(r, list) or len(r) != len(names)
        )
        raise InvalidData(
            f"{where}.Values[{index}] must be a list of {len(names)} values "
            f"(one per column), got {shorten(row)}",
            field=where,
        )
    return _transpose(names, rows)


def _transpose(names: list[str], rows: Sequence[Sequence[object]]) -> Columns:
    """Rows of equal width as columns (``zip(*rows)`` is ten times slower on a million rows)."""
    return {name: list(map(itemgetter(i), rows)) for i, name in enumerate(names)}


def columns_from_rows(
    rows: list[object], where: str, *, max_points: int, max_columns: int
) -> Columns:
    """Columns of Azure ML's swagger input: a list of ``{"column": value}`` rows."""
    if len(rows) > max_points:
        raise TooLarge(f"{where} has {len(rows)} rows; at most {max_points} points are allowed")
    names: list[str] = []
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise InvalidData(f"{where}[{index}] must be an object of column values", field=where)
        if index == 0:
            check_column_count(len(row), where, max_columns=max_columns)
            names = list(row)
        elif list(row) != names:
            raise InvalidData(
                f"{where}[{index}] has columns {shorten(list(row))}; "
                f"every row needs the same columns as the first, {shorten(names)}",
                field=where,
            )
    return {name: [row[name] for row in rows] for name in names}  # type: ignore[index]


def sniff_delimiter(text: str) -> str:
    """The separator of a CSV's header row: the most frequent of ``,`` ``;`` tab outside
    quotes (a comma when none occurs or on a tie, as a single-column table has none)."""
    header = text.lstrip("\r\n").split("\n", 1)[0]
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda sep: (counts[sep], sep == ","))
    return best if counts[best] else ","


def columns_from_csv(
    text: str,
    *,
    max_points: int,
    max_columns: int,
    delimiter: str | None = None,
    decimal: str = ".",
) -> Columns:
    """Columns of a CSV document whose first row names the columns (blank lines skipped).

    ``delimiter`` is the separator (``None``: guessed from the header row by
    ``sniff_delimiter``). Cells stay strings; blank ones are missing values. With
    ``decimal=","``, cells that are numbers written with a decimal comma (``1,5``, ``-0,25``)
    are read with a decimal point; other cells are kept as they are.
    """
    lines = max(text.count("\n"), text.count("\r"))
    if lines > max_points + 1:
        raise TooLarge(
            f"the CSV has {lines} lines; at most {max_points + 1} are allowed "
            f"(a header and {max_points} rows)"
        )
    import csv  # CSV bodies only

    separators = (delimiter,) if delimiter is not None else CSV_SEPARATORS
    check_csv_header(text, max_columns=max_columns, separators=separators)
    separator = delimiter if delimiter is not None else sniff_delimiter(text)
    check_csv_width(text, separator=separator, max_columns=max_columns, max_points=max_points)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=separator)
    try:
        header = next(reader, None)
        if header is None:
            raise InvalidData("the CSV body is empty; send a header row and data rows")
        rows = list(itertools.islice(filter(None, reader), max_points + 1))
    except csv.Error as error:
        raise MalformedBody(f"the CSV body is malformed: {error}") from None
    if len(rows) > max_points:
        raise TooLarge(f"the CSV has more than {max_points} rows; that is the limit")
    names = [name.strip() for name in header]
    if len(set(names)) != len(names):
        raise InvalidData(f"the CSV header repeats a column name: {shorten(names)}")
    widths = set(map(len, rows))
    if widths - {len(names)}:
        index = next(i for i, row in enumerate(rows) if len(row) != len(names))
        shown = {"\t": "tab"}.get(separator, separator)
        raise InvalidData(
            f"CSV data row {index + 1} has {len(rows[index])} fields; the header has "
            f"{len(names)} (fields separated by {shown!r}; set delimiter if that is wrong)"
        )
    if not rows:
        raise InvalidData("the CSV has a header but no data rows; send at least one row")
    columns = _transpose(names, rows)
    if decimal == ",":
        return {name: [_decimal_point(cell) for cell in cells] for name, cells in columns.items()}
    return columns


def _decimal_point(cell: object) -> object:
    text = str(cell)
    return text.replace(",", ".") if "," in text and DECIMAL_COMMA.fullmatch(text) else cell


def columns_from_split(document: Mapping[str, object], where: str, *, max_points: int) -> Columns:
    """Columns of pandas' ``orient="split"``: ``{"columns", "index", "data": [[...], ...]}``.

    The index is not a column (``DataFrame.reset_index()`` makes it one).
    """
    names = document.get("columns")
    rows = document.get("data")
    if not isinstance(names, list) or not all(isinstance(n, str | int | float) for n in names):
        raise InvalidData(f"{where} columns must be a list of column names", field=where)
    if not isinstance(rows, list):
        raise InvalidData(f"{where} data must be a list of rows", field=where)
    if len(rows) > max_points:
        raise TooLarge(f"{where} has {len(rows)} rows; at most {max_points} points are allowed")
    if set(map(type, rows)) - {list} or set(map(len, rows)) - {len(names)}:
        index, row = next(
            (i, r) for i, r in enumerate(rows) if not isinstance(r, list) or len(r) != len(names)
        )
        raise InvalidData(
            f"{where} data[{index}] must be a list of {len(names)} values (one per column), "
            f"got {shorten(row)}",
            field=where,
        )
    labels = [str(name) for name in names]
    check_unique_names(labels, f"{where} columns", field=where)
    return _transpose(labels, rows)


def columns_from_pandas_columns(
    document: Mapping[str, object], where: str, *, max_points: int
) -> Columns:
    """Columns of pandas' ``orient="columns"`` (``DataFrame.to_json()``'s default):
    ``{"a": {"0": 1, "1": 2}, "b": {"0": 3, "1": 4}}``, rows in the first column's index order."""
    columns: Columns = {}
    index: list[str] = []
    for position, (name, cells) in enumerate(document.items()):
        if not isinstance(cells, Mapping):
            raise InvalidData(
                f"{name} is {shorten(cells)} but the other columns are objects of index: value "
                "(pandas orient='columns'); send every column the same way",
                field=name,
            )
        if position == 0:
            index = list(cells)
            if len(index) > max_points:
                raise TooLarge(
                    f"{where} has {len(index)} rows; at most {max_points} points are allowed"
                )
        elif len(cells) != len(index) or any(key not in cells for key in index):
            raise InvalidData(
                f"column {shorten(name)} has other index labels than the first column; "
                "every column needs the same index",
                field=name,
            )
        columns[name] = [cells[key] for key in index]
    return columns
