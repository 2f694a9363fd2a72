"""Counting a client table's columns before anything is built per column.

A table's width costs memory per column (names, lists, conversions) long before x and y are
picked out of it, so the width is checked first: a CSV header's fields are counted in the
text itself (as the ``csv`` module will split them, quotes included, on every separator a CSV
may use before the separator is guessed, then on the one chosen) before the CSV is parsed,
and an Azure ML table's ``ColumnNames``, a swagger row's keys and a JSON body's list-valued
keys are counted before they are copied. Names must also be unique in every table shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from ..errors import InvalidData, MalformedBody, TooLarge, shorten

__all__ = [
    "CSV_SEPARATORS",
    "VALUES_PER_POINT",
    "check_column_count",
    "check_csv_header",
    "check_csv_width",
    "check_unique_names",
]

CSV_SEPARATORS = (",", ";", "\t")
"""The separators a CSV may use (``tables.sniff_delimiter`` picks one from the header)."""
_LINE_END = re.compile(r"[\r\n]")


def check_column_count(count: int, where: str, *, max_columns: int) -> None:
    """``TooLarge`` if a table of ``count`` columns is wider than ``max_columns``."""
    if count > max_columns:
        raise TooLarge(
            f"the {where} has {count} columns; at most {max_columns} are allowed "
            "(SCATTERPLOT_MAX_COLUMNS)"
        )


def check_unique_names(names: Iterable[str], where: str, *, field: str | None = None) -> None:
    """``InvalidData`` naming the first column name that repeats (``where`` holds the names)."""
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise InvalidData(
                f"{where} repeats the column name {shorten(name)}; column names must be unique",
                field=field,
            )
        seen.add(name)


@lru_cache(maxsize=16)
def _field(separator: str) -> re.Pattern[str]:
    """One CSV field as the csv module reads it (default dialect): a quoted field ("" is a
    quote inside it) or an unquoted one (where a quote is an ordinary character), then what
    ends it."""
    sep = re.escape(separator)
    return re.compile(rf'(?:"(?:[^"]|"")*+"|[^{sep}"\r\n][^{sep}\r\n]*+|)({sep}|\r\n?|\n|\Z)')


VALUES_PER_POINT = 4
"""Fields a CSV may hold per point, as for a JSON body: x, y and a few more columns."""
_SLACK = 1024


def check_csv_header(
    text: str, *, max_columns: int, separators: tuple[str, ...] = CSV_SEPARATORS
) -> None:
    """Refuse CSV text whose header splits into more than ``max_columns`` fields on any of
    ``separators``: run before the separator is guessed from the header, which reads it
    character by character."""
    for separator in separators:
        fields, _ = _header_fields(text, separator, max_columns + 1, strict=False)
        check_column_count(fields, "CSV header", max_columns=max_columns)


def check_csv_width(text: str, *, separator: str, max_columns: int, max_points: int) -> None:
    """Refuse CSV text whose header is wider than ``max_columns`` fields, or which holds more
    fields than ``VALUES_PER_POINT`` per point (each becomes an object when parsed).

    The header is counted field by field as the csv module splits it (a quoted field may hold
    separators and line breaks), stopping as soon as the limit is passed. A data row must be
    as wide as the header, which the parser checks; the separator count bounds what a wider
    row can cost before it is refused (a regular expression over every line cost 0.25 to
    0.7 s on a million rows, more than parsing them).
    """
    separators = text.count(separator)
    if separators > VALUES_PER_POINT * max_points + _SLACK:
        raise TooLarge(
            f"the CSV holds {separators} separators ({separator!r}); a chart of at most "
            f"{max_points} points allows up to {VALUES_PER_POINT} values per point"
        )
    fields, _ = _header_fields(text, separator, max_columns + 1)
    check_column_count(fields, "CSV header", max_columns=max_columns)


def _header_fields(text: str, separator: str, stop: int, *, strict: bool = True) -> tuple[int, int]:
    """The header's fields, up to ``stop``, and where the header ends: quoted fields may hold
    separators and line breaks. A header the csv module would refuse is ``MalformedBody``
    (``strict``) or counted up to where it goes wrong (a separator the CSV may not use)."""
    first_end = _LINE_END.search(text)
    header_end = first_end.start() if first_end else len(text)
    if '"' not in text[:header_end]:
        return text.count(separator, 0, header_end) + 1, header_end
    field = _field(separator)
    position = 0
    fields = 0
    while fields < stop:
        found = field.match(text, position)
        if found is None:
            if not strict:
                break
            raise MalformedBody(
                f"the CSV header is malformed near character {position}: a quoted field "
                "must end with a quote followed by a separator or a line break"
            )
        fields += 1
        position = found.end()
        if found.group(1) != separator:
            break
    return fields, position
