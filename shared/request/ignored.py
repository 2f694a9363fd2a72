"""Requests that would draw something other than what they ask for are refused, not drawn.

Each check names the key at fault and what would have worked:

* an empty body under a content type that promises data (``curl --data-binary @missing.csv``
  sends nothing, and would otherwise get the generated reference chart);
* an option about the client's table (``x_column``, ``group``, ``x_type``, ...) when no data
  is sent;
* a list in a plain JSON body that the chart does not draw: under an option's name
  (``"size": [10, 100]``) or as an extra column (``"y2": [...]``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import InvalidData, InvalidOption, MalformedBody, shorten
from .data import ChartData
from .options import DATA_OPTIONS, OPTION_HELP, option_names
from .tables import Columns

__all__ = [
    "CSV_TYPES",
    "is_json",
    "media_of",
    "refuse_data_options",
    "refuse_empty_body",
    "refuse_unused",
]

CSV_TYPES = ("text/csv", "application/csv", "text/tab-separated-values")
_HINTS = {
    "size": "for marker sizes from data, name the column with size_column",
    "color": "for colours from data, name the column with color_column",
    "x_column": "for several y columns use y_column, which takes a list",
}


def media_of(content_type: str) -> str:
    """The media type of a ``Content-Type`` header, lower case, without parameters."""
    return content_type.split(";")[0].strip().lower()


def is_json(media: str) -> bool:
    """Whether a media type is JSON."""
    return media in ("application/json", "text/json") or media.endswith("+json")


def refuse_empty_body(content_type: str) -> None:
    """An empty body under a content type that promises data is a mistake, not a request for
    the reference chart (``curl --data-binary @missing.csv`` sends nothing)."""
    media = media_of(content_type)
    if media in CSV_TYPES or is_json(media):
        raise MalformedBody(
            f"the body is empty, but Content-Type says {shorten(media)}: send the data (curl "
            "sends an empty body when the file named by --data-binary @FILE is missing), or "
            "send no Content-Type for the generated reference chart"
        )


def refuse_data_options(raw: Mapping[str, Any]) -> None:
    """Without data sent, options about the client's table would be silently ignored."""
    for name in DATA_OPTIONS:
        if name in raw:
            raise InvalidOption(
                f"{name} is about the data you send, but this request sends none (it would draw "
                "the generated reference chart); send a table (JSON, CSV, an Azure ML table or "
                "x and y lists) or leave out " + name,
                field=name,
            )


def refuse_unused(columns: Columns, data: ChartData) -> None:
    """A plain JSON body's lists are columns: one the chart does not draw is a mistake."""
    for name in columns:
        if name in data.used:
            continue
        if name in option_names():
            hint = _HINTS.get(name, "send it once, as a single value")
            raise InvalidOption(
                f"{name} is a list, but {name} takes one value ({OPTION_HELP[name]}); {hint}",
                field=name,
            )
        raise InvalidData(
            f"the JSON body's list {shorten(name)} is not used by the chart: plot it with "
            f"y_column (several names draw several series), group, color_column, size_column, "
            f"xerr_column, yerr_column or label_column, or leave it out",
            field=name,
        )
