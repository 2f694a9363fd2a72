"""Counting a client table's columns before anything is built per column.

A table's width costs memory per column (names, lists, conversions) long before x and y are
picked out of it, so the width is checked first: a CSV header's fields are counted in the
text itself (as the ``csv`` module will split them, quotes included) before the CSV is parsed,
and an Azure ML table's ``ColumnNames``, a swagger row's keys and a JSON body's list-valued
keys are counted before they are copied. Names must also be unique in every table shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from ..errors import InvalidData, MalformedBody, TooLarge, shorten

__all__ = ["VALUES_PER_POINT", "check_column_count", "check_csv_width", "check_unique_names"]

# One CSV field as the csv module reads it (default dialect): a quoted field ("" is a quote
# inside it) or an unquoted one (where a quote is an ordinary character), then what ends it.
_CSV_FIELD = re.compile(r'(?:"(?:[^"]|"")*+"|[^,"\r\n][^,\r\n]*+|)(,|\r\n?|\n|\Z)')
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


@lru_cache(maxsize=8)
def _wide_line(max_columns: int) -> re.Pattern[str]:
    """A physical line holding ``max_columns`` commas or more."""
    return re.compile(r"(?:\A|(?<=[\r\n]))(?:[^,\r\n]*+,){" + str(max_columns) + "}")


VALUES_PER_POINT = 4
"""Fields a CSV may hold per point, as for a JSON body: x, y and a few more columns."""
_SLACK = 1024


def check_csv_width(text: str, *, max_columns: int, max_points: int) -> None:
    """Refuse CSV text whose header, or any line, is wider than ``max_columns`` fields, or
    which holds more fields than ``VALUES_PER_POINT`` per point (each becomes an object).

    The header is counted field by field as the csv module splits it (a quoted field may hold
    commas and line breaks), stopping as soon as the limit is passed; every line after it is
    searched for ``max_columns`` commas, which no row of an acceptable table holds (a data
    row, which must be as wide as the header, is not counted field by field).
    """
    commas = text.count(",")
    if commas > VALUES_PER_POINT * max_points + _SLACK:
        raise TooLarge(
            f"the CSV holds {commas} commas; a chart of at most {max_points} points allows up "
            f"to {VALUES_PER_POINT} values per point"
        )
    first_end = _LINE_END.search(text)
    header_end = first_end.start() if first_end else len(text)
    if '"' in text[:header_end]:
        fields, header_end = _count_header_fields(text, max_columns + 1)
    else:
        fields = text.count(",", 0, header_end) + 1
    check_column_count(fields, "CSV header", max_columns=max_columns)
    wide = _wide_line(max_columns).search(text, header_end)
    if wide is not None:
        line = text.count("\n", 0, wide.start()) + 1
        raise TooLarge(
            f"CSV line {line} holds {max_columns} commas or more; a table may have at most "
            f"{max_columns} columns (SCATTERPLOT_MAX_COLUMNS)"
        )


def _count_header_fields(text: str, stop: int) -> tuple[int, int]:
    """The header's fields, up to ``stop``, and where the header ends: quoted fields may hold
    commas and line breaks."""
    position = 0
    fields = 0
    while fields < stop:
        found = _CSV_FIELD.match(text, position)
        if found is None:
            raise MalformedBody(
                f"the CSV header is malformed near character {position}: a quoted field "
                "must end with a quote followed by a comma or a line break"
            )
        fields += 1
        position = found.end()
        if found.group(1) != ",":
            break
    return fields, position
