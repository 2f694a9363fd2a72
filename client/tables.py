"""What ``draw(data, x=..., y=...)`` is given -> the request body and the column options.

Tables go to the service as CSV with a header row, the form every version of the service reads
and the one that keeps what the data holds: dates as ISO 8601 text (``2024-01-05``,
``2024-01-05 10:30:00+00:00``), categories as their labels, numbers as Python writes them
(``repr``, exact), and missing values (``None``, NaN, NaT, ``pd.NA``) as blank cells, which the
service leaves out and counts. A pandas ``DataFrame`` is written by ``DataFrame.to_csv``;
pandas and numpy are recognised by their methods, never imported.

``data`` may be:

- ``None``: the service's reference data, or the ``x=``/``y=`` values alone;
- a pandas ``DataFrame`` or ``Series``;
- a mapping of column names to sequences (lists, tuples, numpy arrays, pandas Series);
- a list of records (mappings), a list of rows, or a list of numbers (y against the row number);
- a numpy array: 1-D (y against the row number), 2-D (columns ``x``, ``y`` for two columns,
  ``0``, ``1``, ... otherwise), or structured (its field names);
- a path (``str`` or ``os.PathLike``) to a CSV file (``.json``: JSON; ``.tsv``: tab-separated),
  sent as it is;
- a ``Body``: bytes sent as they are, with their media type.

``x=`` and ``y=`` are column names (a list of names for several y columns) or sequences of
values, which become columns of the table.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import UsageError
from .options import suggest

__all__ = ["Body", "prepare"]

MEDIA_TYPES = {".json": "application/json", ".tsv": "text/tab-separated-values"}
CSV = "text/csv"


@dataclass(frozen=True, slots=True)
class Body:
    """Bytes sent to the service as they are, with their media type (``text/csv``,
    ``application/json``, ...)."""

    content: bytes
    mimetype: str = CSV


Columns = dict[str, list[Any]]


def _is_frame(data: object) -> bool:
    return hasattr(data, "to_csv") and hasattr(data, "columns") and hasattr(data, "index")


def _is_series(data: object) -> bool:
    return hasattr(data, "to_frame") and hasattr(data, "index") and hasattr(data, "tolist")


def _is_array(data: object) -> bool:
    return hasattr(data, "ndim") and hasattr(data, "tolist") and hasattr(data, "dtype")


def _is_sequence(data: object) -> bool:
    """A list, tuple, range, numpy array or pandas Series; not text."""
    if isinstance(data, str | bytes):
        return False
    return isinstance(data, Sequence) or _is_array(data) or _is_series(data)


def _values(sequence: Any) -> list[Any]:
    """A column's cells as a list (numpy and pandas through ``tolist``)."""
    values = sequence.tolist() if hasattr(sequence, "tolist") else list(sequence)
    return values if isinstance(values, list) else [values]


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT
    except (TypeError, ValueError):
        return True  # pd.NA: its comparisons are NA themselves


def _cell(value: object) -> str:
    if isinstance(value, str):
        return value
    if _missing(value):
        return ""
    isoformat = getattr(value, "isoformat", None)  # datetime, date, pandas Timestamp
    return str(isoformat()) if callable(isoformat) else str(value)


@dataclass
class _Table:
    """The data as columns (or a pandas frame), with the columns ``x=``/``y=`` values add."""

    names: list[str]
    rows: int | None
    columns: Columns = field(default_factory=dict)
    frame: Any = None
    added: Columns = field(default_factory=dict)
    given: bool = True  # False: no data, so x= and y= can only be values

    def body(self) -> Body:
        if self.frame is not None:
            frame = self.frame.assign(**self.added) if self.added else self.frame
            return Body(frame.to_csv(index=False, lineterminator="\n").encode())
        return _csv({**self.columns, **self.added})

    def column(self, keyword: str, name: str) -> str:
        """``name``, checked to be a column."""
        if name not in self.names:
            raise UsageError(
                f"{keyword}={name!r} is not a column of the data "
                f"(columns: {', '.join(map(repr, self.names))}){suggest(name, self.names)}",
                code="InvalidData",
                field=name,
            )
        return name

    def add(self, keyword: str, values: Any) -> str:
        """A new column holding ``values``; its name (a Series keeps its own)."""
        cells = _values(values)
        if self.rows is not None and len(cells) != self.rows:
            raise UsageError(
                f"{keyword}= has {len(cells)} values but the data has {self.rows} rows",
                code="InvalidData",
                field=keyword,
            )
        own = getattr(values, "name", None)
        base = own if isinstance(own, str) and own else keyword
        name, number = base, 1
        while name in self.names:
            name, number = f"{base}_{number}", number + 1
        self.names.append(name)
        self.added[name] = cells
        self.rows = len(cells)
        return name

    def axis(self, keyword: str, axis: object) -> str | None:
        """The column ``x=``/``y=`` stands for: a name, several names, or added values."""
        if axis is None:
            return None
        if not _is_sequence(axis):
            return self.column(keyword, str(axis))
        items = _values(axis)
        names = isinstance(axis, Sequence) and all(isinstance(item, str) for item in items)
        if (
            self.given
            and names
            and items
            and (set(items) <= set(self.names) or len(items) != self.rows)
        ):
            return ",".join(self.column(keyword, item) for item in items)
        return self.add(keyword, axis)


def _cells(values: list[Any]) -> list[str]:
    """A column's cells as CSV text; plain numbers and text without a call per value."""
    kinds = set(map(type, values))
    if kinds <= {int, str}:
        return list(map(str, values))
    if kinds <= {int, float}:
        return [repr(value) if value == value else "" for value in values]
    return list(map(_cell, values))


def _csv(columns: Columns) -> Body:
    lengths = {name: len(cells) for name, cells in columns.items()}
    if len(set(lengths.values())) > 1:
        shown = ", ".join(f"{name}: {length}" for name, length in lengths.items())
        raise UsageError(f"the columns differ in length ({shown})", code="InvalidData")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(zip(*map(_cells, columns.values()), strict=True))
    return Body(buffer.getvalue().encode())


def _columns_table(columns: Columns) -> _Table:
    lengths = {len(cells) for cells in columns.values()}
    rows = lengths.pop() if len(lengths) == 1 else None
    return _Table(list(columns), rows, columns)


def _from_mapping(data: Mapping[Any, Any]) -> Columns:
    columns: Columns = {}
    for name, sequence in data.items():
        if not _is_sequence(sequence):
            raise UsageError(
                f"column {name!r} is a {type(sequence).__name__}, not a sequence of values",
                code="InvalidData",
                field=str(name),
            )
        columns[str(name)] = _values(sequence)
    return columns


def _from_rows(rows: list[Any]) -> Columns:
    """Records, rows, or plain values (y against the row number)."""
    if all(isinstance(row, Mapping) for row in rows):
        names = list(dict.fromkeys(str(key) for row in rows for key in row))
        return {name: [row.get(name) for row in rows] for name in names}
    if all(_is_sequence(row) for row in rows):
        width = len(rows[0])
        if any(len(row) != width for row in rows):
            raise UsageError("the rows differ in length", code="InvalidData")
        names = ["x", "y"] if width == 2 else [str(index) for index in range(width)]
        return {name: [row[index] for row in rows] for index, name in enumerate(names)}
    return {"x": list(range(len(rows))), "y": rows}


def _from_array(array: Any) -> Columns:
    names = getattr(array.dtype, "names", None)
    if names:
        return {str(name): array[name].tolist() for name in names}
    if array.ndim == 1:
        return _from_rows(array.tolist())
    if array.ndim != 2:
        raise UsageError(f"a {array.ndim}-D array: give 1-D or 2-D data", code="InvalidData")
    columns = array.T.tolist()
    names = ["x", "y"] if len(columns) == 2 else [str(index) for index in range(len(columns))]
    return dict(zip(names, columns, strict=True))


def _frame_table(frame: Any, x: object, y: object) -> tuple[_Table, object, object]:
    """A DataFrame or Series (y, unless ``y=`` says otherwise); the index becomes the x column
    when x is not given (and the frame has no ``x`` column), or when ``x=`` names the index."""
    if not _is_frame(frame):
        frame = frame.to_frame(name=frame.name if frame.name is not None else "y")
        y = str(frame.columns[0]) if y is None else y
    if getattr(frame.columns, "nlevels", 1) > 1:
        raise UsageError("the frame has several column levels: flatten them first")
    names = [str(label) for label in frame.columns]
    if len(set(names)) != len(names):
        raise UsageError("the frame has two columns of the same name", code="InvalidData")
    index = frame.index.name
    names_index = isinstance(x, str) and x == index and x not in names
    if (x is None and "x" not in names) or names_index:
        if getattr(frame.index, "nlevels", 1) > 1:
            raise UsageError("the frame's index has several levels: name a column with x=")
        x = str(index) if index is not None and str(index) not in names else "x"
        frame = frame.rename_axis(x).reset_index()
        names.insert(0, str(x))
    return _Table(names, len(frame), frame=frame), x, y


def _table(data: object, x: object, y: object) -> tuple[_Table | None, object, object]:
    """The table for ``data`` (``None``: the reference data), and ``x`` and ``y`` (a frame's
    index may become x, a Series is y)."""
    if _is_frame(data) or _is_series(data):
        return _frame_table(data, x, y)
    if data is None:
        if (x is not None and not _is_sequence(x)) or (y is not None and not _is_sequence(y)):
            raise UsageError("x= and y= name columns, but no data was given", code="InvalidData")
        if x is None and y is None:
            return None, x, y
        table = _Table([], None, given=False)
        if x is None:
            table.add("x", range(len(_values(y))))
        return table, x, y
    if isinstance(data, Mapping):
        return _columns_table(_from_mapping(data)), x, y
    if _is_array(data):
        return _columns_table(_from_array(data)), x, y
    if isinstance(data, Sequence) and not isinstance(data, str | bytes) and data:
        return _columns_table(_from_rows(list(data))), x, y
    raise UsageError(
        f"data is a {type(data).__name__}: give a DataFrame, a dict of columns, a list, a numpy "
        "array, a CSV file's path, a Body, or None",
        code="InvalidData",
    )


def _file(path: str | os.PathLike[str]) -> Body:
    location = Path(path)
    try:
        content = location.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {location}: {error.strerror}") from None
    return Body(content, MEDIA_TYPES.get(location.suffix.lower(), CSV))


def _names(keyword: str, axis: object) -> str | None:
    """``x=``/``y=`` over a file or Body: column names only."""
    if axis is None:
        return None
    if not _is_sequence(axis):
        return str(axis)
    items = _values(axis)
    if not isinstance(axis, Sequence) or not all(isinstance(item, str) for item in items):
        raise UsageError(f"{keyword}= must name columns when data is a file or a Body")
    return ",".join(items)


def prepare(data: object, x: object = None, y: object = None) -> tuple[Body | None, dict[str, str]]:
    """The body to send (``None``: no data) and the column options ``x_column``/``y_column``."""
    if isinstance(data, bytes):
        raise UsageError("data is bytes: give Body(content, mimetype), or a file's path")
    if isinstance(data, Body | str | os.PathLike):
        named = {"x_column": _names("x", x), "y_column": _names("y", y)}
        body = data if isinstance(data, Body) else _file(data)
        return body, {option: name for option, name in named.items() if name is not None}
    table, x, y = _table(data, x, y)
    if table is None:
        return None, {}
    options: dict[str, str] = {}
    for keyword, axis in (("x", x), ("y", y)):
        name = table.axis(keyword, axis)
        if name is not None and name != keyword:
            options[f"{keyword}_column"] = name
    return table.body(), options
