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
from typing import Any

from .errors import ClientError
from .fetch import Outgoing

__all__ = ["CHART_OPTIONS", "build_request"]

CHART_OPTIONS = (
    "n",
    "seed",
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
    "xscale",
    "yscale",
    "xmin",
    "xmax",
    "ymin",
    "ymax",
    "grid",
    "transparent",
    "quality",
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
    for name, dest in (("x_column", "x_column"), ("y_column", "y_column"), ("format", "format")):
        if getattr(args, dest) is not None:
            options[name] = getattr(args, dest)
    if args.output_shape is not None:
        options["output"] = args.output_shape
    return options


def _csv_table(data: bytes) -> dict[str, list[Any]]:
    try:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    except (UnicodeDecodeError, csv.Error) as error:
        raise ClientError(f"the CSV file cannot be read: {error}") from None
    rows = [row for row in rows if row]
    if len(rows) < 2:
        raise ClientError("the CSV file needs a header row and at least one data row")
    return {"ColumnNames": rows[0], "Values": rows[1:]}


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
        inputs = {"input1": _csv_table(args.csv)}
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
