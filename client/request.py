"""The command line's choices -> the HTTP request.

Without data the options go in the query string of a GET. ``--csv`` posts the file as
``text/csv`` and ``--json`` posts the JSON file, options still in the query string. With
``--bearer`` (an Azure ML Studio classic service) the request is the Azure ML JSON
``{"Inputs": {"input1": {"ColumnNames", "Values"}}, "GlobalParameters": {options}}``, values as
strings, as those services expect.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from .errors import ClientError
from .fetch import Outgoing

__all__ = ["CHART_OPTIONS", "build_request"]

_DECIMAL_COMMA = re.compile(r"\s*[-+]?\d*,\d+(?:[eE][-+]?\d+)?\s*")

CHART_OPTIONS = (
    "n",
    "seed",
    "group",
    "color_column",
    "size_column",
    "xerr_column",
    "yerr_column",
    "x_type",
    "y_type",
    "width",
    "height",
    "dpi",
    "title",
    "xlabel",
    "ylabel",
    "color",
    "size",
    "alpha",
    "marker",
    "cmap",
    "vmin",
    "vmax",
    "size_range",
    "xscale",
    "yscale",
    "xmin",
    "xmax",
    "ymin",
    "ymax",
    "grid",
    "transparent",
)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def options_of(args: Any) -> dict[str, str]:
    """The service options the user set, as strings."""
    options = {
        name: _text(getattr(args, name))
        for name in CHART_OPTIONS
        if getattr(args, name) is not None
    }
    for name in ("x_column", "y_column", "format"):
        if getattr(args, name) is not None:
            options[name] = getattr(args, name)
    if not args.bearer:  # with --bearer the client splits the CSV into an Azure ML table
        for name in ("delimiter", "decimal"):
            if getattr(args, name) is not None:
                options[name] = getattr(args, name)
    if args.output_shape is not None:
        options["output"] = args.output_shape
    return options


def _separator(text: str, delimiter: str | None) -> str:
    """The CSV's separator: as given, or the most frequent of , ; and tab in the header row
    (as the service guesses it)."""
    if delimiter is not None:
        return "\t" if delimiter == "tab" else delimiter
    header = text.lstrip("\r\n").split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: (counts[sep], sep == ","))
    return best if counts[best] else ","


def _decimal_point(cell: str) -> str:
    """A number written with a decimal comma, with a decimal point (other cells unchanged)."""
    return cell.replace(",", ".") if _DECIMAL_COMMA.fullmatch(cell) else cell


def _csv_table(
    data: bytes, delimiter: str | None = None, decimal: str | None = None
) -> dict[str, list[Any]]:
    try:
        text = data.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=_separator(text, delimiter)))
    except (UnicodeDecodeError, csv.Error) as error:
        raise ClientError(f"the CSV file cannot be read: {error}") from None
    rows = [row for row in rows if row]
    if len(rows) < 2:
        raise ClientError("the CSV file needs a header row and at least one data row")
    values = rows[1:]
    if decimal == ",":  # Azure ML tables carry numbers with a decimal point
        values = [[_decimal_point(cell) for cell in row] for row in values]
    return {"ColumnNames": rows[0], "Values": values}


def _json_table(document: dict[str, Any]) -> dict[str, list[Any]]:
    columns = {key: value for key, value in document.items() if isinstance(value, list)}
    if not columns:
        raise ClientError('the JSON file has no columns: give {"x": [...], "y": [...]}')
    names = list(columns)
    rows = [[_text(value) for value in row] for row in zip(*columns.values(), strict=False)]
    return {"ColumnNames": names, "Values": rows}


def _azureml_body(args: Any, options: dict[str, str]) -> bytes:
    inputs: dict[str, Any] = {}
    parameters: dict[str, Any] = dict(options)
    if args.csv is not None:
        inputs = {"input1": _csv_table(args.csv, args.delimiter, args.decimal)}
    elif args.json is not None and "Inputs" in args.json:
        inputs = args.json["Inputs"]
        parameters = {**args.json.get("GlobalParameters", {}), **options}
    elif args.json is not None:
        inputs = {"input1": _json_table(args.json)}
    return json.dumps({"Inputs": inputs, "GlobalParameters": parameters}).encode()


def build_request(args: Any, *, key: str | None) -> Outgoing:
    """The request for the parsed command line ``args``."""
    options = options_of(args)
    headers = {"Accept": "application/json, image/*;q=0.9"}
    if args.bearer:
        headers["Authorization"] = f"Bearer {args.bearer}"
        headers["Content-Type"] = "application/json"
        return Outgoing("POST", args.url, {}, headers, _azureml_body(args, options))
    if key:
        headers["x-functions-key"] = key
    if args.output_shape == "image":
        headers["Accept"] = "image/*, application/json;q=0.5"
    if args.csv is not None:
        headers["Content-Type"] = "text/csv"
        return Outgoing("POST", args.url, options, headers, args.csv)
    if args.json is not None:
        headers["Content-Type"] = "application/json"
        return Outgoing("POST", args.url, options, headers, json.dumps(args.json).encode())
    return Outgoing("GET", args.url, options, headers)
