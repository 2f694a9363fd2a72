"""The one place that turns results and errors into ``azure.functions.HttpResponse``.

Every function calls ``respond(req, handler, name=...)``: known errors become their JSON error
answer (logged at WARNING), anything else becomes a generic 500 (logged with its traceback).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping

import azure.functions as func
import msgspec

from ..errors import ScatterPlotError
from ..formats import mimetype_of
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

    The line carries sizes, timings and error codes only: never the body, the query string
    (it may hold the function key in ``code``) or the client's values.
    """
    started = time.perf_counter()
    received = len(req.get_body() or b"")
    code = "-"
    field = "-"
    try:
        response = handler(req)
    except ScatterPlotError as error:
        response = image_error_response(req, error) if image_errors else error_response(error)
        code = error.code
        field = _printable(error.field) if error.field else "-"
    except Exception:
        logger.exception("%s %s failed in=%d", name, req.method, received)
        response = error_response(_INTERNAL)
        code = _INTERNAL.code
    level = logging.INFO if response.status_code < 400 else logging.WARNING
    if response.status_code >= 500:
        level = logging.ERROR
    logger.log(
        level,
        "%s %s %d code=%s field=%s in=%d out=%d ms=%.1f",
        name,
        req.method,
        response.status_code,
        code,
        field,
        received,
        len(response.get_body() or b""),
        (time.perf_counter() - started) * 1000,
    )
    return response


def _printable(field: str) -> str:
    """A field name safe for one log line: the known option names, or a placeholder.

    An unknown option's name comes from the client (it could be anything, a key included),
    so only names the service itself defines are logged.
    """
    return field if field in _KNOWN_FIELDS else "(client-supplied)"
