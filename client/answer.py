"""Every answer shape the service (or an Azure ML Studio classic service) gives -> image bytes.

``azureml``  ``{"Results": {"output1": {"type": "table", "value": {["ColumnNames": [...],]
             "Values": [["data:..."]]}}}}``
``swagger``  ``{"Results": {"output1": [{"image": "data:..."}]}}``
``pandas``   ``{"columns": ["image"], "index": [0], "data": [["data:..."]]}``
``record``   ``{"image": "data:..."}``
``image``    the raw bytes, typed by ``Content-Type``
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

import httpx

from .errors import ClientError
from .images import MEDIA_TYPES

__all__ = ["extract_image", "from_data_uri", "image_uri"]


def from_data_uri(uri: str) -> tuple[str, bytes]:
    """The media type and bytes of a base64 ``data:`` URI (as ``shared.answer.encoding`` reads them;
    kept here so the client does not import the renderer)."""
    head, comma, payload = uri.partition(",")
    if not comma or not head.startswith("data:") or not head.endswith(";base64"):
        raise ClientError(f"the answer's image is not a base64 data: URI: {uri[:40]!r}")
    mimetype = head[len("data:") : -len(";base64")] or "text/plain"
    try:
        return mimetype, base64.b64decode(payload, validate=True)
    except binascii.Error as error:
        raise ClientError(f"the answer's data: URI has bad base64: {error}") from None


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
        raise ClientError(
            f"the answer is {mimetype or 'untyped'} and neither an image nor JSON"
        ) from None
    uri = image_uri(document)
    if uri is None:
        raise ClientError("the JSON answer holds no image (no Azure ML, pandas or record shape)")
    return from_data_uri(uri)
