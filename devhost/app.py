"""The ASGI application: find the function, check its key, read the body, call it, log.

Answers as the Functions host does: an unknown route or a method the function does not list
is a 404 with an empty body; a missing or wrong key a 401; a body over 100 MB a 413 (refused
before it is read); a URL over 4 KB a 414; an exception in the function a 500 with an empty
body and the traceback in the log.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route as StarletteRoute
from starlette.types import Receive, Scope, Send

from .config import FunctionConfig
from .framing import Framing
from .inbound import build_request
from .invoke import Invocation
from .keys import Keys, presented_key
from .routes import Route, compile_route

__all__ = ["MAX_BODY_BYTES", "MAX_URL_BYTES", "Endpoint", "create_app"]

logger = logging.getLogger("devhost")

MAX_BODY_BYTES = 100 * 1024 * 1024
MAX_URL_BYTES = 4096


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A served function: its compiled route and how to call it."""

    route: Route
    function: FunctionConfig
    invoke: Invocation


class _BodyTooLarge(Exception):
    pass


def _order(endpoint: Endpoint) -> tuple[int, ...]:
    """ASP.NET Core's inbound route precedence: literal segments before constrained parameters,
    before plain parameters, before catch-alls, segment by segment."""
    return endpoint.route.precedence


def _empty(status: int) -> Response:
    return Response(b"", status_code=status)


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


class FunctionHost:
    """Routes requests to the app's functions."""

    def __init__(self, endpoints: Sequence[Endpoint], keys: Keys, max_body_bytes: int) -> None:
        self.endpoints = sorted(endpoints, key=_order)
        self.keys = keys
        self.max_body_bytes = max_body_bytes

    def find(self, path: str) -> list[tuple[Endpoint, dict[str, str]]]:
        """Every endpoint whose route matches ``path``, best first, with its route values."""
        found = []
        for endpoint in self.endpoints:
            values = endpoint.route.match(path)
            if values is not None:
                found.append((endpoint, values))
        return found

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI entry: every path and method comes here."""
        response = await self.handle(Request(scope, receive))
        await response(scope, receive, send)

    async def handle(self, request: Request) -> Response:
        """Dispatch and log one line: method, path (no query: it may hold a key), status, size."""
        started = time.perf_counter()
        response = await self.dispatch(request)
        logger.info(
            "%s %s %d %d bytes %.1f ms",
            request.method,
            request.url.path,
            response.status_code,
            len(response.body),
            (time.perf_counter() - started) * 1000,
        )
        return response

    async def dispatch(self, request: Request) -> Response:
        """The answer to one request."""
        raw_path = request.scope.get("raw_path") or request.url.path.encode()
        if len(raw_path) + len(request.scope.get("query_string", b"")) > MAX_URL_BYTES:
            return _empty(414)
        method = request.method.upper()
        chosen = next(
            (
                (endpoint, values)
                for endpoint, values in self.find(request.url.path)
                if endpoint.function.methods is None or method in endpoint.function.methods
            ),
            None,
        )
        if chosen is None:
            return _empty(404)
        endpoint, values = chosen
        given = presented_key(request.headers.items(), request.query_params.multi_items())
        if not self.keys.allows(endpoint.function.auth_level, given):
            return _empty(401)
        try:
            body = await _read_body(request, self.max_body_bytes)
        except _BodyTooLarge:
            return _empty(413)
        http_request = build_request(
            method=method,
            url=str(request.url),
            headers=request.headers.items(),
            query=request.query_params.multi_items(),
            route_params=values,
            body=body,
        )
        try:
            reply = await endpoint.invoke(http_request)
        except Exception:
            logger.exception("function %s failed", endpoint.function.name)
            return _empty(500)
        response = Response(reply.body, status_code=reply.status)
        response.raw_headers = [
            (n.encode("latin-1"), v.encode("latin-1")) for n, v in reply.headers
        ]
        return response


def create_app(
    endpoints: Sequence[Endpoint],
    keys: Keys,
    *,
    max_body_bytes: int = MAX_BODY_BYTES,
    cors_origins: Sequence[str] = (),
) -> Starlette:
    """The ASGI app serving ``endpoints``; with ``cors_origins`` (``*`` for any) it answers CORS
    preflights and adds ``Access-Control-Allow-Origin``, as the host's CORS setting does."""
    host = FunctionHost(endpoints, keys, max_body_bytes)
    middleware = [Middleware(Framing)]  # outermost: fix the target before anything reads it
    if cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(cors_origins),
                allow_methods=["*"],
                allow_headers=["*"],
                expose_headers=[
                    "ETag",
                    "X-ScatterPlot-Skipped-Rows",
                    "X-ScatterPlot-Error",
                    "Warning",
                ],
            )
        )
    return Starlette(routes=[StarletteRoute("/{path:path}", host)], middleware=middleware)


def endpoint_for(function: FunctionConfig, prefix: str, invoke: Invocation) -> Endpoint:
    """Compile ``function``'s route under the host's route prefix (``ValueError`` if bad)."""
    return Endpoint(compile_route(prefix, function.route), function, invoke)
