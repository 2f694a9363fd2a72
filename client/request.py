"""The options and the body -> the HTTP request.

Without data the options go in the query string of a GET; with data the body is posted with
its media type, the options still in the query string. A function key goes in the
``x-functions-key`` header. With a bearer key (an Azure ML Studio classic service) the request
is the Azure ML JSON ``{"Inputs": {"input1": {"ColumnNames", "Values"}}, "GlobalParameters":
{options}}``, values as strings, as those services expect: a CSV body is split into that table,
a JSON body of columns is turned into it, and a JSON Azure ML request is sent with the options
added to its ``GlobalParameters``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from typing import Any

from .errors import UsageError
from .fetch import Outgoing
from .tables import Body

__all__ = ["ACCEPT_IMAGE", "ACCEPT_JSON", "build_request"]

_DECIMAL_COMMA = re.compile(r"\s*[-+]?\d*,\d+(?:[eE][-+]?\d+)?\s*")
ACCEPT_IMAGE = "image/*, application/json;q=0.5"
ACCEPT_JSON = "application/json, image/*;q=0.9"


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


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
    """An Azure ML table of a CSV, split as the service would split it (``delimiter`` and
    ``decimal`` as the service's options of those names)."""
    try:
        text = data.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=_separator(text, delimiter)))
    except (UnicodeDecodeError, csv.Error) as error:
        raise UsageError(f"the CSV data cannot be read: {error}") from None
    rows = [row for row in rows if row]
    if len(rows) < 2:
        raise UsageError("the CSV data needs a header row and at least one data row")
    values = rows[1:]
    if decimal == ",":  # Azure ML tables carry numbers with a decimal point
        values = [[_decimal_point(cell) for cell in row] for row in values]
    return {"ColumnNames": rows[0], "Values": values}


def _json_table(document: dict[str, Any]) -> dict[str, list[Any]]:
    columns = {key: value for key, value in document.items() if isinstance(value, list)}
    if not columns:
        raise UsageError('the JSON data has no columns: give {"x": [...], "y": [...]}')
    names = list(columns)
    rows = [[_text(value) for value in row] for row in zip(*columns.values(), strict=False)]
    return {"ColumnNames": names, "Values": rows}


def _azureml_body(body: Body | None, options: Mapping[str, str]) -> bytes:
    inputs: dict[str, Any] = {}
    parameters: dict[str, Any] = dict(options)
    if body is not None and body.mimetype == "application/json":
        try:
            document = json.loads(body.content)
        except ValueError as error:
            raise UsageError(f"the JSON data is not valid JSON: {error}") from None
        if not isinstance(document, dict):
            raise UsageError("the JSON data must be an object for an Azure ML service")
        if "Inputs" in document:
            inputs = document["Inputs"]
            parameters = {**document.get("GlobalParameters", {}), **options}
        else:
            inputs = {"input1": _json_table(document)}
    elif body is not None:
        # the client splits the CSV itself: the CSV options are used here, not sent
        delimiter = parameters.pop("delimiter", None)
        if delimiter is None and body.mimetype == "text/tab-separated-values":
            delimiter = "tab"
        inputs = {"input1": _csv_table(body.content, delimiter, parameters.pop("decimal", None))}
    return json.dumps({"Inputs": inputs, "GlobalParameters": parameters}).encode()


def build_request(
    url: str,
    body: Body | None,
    options: Mapping[str, str],
    *,
    key: str | None = None,
    bearer: str | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 60.0,
) -> Outgoing:
    """The request for ``options`` (checked, as strings) and ``body`` (``None``: no data)."""
    image = options.get("output", "image") == "image" and not bearer
    sent = {"Accept": ACCEPT_IMAGE if image else ACCEPT_JSON}
    if bearer:
        sent |= {"Authorization": f"Bearer {bearer}", "Content-Type": "application/json"}
        content = _azureml_body(body, options)
        return Outgoing("POST", url, {}, {**sent, **(headers or {})}, content, timeout)
    if key:
        sent["x-functions-key"] = key
    if body is None:
        return Outgoing("GET", url, dict(options), {**sent, **(headers or {})}, None, timeout)
    sent["Content-Type"] = body.mimetype
    return Outgoing("POST", url, dict(options), {**sent, **(headers or {})}, body.content, timeout)
