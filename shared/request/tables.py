"""Turning client data (JSON arrays, tables, CSV, query lists) into the chart's x and y arrays."""

from __future__ import annotations

import csv
import io
import itertools
import math
from collections.abc import Mapping, Sequence
from operator import itemgetter

import numpy as np

from ..errors import InvalidData, InvalidOption, MalformedBody, TooLarge, shorten
from ..spec import FloatArray
from .columns import check_column_count, check_csv_width, check_unique_names

__all__ = [
    "MAX_MAGNITUDE",
    "Columns",
    "columns_from_csv",
    "columns_from_rows",
    "columns_from_table",
    "reference_data",
    "select_xy",
    "to_array",
]

Columns = dict[str, Sequence[object]]
"""A table as column name -> values, in the column order of the source."""

_NUMBER_TYPES = frozenset({int, float})
MAX_MAGNITUDE = 1e300
"""Largest absolute data value (the same bound as the axis limit options)."""


def reference_data(n: int, seed: int | None) -> tuple[FloatArray, FloatArray]:
    """The original recipe's data: x = 0..n-1, y[i] = i + a random integer in [-1000, 1000]."""
    rng = np.random.default_rng(seed)
    x = np.arange(n, dtype=np.float64)
    y = x + rng.integers(-1000, 1000, size=n, endpoint=True)
    return _readonly(x), _readonly(y)


def to_array(values: object, field: str, *, max_points: int) -> FloatArray:
    """Convert a list of numbers or numeric strings into a read-only float64 array.

    Raises ``InvalidData`` for anything but a non-empty list of finite numbers, and ``TooLarge``
    before converting a list longer than ``max_points``.
    """
    if not isinstance(values, list | tuple):
        raise InvalidData(f"{field} must be a list of numbers, got {shorten(values)}", field=field)
    if len(values) > max_points:
        raise TooLarge(
            f"{field} has {len(values)} values; at most {max_points} points are allowed",
            field=field,
        )
    if not values:
        raise InvalidData(f"{field} is empty; send at least one point", field=field)
    types = set(map(type, values))
    try:
        # numbers, or strings only: numpy converts them in C; anything else goes one by one
        if not (types <= _NUMBER_TYPES or types == {str}):
            raise ValueError
        array = np.array(values, dtype=np.float64)
    except (ValueError, OverflowError):
        # one by one, for the index and value of the first bad one in the message
        array = np.array([_to_float(v, field, i) for i, v in enumerate(values)])
    if not np.isfinite(array).all():
        index = int(np.flatnonzero(~np.isfinite(array))[0])
        raise InvalidData(
            f"{field}[{index}] is {shorten(values[index])}; values must be finite numbers",
            field=field,
        )
    too_big = np.abs(array) > MAX_MAGNITUDE
    if too_big.any():
        index = int(np.flatnonzero(too_big)[0])
        raise InvalidData(
            f"{field}[{index}] is {shorten(values[index])}; values must be between "
            f"-{MAX_MAGNITUDE:g} and {MAX_MAGNITUDE:g} (axis margins and ticks beyond that "
            "overflow)",
            field=field,
        )
    return _readonly(array)


def _to_float(value: object, field: str, index: int) -> float:
    """One value as a float: numbers and numeric strings pass; anything else is ``InvalidData``."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InvalidData(
            f"{field}[{index}] is {shorten(value)}; values must be numbers", field=field
        )
    try:
        number = float(value.strip() if isinstance(value, str) else value)
    except (ValueError, OverflowError):
        raise InvalidData(
            f"{field}[{index}] is {shorten(value)}; values must be numbers", field=field
        ) from None
    if not math.isfinite(number):
        raise InvalidData(
            f"{field}[{index}] is {shorten(value)}; values must be finite numbers", field=field
        )
    return number


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


def columns_from_csv(text: str, *, max_points: int, max_columns: int) -> Columns:
    """Columns of a CSV document whose first row names the columns (blank lines skipped)."""
    lines = max(text.count("\n"), text.count("\r"))
    if lines > max_points + 1:
        raise TooLarge(
            f"the CSV has {lines} lines; at most {max_points + 1} are allowed "
            f"(a header and {max_points} rows)"
        )
    check_csv_width(text, max_columns=max_columns, max_points=max_points)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
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
        raise InvalidData(
            f"CSV data row {index + 1} has {len(rows[index])} fields; the header has {len(names)}"
        )
    return _transpose(names, rows)


def select_xy(
    columns: Columns,
    *,
    x_column: str | None,
    y_column: str | None,
    max_points: int,
    where: str = "table",
) -> tuple[FloatArray, FloatArray]:
    """Pick x and y out of a table by name.

    Without ``x_column``/``y_column`` the columns named ``x`` and ``y`` are used; a table with
    just two columns of other names is read as x then y; a table with only a ``y`` column is
    plotted against its row number.
    """
    names = list(columns)
    x_name, y_name = x_column, y_column
    if x_name is None and y_name is None and "x" not in columns and "y" not in columns:
        if len(names) == 2:
            x_name, y_name = names
    y_name = y_name if y_name is not None else ("y" if "y" in columns else None)
    if x_name is None and "x" in columns:
        x_name = "x"
    for option, name in (("x_column", x_name), ("y_column", y_name)):
        if name is not None and name not in columns:
            raise InvalidOption(
                f"{option} {shorten(name)} is not a column of the {where}; "
                f"its columns are {shorten(names, 200)}",
                field=option,
            )
    if y_name is None:
        raise InvalidData(
            f"the {where} has no 'y' column; name one with y_column "
            f"(its columns are {shorten(names, 200)})",
            field="y_column",
        )
    y = to_array(list(columns[y_name]), y_name, max_points=max_points)
    if x_name is None:
        x = np.arange(len(y), dtype=np.float64)
        x.flags.writeable = False
    else:
        x = to_array(list(columns[x_name]), x_name, max_points=max_points)
    if len(x) != len(y):
        raise InvalidData(f"x has {len(x)} values but y has {len(y)}; they must match")
    return x, y
