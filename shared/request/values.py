"""Reading one column of client values: numbers, dates or text, with missing values marked.

A column arrives as a list of JSON values or strings (CSV cells, Azure ML strings, query
lists). ``read_column`` decides what it holds, the way pandas and matplotlib users expect:

* **missing**: ``null``/``None``, a blank cell, or ``NA``, ``N/A``, ``#N/A``, ``null``,
  ``None`` (any case). ``NaN`` and ``inf`` are not missing: they are refused, as before.
* **number**: every other value is a number or a numeric string (finite, within ±1e300).
* **date**: every other value is an ISO 8601 date or date-time, ``2024-01-05``,
  ``2024-01-05T10:30``, ``2024-01-05 10:30:00.5``, with or without a zone (``Z``,
  ``+01:00``, ``+0100``, ``+01``). Times with a zone are converted to UTC; times without one
  are drawn as written. Dates become matplotlib date numbers (days since 1970-01-01).
* **category** (text): every other value is text that is neither a number nor a date.

A column that mixes numbers with text is refused (a typo in a numeric column should not turn
its axis into categories); ``x_type=category`` (or ``y_type``) reads it as text on purpose.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, Literal, cast

import numpy as np
import numpy.typing as npt
from matplotlib import dates as mdates

from ..errors import InvalidData, shorten
from ..spec import AxisKind, FloatArray
from .csvfast import CsvColumn

__all__ = [
    "DATE_RANGE",
    "MAX_MAGNITUDE",
    "MISSING_MARKERS",
    "MISSING_SPELLINGS",
    "ColumnType",
    "TypedColumn",
    "looks_like_date",
    "parse_date",
    "read_column",
    "read_labels",
]

ColumnType = Literal["auto", "number", "date", "category"]
BoolArray = npt.NDArray[np.bool_]

MISSING_MARKERS: Final = frozenset({"", "na", "n/a", "#n/a", "null", "none"})
"""Cells that mean "no value" (compared without surrounding blanks, in any case)."""
_LONGEST_MARKER: Final = max(map(len, MISSING_MARKERS))
MISSING_SPELLINGS: Final = frozenset(
    "".join(letters)
    for marker in MISSING_MARKERS
    for letters in itertools.product(*({c.lower(), c.upper()} for c in marker))
)
"""Every spelling of the markers in any case (``NA``, ``Na``, ``NULL``, ...): one set lookup."""
MAX_MAGNITUDE: Final = 1e300
"""Largest absolute data value (the same bound as the axis limit options)."""
DATE_RANGE: Final = (1000, 9000)
"""First and last year a date may fall in: matplotlib's date ticks and labels need room on
either side within the years 1 to 9999 that Python's dates can hold."""

date2num: Callable[[Any], Any] = mdates.date2num
"""matplotlib's own conversion to date numbers (untyped in matplotlib)."""
_NUMBER_TYPES: Final = frozenset({int, float})
_SCALAR_TYPES: Final = frozenset({int, float, str, type(None)})
_DATE: Final = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"
)
_SEPARATORS: Final = {4: (45,), 7: (45,), 10: (84, 32), 13: (58,), 16: (58,), 19: (46,)}
"""Where ``_iso_layout`` wants ``-``, ``T`` or a space, ``:`` and ``.`` (as code points); a
digit everywhere else."""
_BLANKS: Final = (9, 10, 11, 12, 13, 32)
"""The ASCII characters ``str.strip`` removes that ``bytes.strip`` removes too."""
_DECIMAL_COMMA: Final = re.compile(r"\s*[-+]?\d*,\d+\s*")
_MS_PER_DAY: Final = 86_400_000.0
_DATE_LOW: Final = float(date2num(np.datetime64(f"{DATE_RANGE[0]}-01-01")))
_DATE_HIGH: Final = float(date2num(np.datetime64(f"{DATE_RANGE[1] + 1}-01-01")))


@dataclass(frozen=True, slots=True, eq=False)
class TypedColumn:
    """One column read: numbers or date numbers (NaN where missing), or text labels."""

    name: str
    kind: AxisKind
    values: FloatArray | None = None
    """Numbers, or date numbers on a date column; NaN marks a missing value. ``None`` for text."""
    labels: tuple[str | None, ...] | None = None
    """The values as text on a category column, ``None`` where missing."""

    def missing(self) -> BoolArray:
        """True where the value is missing."""
        if self.values is not None:
            return np.isnan(self.values)
        labels = self.labels or ()
        return np.fromiter((label is None for label in labels), dtype=bool, count=len(labels))


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in MISSING_MARKERS)


def _check_scalar(values: Sequence[object], name: str) -> None:
    """Refuse values that are no column value at all: booleans, lists, objects."""
    if set(map(type, values)) <= _SCALAR_TYPES:
        return
    for index, value in enumerate(values):
        scalar = isinstance(value, int | float | str) and not isinstance(value, bool)
        if value is not None and not scalar:
            raise InvalidData(
                f"{name}[{index}] is {shorten(value)}; values must be numbers, dates or text",
                field=name,
            )


def _as_number(value: object) -> float | None:
    """A number or numeric string as a float (NaN and inf included); ``None`` for other text."""
    if isinstance(value, int | float):
        try:
            return float(value)
        except OverflowError:  # an integer of hundreds of digits
            return float("inf")
    try:
        return float(str(value).strip())
    except ValueError:
        return None
    except OverflowError:  # pragma: no cover - float() of a str gives inf instead
        return float("inf")


def _check_numbers(array: FloatArray, values: Sequence[object], name: str) -> FloatArray:
    """``array`` if every value is finite and within ±``MAX_MAGNITUDE`` (NaN = missing)."""
    present = ~np.isnan(array)
    bad = present & ~np.isfinite(array)
    if bad.any():
        index = int(np.flatnonzero(bad)[0])
        raise InvalidData(
            f"{name}[{index}] is {shorten(values[index])}; values must be finite numbers "
            "(leave the cell blank or write NA for a missing value)",
            field=name,
        )
    with np.errstate(invalid="ignore"):
        too_big = np.abs(array) > MAX_MAGNITUDE
    if too_big.any():
        index = int(np.flatnonzero(too_big)[0])
        raise InvalidData(
            f"{name}[{index}] is {shorten(values[index])}; values must be between "
            f"-{MAX_MAGNITUDE:g} and {MAX_MAGNITUDE:g} (axis margins and ticks beyond that "
            "overflow)",
            field=name,
        )
    return array


def _numbers_fast(values: Sequence[object]) -> FloatArray | None:
    """All values as floats, converted by numpy in C; ``None`` if any needs a closer look.

    A CSV column is read by pandas' C parser instead, NaN marking its missing values.
    """
    if isinstance(values, CsvColumn):
        return values.numbers()
    types = set(map(type, values))
    if not (types <= _NUMBER_TYPES or types == {str}):
        return None
    try:
        array = np.array(values, dtype=np.float64)
    except (ValueError, OverflowError):
        return None
    if np.isnan(array).any():  # a "nan" cell: refused below, with its index
        return None
    return array


def _numbers_slow(values: Sequence[object]) -> tuple[FloatArray, list[int]]:
    """Floats with NaN for missing values, and the indices of values that are not numbers."""
    array = np.empty(len(values), dtype=np.float64)
    text: list[int] = []
    nan = float("nan")
    for index, value in enumerate(values):
        if _is_missing(value):
            array[index] = nan
            continue
        number = _as_number(value)
        if number is None:
            text.append(index)
            array[index] = nan
        elif number != number:  # a NaN cell: not a missing value, refused as before
            array[index] = float("inf")
        else:
            array[index] = number
    return array, text


def _moment(text: str) -> datetime | None:
    """An ISO 8601 date or date-time as a naive UTC ``datetime``; ``None`` if it is not one."""
    text = text.strip()
    if not _DATE.fullmatch(text):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    if not DATE_RANGE[0] <= moment.year <= DATE_RANGE[1]:
        return None
    return moment


def parse_date(text: str) -> float | None:
    """An ISO 8601 date or date-time as a matplotlib date number (UTC); ``None`` if not one."""
    moment = _moment(text)
    return None if moment is None else float(date2num(np.datetime64(moment, "us")))


def looks_like_date(value: object) -> bool:
    """Whether ``value`` is a string that is an ISO 8601 date (a quick look before a column is
    read as numbers)."""
    return isinstance(value, str) and _moment(value) is not None


def _iso_layout(codes: npt.NDArray[np.uint8], lengths: npt.NDArray[np.intp]) -> bool:
    """Whether every cell is ``YYYY-MM-DD``, optionally followed by ``THH:MM``, ``:SS`` and
    ``.f`` to ``.ffffff`` (``T`` or a space): ``_DATE`` without a zone, checked on all cells at
    once, a column of characters at a time (a regular expression per cell costs ~1 us)."""
    if not len(lengths) or not np.isin(lengths, (10, 16, 19, 21, 22, 23, 24, 25, 26)).all():
        return False
    for position in range(min(codes.shape[1], 26)):
        column = codes[:, position]
        allowed = _SEPARATORS.get(position)
        fits = (column >= 48) & (column <= 57) if allowed is None else np.isin(column, allowed)
        if not (fits | (lengths <= position)).all():
            return False
    return True


def _drop_last(codes: npt.NDArray[np.uint8], lengths: npt.NDArray[np.intp], count: int) -> None:
    """Each cell without its last ``count`` characters, in place: a fixed-width cell ends at
    its first trailing NUL (``np.strings.replace`` or ``slice`` would copy every cell)."""
    rows = np.arange(len(codes))[:, None]
    codes[rows, lengths[:, None] - np.arange(1, count + 1)] = 0
    lengths -= count


def _utc_offsets(zones: npt.NDArray[np.uint8]) -> npt.NDArray[np.timedelta64] | None:
    """``+HH:MM`` or ``-HH:MM`` zone suffixes (six characters a row) as offsets from UTC;
    ``None`` if one is not."""
    codes = zones.astype(np.int64)
    digits = codes[:, [1, 2, 4, 5]] - 48
    signs = np.where(codes[:, 0] == 45, -1, 1)
    if not (np.isin(codes[:, 0], (43, 45)) & (codes[:, 3] == 58)).all():
        return None
    if ((digits < 0) | (digits > 9)).any():
        return None
    minutes = signs * ((digits[:, 0] * 10 + digits[:, 1]) * 60 + digits[:, 2] * 10 + digits[:, 3])
    offsets: npt.NDArray[np.timedelta64] = minutes.astype("timedelta64[m]")
    return offsets


def _ascii_cells(values: Sequence[object]) -> npt.NDArray[np.bytes_] | None:
    """Strings as one byte a character, without surrounding blanks; ``None`` if one is not
    ASCII (no date is) or is wider than 64 characters (the array is as wide as the longest)."""
    if not values or set(map(type, values)) != {str}:
        return None
    if max(map(len, cast(Sequence[str], values))) > 64:
        return None
    try:
        text = np.array(values, dtype=np.bytes_)
    except UnicodeEncodeError:
        return None
    width = text.dtype.itemsize
    if not width:
        return None
    codes = text.view(np.uint8).reshape(len(text), width)
    lengths = np.strings.str_len(text)
    ends = codes[np.arange(len(text)), np.maximum(lengths - 1, 0)]
    if np.isin(codes[:, 0], _BLANKS).any() or np.isin(ends, _BLANKS).any():
        text = np.strings.strip(text)  # other blanks fail the layout: read one by one
    return text


def _dates_fast(values: Sequence[object]) -> FloatArray | None:
    """A column of strings that are all dates without a zone, all in UTC (``Z``) or all with a
    ``+HH:MM`` zone, checked at once (``_iso_layout``) and parsed by numpy in C; ``None`` for
    anything else (``_dates`` then reads the values one by one)."""
    text = _ascii_cells(values)
    if text is None:
        return None
    lengths = np.strings.str_len(text)
    missing = lengths <= _LONGEST_MARKER
    if missing.any():  # lower case only the few short cells
        short = np.strings.lower(text[missing])
        missing[missing] = np.isin(short, [marker.encode() for marker in MISSING_MARKERS])
        text, lengths = text[~missing], lengths[~missing]
    if not len(text) or not text.dtype.itemsize:
        return None
    present = np.ascontiguousarray(text)
    codes = present.view(np.uint8).reshape(len(present), present.dtype.itemsize)
    rows = np.arange(len(present))
    offsets = None
    zoned = True
    if (codes[rows, np.maximum(lengths - 1, 0)] == 90).all():  # every cell ends with Z
        _drop_last(codes, lengths, 1)
    elif (lengths >= 22).all():  # a time and a "+HH:MM" zone, perhaps
        offsets = _utc_offsets(codes[rows[:, None], lengths[:, None] - np.arange(6, 0, -1)])
        if offsets is None:
            return None
        _drop_last(codes, lengths, 6)
    else:
        zoned = False
    if not _iso_layout(codes, lengths):
        return None
    try:
        stamps = present.astype("datetime64[us]")
    except ValueError:  # a day that does not exist: read one by one
        return None
    if zoned and (lengths < 16).any():  # a zone needs a time (as ``_DATE`` wants)
        return None
    if offsets is not None:
        stamps = stamps - offsets
    years = stamps.astype("datetime64[Y]").astype(np.int64) + 1970
    if years.min() < DATE_RANGE[0] or years.max() > DATE_RANGE[1]:
        return None
    array = np.full(len(values), np.nan)
    array[~missing] = date2num(stamps)
    return array


def _dates(values: Sequence[object], name: str, *, numbers_too: bool) -> FloatArray | None:
    """Date numbers (NaN where missing); ``None`` if a value is not a date.

    With ``numbers_too`` (``x_type=date``), numbers are milliseconds since 1970-01-01, what
    pandas' ``DataFrame.to_json()`` writes for dates.
    """
    fast = _dates_fast(values)
    if fast is not None:
        return fast
    moments: list[datetime | None] = []
    milliseconds: dict[int, float] = {}
    for index, value in enumerate(values):
        if _is_missing(value):
            moments.append(None)
            continue
        moment = _moment(value) if isinstance(value, str) else None
        if moment is None and numbers_too:
            number = _as_number(value)
            if number is not None and np.isfinite(number):
                days = number / _MS_PER_DAY
                if not _DATE_LOW <= days < _DATE_HIGH:
                    raise InvalidData(
                        f"{name}[{index}] is {shorten(value)}: as milliseconds since 1970 that "
                        f"is outside the years {DATE_RANGE[0]} to {DATE_RANGE[1]}",
                        field=name,
                    )
                milliseconds[index] = days
                moments.append(None)
                continue
        if moment is None:
            return None
        moments.append(moment)
    stamps = np.array(moments, dtype="datetime64[us]")  # None -> NaT, converted in C
    array: FloatArray = np.asarray(date2num(stamps), dtype=np.float64)  # NaT -> NaN
    for index, days in milliseconds.items():
        array[index] = days
    return array


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else str(value)


def read_labels(values: Sequence[object], name: str) -> tuple[str | None, ...]:
    """Any column's values as text (``None`` where missing): group names, categories."""
    if isinstance(values, CsvColumn):
        values = values.text()
    _check_scalar(values, name)
    if set(map(type, values)) == {str}:  # CSV and Azure ML cells: C-level passes
        cells = map(str.strip, values)  # type: ignore[arg-type]
        return tuple([None if cell in MISSING_SPELLINGS else cell for cell in cells])
    return tuple(None if _is_missing(value) else _text(value) for value in values)


def read_column(
    values: Sequence[object], name: str, wanted: ColumnType, *, option: str | None
) -> TypedColumn:
    """Read a column as ``wanted``; ``auto`` decides between number, date and category.

    ``option`` names the option that sets the type (``x_type``), for messages; ``None`` for a
    column whose type cannot be chosen (colours, sizes, errors).
    """
    if wanted == "category":
        return TypedColumn(name, "category", labels=read_labels(values, name))
    if wanted != "date":
        fast = _numbers_fast(values)
        if fast is not None:
            return TypedColumn(name, "number", values=_check_numbers(fast, values, name))
    if isinstance(values, CsvColumn):
        values = values.text()
    _check_scalar(values, name)
    if wanted == "auto":  # a column of dates is read as dates without trying numbers first
        first = next((value for value in values if not _is_missing(value)), None)
        if looks_like_date(first):
            dates = _dates(values, name, numbers_too=False)
            if dates is not None:
                return TypedColumn(name, "date", values=dates)
    numbers, text = _numbers_slow(values)
    if wanted != "date" and not text:
        return TypedColumn(name, "number", values=_check_numbers(numbers, values, name))
    if wanted == "number":
        index = text[0]
        raise InvalidData(
            f"{name}[{index}] is {shorten(values[index])}, not a number; {option}=number needs "
            "numbers (leave the cell blank or write NA for a missing value)",
            field=name,
        )
    dates = _dates(values, name, numbers_too=wanted == "date")
    if dates is not None:
        return TypedColumn(name, "date", values=dates)
    if wanted == "date":
        not_finite = np.flatnonzero(np.isinf(numbers)).tolist()  # nan and inf cells
        index = next(i for i in sorted([*text, *not_finite]) if parse_date(str(values[i])) is None)
        raise InvalidData(
            f"{name}[{index}] is {shorten(values[index])}, not a date; {option}=date needs "
            f"ISO 8601 dates like 2024-01-31 or 2024-01-31T10:30:00Z (years "
            f"{DATE_RANGE[0]} to {DATE_RANGE[1]}), or numbers of milliseconds since 1970",
            field=name,
        )
    present = ~np.isnan(numbers)
    if all(_DECIMAL_COMMA.fullmatch(str(values[i])) for i in text):
        raise InvalidData(
            f"{name}[{text[0]}] is {shorten(values[text[0]])}: {name} holds numbers written with "
            "a decimal comma; with a CSV body send decimal=, to read them as numbers (or "
            f"{option}=category to draw them as text)",
            field=name,
        )
    if present.any():
        # some values are numbers, others text: most likely a typo in a numeric column
        number_at = int(np.flatnonzero(present)[0])
        index = text[0]
        raise InvalidData(
            f"{name}[{index}] is {shorten(values[index])}, not a number, but {name}[{number_at}] "
            f"is the number {shorten(values[number_at])}; fix the value or leave it blank for a "
            "missing value"
            + (f", or send {option}=category to draw every value as a category" if option else ""),
            field=name,
        )
    return TypedColumn(name, "category", labels=read_labels(values, name))
