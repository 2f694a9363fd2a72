"""ASGI middleware for the parts of HTTP/1.1 message framing uvicorn leaves to the application.

- Absolute-form targets (``GET http://127.0.0.1:7071/api/health HTTP/1.1``, RFC 9112 §3.2.2):
  routed by their path, as Kestrel's ``Http1Connection.OnAbsoluteFormTarget`` does
  (dotnet/aspnetcore); the ``Host`` header must then name the target's authority, or the answer
  is a 400 (``ValidateNonOriginHostHeader``, with ``AllowHostHeaderOverride`` off by default).
  A target that is neither ``/...``, ``http(s)://...`` nor ``*`` (for ``OPTIONS``) is a 400.
- ``Transfer-Encoding`` together with ``Content-Length`` (RFC 9112 §6.1: "Regardless, the
  server MUST close the connection after responding to such a request"): the body is read as
  chunked (h11 does that), ``Content-Length`` is removed, and the answer carries
  ``Connection: close``, so h11 closes the connection and no pipelined request is served.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["Framing"]

_CLOSE = (b"connection", b"close")
_DEFAULT_PORTS = {"http": 80, "https": 443}


async def _bad_request(send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 400,
            "headers": [(b"content-length", b"0"), _CLOSE],
        }
    )
    await send({"type": "http.response.body", "body": b""})


def _absolute_target(scope: Scope) -> Scope | None:
    """``scope`` with the path of its absolute-form target, or ``None`` if it is refused."""
    raw = bytes(scope.get("raw_path") or scope["path"].encode())
    try:
        target = urlsplit(raw.decode("ascii"))
        port = target.port
    except (UnicodeDecodeError, ValueError):
        return None
    scheme = target.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not target.hostname:
        return None
    host = target.netloc.rpartition("@")[2].lower()
    bare = host.rsplit(":", 1)[0] if port is not None else host
    allowed = {host}
    if port is None or port == _DEFAULT_PORTS[scheme]:
        allowed = {bare, f"{bare}:{_DEFAULT_PORTS[scheme]}"}
    given = [value.decode("latin-1") for name, value in scope["headers"] if name == b"host"]
    if len(given) != 1 or given[0] not in allowed:
        return None
    path = target.path or "/"
    return {**scope, "path": unquote(path), "raw_path": path.encode("ascii")}


class Framing:
    """Wraps the app: absolute-form targets and ``Transfer-Encoding`` + ``Content-Length``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if not path.startswith("/"):
            if path == "*" and scope["method"] == "OPTIONS":
                target: Scope | None = {**scope, "path": "/", "raw_path": b"/"}
            else:
                target = _absolute_target(scope)
            if target is None:
                await _bad_request(send)
                return
            scope = target
        names = {name for name, _ in scope["headers"]}
        if b"transfer-encoding" in names and b"content-length" in names:
            headers = [(n, v) for n, v in scope["headers"] if n != b"content-length"]
            scope = {**scope, "headers": headers}

            async def send_and_close(message: Message) -> None:
                if message["type"] == "http.response.start":
                    kept = [(n, v) for n, v in message.get("headers", []) if n != b"connection"]
                    message = {**message, "headers": [*kept, _CLOSE]}
                await send(message)

            await self.app(scope, receive, send_and_close)
            return
        await self.app(scope, receive, send)
