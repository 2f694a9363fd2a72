"""The one place that turns results and errors into ``azure.functions.HttpResponse``.

Every function calls ``respond(req, handler, name=...)``: known errors become their JSON error
answer (logged at WARNING), anything else becomes a generic 500 (logged with its traceback).
Each request logs exactly one record: its line, and for a 500 the exception's type and frames
(never its message, which may quote the client's values).
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable, Mapping

import azure.functions as func
import msgspec

from ..errors import ScatterPlotError
from ..formats import mimetype_of
from ..quiet import request_scope
from ..request.options import option_names
from .errorimage import ERROR_HEADER, error_header, error_image, wanted_format

__all__ = ["error_response", "image_error_response", "json_response", "request_parts", "respond"]

logger = logging.getLogger("scatterplot")

_KNOWN_FIELDS = frozenset(
    (*option_names(), "x", "y", "Inputs", "Inputs.input1", "GlobalParameters")
)
_INTERNAL = ScatterPlotError("the chart could not be made because of an internal error")


def request_parts(req: func.HttpRequest) -> tuple[dict[str, str], dict[str, str], bytes]:
    """The query parameters, the headers (lower-case names) and the body of ``req``."""
    headers = {name.lower(): value for name, value in req.headers.items()}
    return dict(req.params), headers, req.get_body() or b""


def json_response(
    document: object, *, status: int = 200, headers: Mapping[str, str] | None = None
) -> func.HttpResponse:
    """A JSON answer."""
    return func.HttpResponse(
        msgspec.json.encode(document),
        status_code=status,
        mimetype="application/json",
        headers=dict(headers or {}),
    )


def error_response(error: ScatterPlotError) -> func.HttpResponse:
    """The JSON error answer ``{"error": {"code", "message"}}`` with the error's status."""
    return json_response(
        error.to_dict(), status=error.status, headers={"Cache-Control": "no-store"}
    )


def image_error_response(req: func.HttpRequest, error: ScatterPlotError) -> func.HttpResponse:
    """A 4xx error as an image when the caller asked for one (``errorimage``), else as JSON."""
    if not 400 <= error.status < 500:
        return error_response(error)
    params, headers, body = request_parts(req)
    image_format = wanted_format(params, headers, body)
    if image_format is None:
        return error_response(error)
    try:
        image = error_image(error, image_format, params, headers, body)
    except Exception:  # pragma: no cover - the JSON error is always there to fall back on
        logger.exception("the error image could not be drawn")
        return error_response(error)
    return func.HttpResponse(
        image,
        status_code=error.status,
        mimetype=mimetype_of(image_format),
        headers={
            "Cache-Control": "no-store",
            ERROR_HEADER: error_header(error, params, headers),
            "Vary": "Accept",
        },
    )


def respond(
    req: func.HttpRequest,
    handler: Callable[[func.HttpRequest], func.HttpResponse],
    *,
    name: str,
    image_errors: bool = False,
) -> func.HttpResponse:
    """Run ``handler`` and map whatever it raises; log one line with status and timing.

    With ``image_errors`` a 4xx error is an image when the caller asked for an image.

    The line carries sizes, timings, error codes and how many warnings matplotlib raised
    (``warnings=``) only: never the body, the query string (it may hold the function key in
    ``code``) or the client's values.
    """
    started = time.perf_counter()
    received = len(req.get_body() or b"")
    code = "-"
    field = "-"
    failure = ""
    with request_scope() as warned:
        try:
            response = handler(req)
        except ScatterPlotError as error:
            response = image_error_response(req, error) if image_errors else error_response(error)
            code = error.code
            field = _printable(error.field) if error.field else "-"
        except Exception as error:
            failure = "\n" + _frames(error)
            response = error_response(_INTERNAL)
            code = _INTERNAL.code
    level = logging.INFO if response.status_code < 400 else logging.WARNING
    if response.status_code >= 500:
        level = logging.ERROR
    logger.log(
        level,
        "%s %s %d code=%s field=%s in=%d out=%d ms=%.1f warnings=%d%s",
        name,
        req.method,
        response.status_code,
        code,
        field,
        received,
        len(response.get_body() or b""),
        (time.perf_counter() - started) * 1000,
        warned.count,
        failure,
    )
    return response


def _frames(error: BaseException) -> str:
    """The traceback of ``error`` and of the errors it chains, as types and frames only.

    An exception's message may be built from the client's values (a title, a column name),
    so only its type is written, with the file, line, function and source line of each frame.
    """
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen and len(parts) < 8:
        seen.add(id(current))
        frames = "".join(traceback.format_list(traceback.extract_tb(current.__traceback__)))
        kind = type(current)
        name = (
            kind.__qualname__
            if kind.__module__ == "builtins"
            else f"{kind.__module__}.{kind.__qualname__}"
        )
        parts.append(f"Traceback (most recent call last):\n{frames}{name}")
        current = current.__cause__ or current.__context__
    return "\nwhile handling:\n".join(reversed(parts))


def _printable(field: str) -> str:
    """A field name safe for one log line: the known option names, or a placeholder.

    An unknown option's name comes from the client (it could be anything, a key included),
    so only names the service itself defines are logged.
    """
    return field if field in _KNOWN_FIELDS else "(client-supplied)"
