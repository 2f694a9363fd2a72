"""Errors an ``<img>`` can show: a 4xx answer drawn as an image when the caller wanted one.

A page that embeds ``<img src=".../ScatterPlot?...">`` shows a broken image for a JSON error,
and nobody sees why. So when the caller asked for an image, a 4xx answer's body is a small
image in the asked format showing the error, with the same status, and the JSON error
(``{"error": {"code", "message", "field"}}``, ASCII with every other character escaped) in
the ``X-ScatterPlot-Error`` header. Callers that asked for JSON get the JSON error as before.

Whether the caller wanted an image is read from the raw request, since the error may come
before the options are known (a bad option, a body that is not JSON): ``output`` and
``format`` from the query string, else from a JSON body's top level or its
``GlobalParameters``, else from a form body; with no ``output``, the ``Accept`` header decides
as it does for a chart (``choose_output``: an image type preferred to JSON, or a browser
opening the URL). A ``format`` the service does not write gives PNG; an ``Accept`` header
that rules out the image type keeps the JSON error. Neither image nor header ever quotes the
function key (``code``, ``x-functions-key``).
"""

from __future__ import annotations

import io
import json
import textwrap
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

import msgspec
from matplotlib.figure import Figure

from ..chart.mpllock import MATPLOTLIB_LOCK
from ..errors import NotAcceptable, ScatterPlotError
from ..formats import FORMATS, canonical_format, mimetype_of
from ..request.ignored import is_json, media_of
from ..request.negotiation import choose_output, media_quality

__all__ = ["ERROR_HEADER", "error_header", "error_image", "wanted_format"]

ERROR_HEADER = "X-ScatterPlot-Error"
_MAX_BODY = 1 << 20
"""A body larger than this is not decoded again to find ``output`` (the query still counts)."""
_MAX_MESSAGE = 1000
_SIZE = ((160, 1024, 640), (80, 768, 480))  # (smallest, largest, default) width and height


def _raw_options(
    params: Mapping[str, str], headers: Mapping[str, str], body: bytes
) -> dict[str, Any]:
    """``output``, ``format``, ``width`` and ``height`` as the caller sent them, if found."""
    found: dict[str, Any] = {}
    media = media_of(headers.get("content-type", ""))
    if body and len(body) <= _MAX_BODY:
        document: Any = None
        if is_json(media) or (media in ("", "application/x-www-form-urlencoded")):
            try:
                document = msgspec.json.decode(body)
            except (msgspec.DecodeError, RecursionError, UnicodeDecodeError):
                document = None
        if document is None and media == "application/x-www-form-urlencoded":
            try:
                document = dict(parse_qsl(body.decode("utf-8", "replace"), max_num_fields=200))
            except ValueError:
                document = None
        if isinstance(document, dict):
            parameters = document.get("GlobalParameters")
            for source in (parameters if isinstance(parameters, dict) else {}, document):
                found.update({k: v for k, v in source.items() if isinstance(k, str)})
    found.update(params)
    return found


def wanted_format(params: Mapping[str, str], headers: Mapping[str, str], body: bytes) -> str | None:
    """The image format the caller asked for, or ``None`` when it wants JSON."""
    raw = _raw_options(params, headers, body)
    asked = raw.get("format")
    output = raw.get("output")
    if asked == "swagger":
        return None
    if isinstance(asked, str):
        asked = canonical_format(asked)
    image_format = asked if isinstance(asked, str) and asked in FORMATS else "png"
    accept = headers.get("accept")
    if output is not None and output != "image":
        return None
    if output is None:
        try:
            if choose_output(accept, None, image_format) != "image":
                return None
        except NotAcceptable:
            return None
    if accept and accept.strip() and media_quality(accept, mimetype_of(image_format)) <= 0:
        return None
    return image_format


def _redacted(message: str, params: Mapping[str, str], headers: Mapping[str, str]) -> str:
    """``message`` with any function key the request carried replaced."""
    for secret in (params.get("code"), headers.get("x-functions-key")):
        if secret and len(secret) >= 4:
            message = message.replace(secret, "(key)")
    return message


def error_header(
    error: ScatterPlotError, params: Mapping[str, str], headers: Mapping[str, str]
) -> str:
    """The JSON error as a header value: ASCII, escaped, no key quoted, bounded."""
    body: dict[str, object] = {
        "code": error.code,
        "message": _redacted(error.message, params, headers)[:_MAX_MESSAGE],
    }
    if error.field is not None:
        body["field"] = error.field
    return json.dumps({"error": body}, ensure_ascii=True, separators=(",", ":"))


def _side(raw: Any, index: int) -> int:
    smallest, largest, default = _SIZE[index]
    try:
        value = int(str(raw))
    except ValueError:
        return default
    if not 16 <= value <= 4096:  # the size itself may be the error
        return default
    return min(max(value, smallest), largest)


def error_image(
    error: ScatterPlotError,
    image_format: str,
    params: Mapping[str, str],
    headers: Mapping[str, str],
    body: bytes,
) -> bytes:
    """The error drawn as an image in ``image_format``, about the size the caller asked for."""
    raw = _raw_options(params, headers, body)
    width, height = _side(raw.get("width"), 0), _side(raw.get("height"), 1)
    dpi = 100.0
    size = 10.0 if min(width, height) >= 200 else 7.0
    per_line = max(10, int((width - 20) / (0.62 * size * dpi / 72)))
    rows = max(1, int((height - 16) / (1.35 * size * dpi / 72)))
    field = f" ({error.field})" if error.field else ""
    message = _redacted(error.message, params, headers)[:_MAX_MESSAGE]
    lines = textwrap.wrap(f"ScatterPlot: {error.status} {error.code}{field}", per_line)
    lines += textwrap.wrap(message, per_line, break_long_words=True) or [""]
    if len(lines) > rows:
        lines = lines[: rows - 1] + [lines[rows - 1][: per_line - 1] + "\u2026"]
    buffer = io.BytesIO()
    with MATPLOTLIB_LOCK:
        figure = Figure(figsize=(width / dpi, height / dpi), dpi=dpi)
        figure.text(
            8 / width,
            1 - 8 / height,
            "\n".join(lines),
            fontsize=size,
            va="top",
            ha="left",
            color="#7a1010",
            parse_math=False,
        )
        figure.savefig(buffer, format=image_format, facecolor="#fff4f4")
    return buffer.getvalue()
