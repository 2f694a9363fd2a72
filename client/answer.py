"""Every answer shape the service (or an Azure ML Studio classic service) gives -> image bytes.

``azureml``  ``{"Results": {"output1": {"type": "table", "value": {["ColumnNames": [...],]
             "Values": [["data:..."]]}}}}``
``swagger``  ``{"Results": {"output1": [{"image": "data:..."}]}}``
``pandas``   ``{"columns": ["image"], "index": [0], "data": [["data:..."]]}``
``record``   ``{"image": "data:..."}``
``image``    the raw bytes, typed by ``Content-Type``

An error answer becomes the ``ServiceError`` subclass for its status, carrying the service's
``{"error": {"code", "message", "field"}}`` (Azure ML's ``details[0].target`` as the field).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

import httpx

from .chart import Chart
from .errors import AnswerError, ServiceError, service_error_class
from .images import ALIASES, MEDIA_TYPES, check_image

__all__ = ["extract_image", "from_data_uri", "image_uri", "read_answer", "service_error"]

HINTS = {
    401: "the service wants a function key: pass key= (--key) or set SCATTERPLOT_KEY",
    403: "the key was refused",
}


def from_data_uri(uri: str) -> tuple[str, bytes]:
    """The media type and bytes of a base64 ``data:`` URI (as ``shared.answer.encoding`` reads them;
    kept here so the client does not import the renderer)."""
    head, comma, payload = uri.partition(",")
    if not comma or not head.startswith("data:") or not head.endswith(";base64"):
        raise AnswerError(f"the answer's image is not a base64 data: URI: {uri[:40]!r}")
    mimetype = head[len("data:") : -len(";base64")] or "text/plain"
    try:
        return mimetype, base64.b64decode(payload, validate=True)
    except binascii.Error as error:
        raise AnswerError(f"the answer's data: URI has bad base64: {error}") from None


def _column(names: Any, rows: Any) -> str | None:
    """The ``image`` column of the first row (the first data: URI when there are no names)."""
    if not isinstance(rows, list) or not rows or not isinstance(rows[0], list):
        return None
    row = rows[0]
    if isinstance(names, list) and "image" in names:
        index = names.index("image")
        value = row[index] if index < len(row) else None
        return value if isinstance(value, str) else None
    return next((v for v in row if isinstance(v, str) and v.startswith("data:")), None)


def image_uri(document: Any) -> str | None:
    """The ``data:`` URI in any JSON answer shape, or ``None``."""
    if not isinstance(document, dict):
        return None
    if isinstance(document.get("image"), str):
        return str(document["image"])
    if "data" in document and "columns" in document:
        return _column(document["columns"], document["data"])
    results = document.get("Results")
    if isinstance(results, dict) and results:
        output = results.get("output1", next(iter(results.values())))
        if isinstance(output, list) and output and isinstance(output[0], dict):
            value = output[0].get("image")
            return value if isinstance(value, str) else None
        if isinstance(output, dict):
            table = output.get("value", output)
            if isinstance(table, dict):
                return _column(table.get("ColumnNames"), table.get("Values"))
    return None


def extract_image(response: httpx.Response) -> tuple[str, bytes]:
    """The announced media type and the bytes of the image in a successful answer."""
    mimetype = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if mimetype in MEDIA_TYPES or mimetype.startswith("image/"):
        return mimetype, response.content
    try:
        document = json.loads(response.content)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise AnswerError(
            f"the answer is {mimetype or 'untyped'} and neither an image nor JSON"
        ) from None
    uri = image_uri(document)
    if uri is None:
        raise AnswerError("the JSON answer holds no image (no Azure ML, pandas or record shape)")
    return from_data_uri(uri)


ERROR_HEADER = "x-scatterplot-error"
"""An error answered as an image (to a caller that asked for one) carries its JSON here."""


def _error_fields(response: httpx.Response) -> tuple[str | None, str | None, str | None]:
    """The code, message and field of a JSON error answer, or of an image error's header."""
    try:
        error = json.loads(response.content).get("error")
    except (ValueError, AttributeError, UnicodeDecodeError):
        error = None
    if not isinstance(error, dict) and ERROR_HEADER in response.headers:
        try:
            error = json.loads(response.headers[ERROR_HEADER]).get("error")
        except (ValueError, AttributeError):
            error = None
    if not isinstance(error, dict):
        return None, None, None
    code, message, field = error.get("code"), error.get("message"), error.get("field")
    details = error.get("details")
    if field is None and isinstance(details, list) and details and isinstance(details[0], dict):
        field = details[0].get("target")
    return (
        code if isinstance(code, str) else None,
        message if isinstance(message, str) and message else None,
        field if isinstance(field, str) else None,
    )


def service_error(response: httpx.Response) -> ServiceError:
    """The exception for an error answer: the service's message, or what the status means."""
    status = response.status_code
    code, message, field = _error_fields(response)
    if message is None:
        if status == 404:
            message = (
                f"no function answers GET/POST at {response.request.url.copy_with(query=None)}"
            )
        elif 300 <= status < 400 and "location" in response.headers:
            message = f"the service moved to {response.headers['location']}"
        else:
            message = HINTS.get(status, response.reason_phrase or "no message")
    return service_error_class(status)(message, status=status, code=code, field=field)


def read_answer(response: httpx.Response, *, asked_format: str | None = None) -> Chart:
    """The chart in a success answer; the ``ScatterPlotError`` for any other."""
    if not response.is_success:
        raise service_error(response)
    mimetype, data = extract_image(response)
    image_format = check_image(mimetype, data)
    wanted = ALIASES.get(asked_format, asked_format) if asked_format else None
    if wanted is not None and image_format != wanted:
        raise AnswerError(f"asked for {asked_format} but the answer is {image_format}")
    return Chart(data, image_format, mimetype, response.headers)
