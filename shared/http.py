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

from .errors import ScatterPlotError

__all__ = ["error_response", "json_response", "request_parts", "respond"]

logger = logging.getLogger("scatterplot")

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


def respond(
    req: func.HttpRequest,
    handler: Callable[[func.HttpRequest], func.HttpResponse],
    *,
    name: str,
) -> func.HttpResponse:
    """Run ``handler`` and map whatever it raises; log one line with status and timing."""
    started = time.perf_counter()
    try:
        response = handler(req)
    except ScatterPlotError as error:
        response = error_response(error)
        logger.warning(
            "%s %s %d %s field=%s", name, req.method, error.status, error.code, error.field
        )
        return response
    except Exception:
        logger.exception("%s %s failed", name, req.method)
        return error_response(_INTERNAL)
    logger.info(
        "%s %s %d bytes=%d ms=%.1f",
        name,
        req.method,
        response.status_code,
        len(response.get_body() or b""),
        (time.perf_counter() - started) * 1000,
    )
    return response
