"""Reading a big CSV body without a Python object per cell.

The csv module makes a list per row and a string per cell: a million rows of five short fields
held 478 MiB and took 1.3 s before a column was looked at. A CSV without quotes (what
spreadsheets and ``DataFrame.to_csv`` write for numbers, dates and plain text) is split the
same way by any parser, so here its rows are checked on the bytes with numpy (line ends, blank
lines, separators per line, as the csv module counts them), and pandas' C parser reads only
the columns the chart uses, when it uses them: as numbers straight into a float64 array
(missing values NaN) when every cell is one, else as text. ``tables.columns_from_csv`` keeps
the csv module for every other body (small ones, quotes, NUL characters, a one-column table,
a field longer than the csv module's limit), so every body is read as before, with the same
errors.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator, Sequence
from functools import cached_property
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from ..errors import InvalidData, MalformedBody, TooLarge, shorten
from ..spec import FloatArray

__all__ = ["MIN_CHARACTERS", "CsvColumn", "CsvLayout", "csv_layout", "quoted_layout"]

MIN_CHARACTERS = 64 * 1024
"""Smaller bodies (a few thousand rows, read in milliseconds) are left to the csv module, so a
request with a small CSV does not import pandas (~0.25 s the first time in a process)."""

Int32Array = npt.NDArray[np.int32]
_LINE_END = re.compile(rb"[\r\n]")
_LONE_CR = re.compile(rb"\r(?!\n)")
_LONE_CR_TEXT = re.compile(r"\r(?!\n)")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_CHUNK = 1 << 20


class CsvLayout:
    """A quote-free CSV body's rows: where each data row starts and ends in the bytes."""

    def __init__(
        self,
        data: bytes,
        separator: str,
        names: list[str],
        starts: Int32Array | None,
        *,
        rows: int | None = None,
    ) -> None:
        self.data = data
        self.separator = separator
        self.names = names
        self.starts = starts
        """Where each data row starts in ``data`` (blank lines are not rows); ``None`` for a
        body with quotes, whose rows the csv module counted."""
        self.quoted = starts is None
        self._rows = len(starts) if starts is not None else rows or 0

    @cached_property
    def has_booleans(self) -> bool:
        """Whether a cell may be ``true`` or ``false``: pandas reads a column of them as
        numbers (1 and 0), so such a body's columns are read as text."""
        data = self.data
        for start in range(0, len(data), _CHUNK):  # lower case a MiB at a time, overlapping
            chunk = data[start : start + _CHUNK + 4].lower()
            if b"true" in chunk or b"false" in chunk:
                return True
        return False

    @property
    def rows(self) -> int:
        """The number of data rows."""
        return self._rows

    def cell(self, row: int, column: int) -> str:
        """One cell's text, as the csv module would give it."""
        if self.quoted:
            return self._csv_module_column(column)[row]
        assert self.starts is not None
        start = int(self.starts[row])
        end = _LINE_END.search(self.data, start)
        line = self.data[start : end.start() if end else len(self.data)].decode("utf-8")
        return line.split(self.separator)[column]

    def read(self, column: int, *, numbers: bool, missing: frozenset[str]) -> Any:
        """One column read by pandas' C parser: float64 (``missing`` cells NaN) with
        ``numbers``, raising ``ValueError`` if a cell is no number; else its cells as text."""
        import csv

        import pandas as pd  # big CSV bodies only

        width = len(self.names)
        options: dict[str, Any] = (
            {"dtype": {column: "float64"}, "keep_default_na": False, "na_values": list(missing)}
            if numbers
            else {"dtype": {column: object}, "na_filter": False}
        )
        frame = pd.read_csv(
            io.BytesIO(self.data),
            sep=self.separator,
            engine="c",
            header=0,
            names=list(range(width)),
            usecols=[column],
            quoting=csv.QUOTE_MINIMAL if self.quoted else csv.QUOTE_NONE,
            doublequote=True,
            **options,
        )
        cells = frame[column].to_numpy()
        if len(cells) != self.rows:  # pandas split the rows otherwise than the csv module
            if numbers:
                raise ValueError("the rows pandas read differ from the rows counted")
            return self._csv_module_column(column)
        return cells

    def _csv_module_column(self, column: int) -> list[str]:
        """One column's cells as the csv module reads them, a row at a time."""
        rows = filter(None, _csv_reader(self.data.decode("utf-8"), self.separator))
        next(rows)
        return [row[column] for row in rows]


class CsvColumn(Sequence[object]):
    """One column of a quote-free CSV body, read when the chart asks for it.

    As a sequence it is the column's cells as text (read on first use; one cell alone is read
    from the bytes); ``numbers()`` is every cell as a float (NaN where missing), or ``None`` if
    a cell is not a number, without making a string per cell.
    """

    def __init__(
        self,
        layout: CsvLayout,
        column: int,
        *,
        missing: frozenset[str],
        convert: Callable[[object], object] | None = None,
    ) -> None:
        self._layout = layout
        self._column = column
        self._missing = missing
        self._convert = convert
        self._cells: list[object] | None = None
        self._numbers: FloatArray | None = None
        self._tried = False

    def numbers(self) -> FloatArray | None:
        """The cells as floats, NaN where missing; ``None`` if any cell is not a number
        (pandas refuses ``nan``, so a NaN here is always a missing value)."""
        if self._convert is not None or self._layout.has_booleans:
            return None
        if not self._tried:
            self._tried = True
            try:
                cells = self._layout.read(self._column, numbers=True, missing=self._missing)
            except ValueError:
                return None
            self._numbers = np.asarray(cells, dtype=np.float64)
        return self._numbers

    def text(self) -> list[object]:
        """The cells as text, as the csv module gives them (and ``decimal=,`` converts them)."""
        if self._cells is None:
            cells = self._layout.read(self._column, numbers=False, missing=self._missing)
            values: list[object] = cells if isinstance(cells, list) else cells.tolist()
            if self._convert is not None:
                values = [self._convert(cell) for cell in values]
            self._cells = values
        return self._cells

    def __len__(self) -> int:
        return self._layout.rows

    @overload
    def __getitem__(self, index: int) -> object: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[object]: ...
    def __getitem__(self, index: int | slice) -> object | Sequence[object]:
        if isinstance(index, slice) or self._cells is not None:
            return self.text()[index]
        if not -self._layout.rows <= index < self._layout.rows:
            raise IndexError(index)
        cell = self._layout.cell(index % self._layout.rows, self._column)
        return cell if self._convert is None else self._convert(cell)

    def __iter__(self) -> Iterator[object]:
        return iter(self.text())


def _line_breaks(data: bytes, body: npt.NDArray[np.uint8]) -> tuple[Int32Array, Int32Array]:
    """Where each line starts and how long its text is (without its line break: ``\n``,
    ``\r\n`` or ``\r``, as ``io`` splits lines with ``newline=""``), as int32: four bytes a
    line, so a body of the shortest lines holds a few times its size."""
    ends = body == 10
    carriage = b"\r" in data
    if carriage:
        ends |= body == 13
        ends[:-1] &= ~((body[:-1] == 13) & (body[1:] == 10))  # \r\n: the \n ends the line
    breaks = np.flatnonzero(ends).astype(np.int32)
    del ends
    if not len(breaks) or breaks[-1] != len(body) - 1:
        breaks = np.append(breaks, np.int32(len(body)))  # a last line without a line break
    starts = np.empty_like(breaks)
    starts[0] = 0
    starts[1:] = breaks[:-1]
    starts[1:] += 1
    lengths = breaks - starts
    if carriage:  # \r\n is two characters of line break
        inside = breaks[breaks < len(body)]
        crlf = np.zeros(len(breaks), dtype=bool)
        crlf[: len(inside)] = (body[inside] == 10) & (inside > 0)
        crlf[crlf] = body[breaks[crlf] - 1] == 13
        lengths -= crlf
    return starts, lengths


def _fields(body: npt.NDArray[np.uint8], starts: Int32Array, separator: int) -> Int32Array:
    """The fields of each line, as the csv module splits a line without quotes: one more than
    its separators. Counted a MiB of the body at a time (counting converts each byte to int32)."""
    fields = np.ones(len(starts), dtype=np.int32)
    edges = np.unique(np.searchsorted(starts, np.arange(0, len(body), _CHUNK)))
    for first, stop in zip(edges, [*edges[1:], len(starts)], strict=True):
        begin = int(starts[first])
        end = int(starts[stop]) if stop < len(starts) else len(body)
        chunk = body[begin:end] == separator
        fields[first:stop] += np.add.reduceat(chunk, starts[first:stop] - begin, dtype=np.int32)
    return fields


def csv_layout(text: str, *, separator: str, max_points: int) -> CsvLayout | None:
    """The layout of a CSV whose header is already checked, or ``None`` if the csv module must
    read it (quotes, NUL, one column, a blank first line, a line longer than its field limit)
    or reads it as fast (fewer than ``MIN_CHARACTERS``).

    Too many rows, a repeated column name, rows wider or narrower than the header and a header
    without rows are refused as ``tables.columns_from_csv`` refuses them after the csv module.
    """
    if len(text) < MIN_CHARACTERS or len(text) >= 2**31 or '"' in text or "\0" in text:
        return None
    data = text.encode("utf-8")
    if b"\r" in data:  # pandas misreads a row after a blank line ended by a lone \r
        data = _LONE_CR.sub(b"\n", data)  # the same lines, at the same places
    body = np.frombuffer(data, dtype=np.uint8)
    starts, lengths = _line_breaks(data, body)
    import csv  # CSV bodies only

    # a line longer than the csv module's longest field is left to it (it refuses that field)
    if lengths[0] == 0 or int(lengths.max()) > csv.field_size_limit():
        return None
    names = [name.strip() for name in data[: int(lengths[0])].decode("utf-8").split(separator)]
    if len(names) < 2:
        return None
    present = lengths > 0  # blank lines are no rows
    present[0] = False
    del lengths
    rows = int(np.count_nonzero(present))
    if rows > max_points:
        raise TooLarge(f"the CSV has more than {max_points} rows; that is the limit")
    if len(set(names)) != len(names):
        raise InvalidData(f"the CSV header repeats a column name: {shorten(names)}")
    fields = _fields(body, starts, ord(separator))
    wrong = np.flatnonzero(present & (fields != len(names)))
    if len(wrong):
        line = int(wrong[0])
        index = int(np.count_nonzero(present[:line]))
        shown = {"\t": "tab"}.get(separator, separator)
        raise InvalidData(
            f"CSV data row {index + 1} has {int(fields[line])} fields; the header has "
            f"{len(names)} (fields separated by {shown!r}; set delimiter if that is wrong)"
        )
    if not rows:
        raise InvalidData("the CSV has a header but no data rows; send at least one row")
    return CsvLayout(data, separator, names, starts[present])


def _lines(text: str) -> Iterator[str]:
    """``text``'s lines with their line breaks, one at a time, as ``io`` splits them with
    ``newline=""`` (``io.StringIO`` would hold four bytes a character)."""
    for line in _LINE.finditer(text):
        yield line.group()


def _csv_reader(text: str, separator: str) -> Iterator[list[str]]:
    import csv

    return csv.reader(_lines(text), strict=True, delimiter=separator)


def quoted_layout(text: str, *, separator: str, max_points: int) -> CsvLayout | None:
    """The layout of a big CSV with quotes: the csv module reads it a row at a time, keeping
    nothing but the count of rows, and refuses it as ``tables.columns_from_csv`` does; pandas
    then reads the columns the chart uses. ``None`` for the bodies ``csv_layout`` leaves that
    this does not take (small ones, NUL characters, a line ended by a lone ``\\r``, which
    pandas misreads after a blank line, one column)."""
    if len(text) < MIN_CHARACTERS or len(text) >= 2**31 or "\0" in text:
        return None
    if "\r" in text and _LONE_CR_TEXT.search(text):  # a \r may be inside a quoted cell
        return None
    import csv

    reader = _csv_reader(text, separator)
    rows = 0
    wrong: tuple[int, int] | None = None
    try:
        header = next(reader, None)
        if header is None or len(header) < 2:
            return None
        for row in reader:
            if row:
                rows += 1
                if rows > max_points:
                    break
                if wrong is None and len(row) != len(header):
                    wrong = (rows, len(row))
    except csv.Error as error:
        raise MalformedBody(f"the CSV body is malformed: {error}") from None
    if rows > max_points:
        raise TooLarge(f"the CSV has more than {max_points} rows; that is the limit")
    names = [name.strip() for name in header]
    if len(set(names)) != len(names):
        raise InvalidData(f"the CSV header repeats a column name: {shorten(names)}")
    if wrong is not None:
        shown = {"\t": "tab"}.get(separator, separator)
        raise InvalidData(
            f"CSV data row {wrong[0]} has {wrong[1]} fields; the header has "
            f"{len(names)} (fields separated by {shown!r}; set delimiter if that is wrong)"
        )
    if not rows:
        raise InvalidData("the CSV has a header but no data rows; send at least one row")
    return CsvLayout(text.encode("utf-8"), separator, names, None, rows=rows)
