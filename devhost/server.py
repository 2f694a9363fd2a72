"""Serve the app: local settings, the listening socket, then one or several worker processes.

The port is bound before any function is loaded or any URL printed, so a busy port is a
one-line error naming ``--port`` instead of URLs that never answer. Each worker process runs
uvicorn on that one socket (see ``supervisor``); with one process it runs in this process.
"""

from __future__ import annotations

import errno
import logging
import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from .config import route_prefix
from .protocol import KEEP_ALIVE_TIMEOUT, MAX_HEAD, REQUEST_HEADERS_TIMEOUT, protocol_class
from .settings import load_cors_origins, load_local_settings
from .startup import announce, build_app
from .workers import process_count

__all__ = ["HostError", "HostOptions", "bind", "run_server", "serve"]

logger = logging.getLogger("devhost")

BACKLOG = 2048


class HostError(Exception):
    """A problem that stops the host from starting, said in one line."""


@dataclass(frozen=True, slots=True)
class HostOptions:
    """What the command line asks for."""

    root: Path
    host: str = "127.0.0.1"
    port: int = 7071
    cors_origins: tuple[str, ...] | None = None
    """``None``: ``Host.CORS`` of the local settings."""
    request_headers_timeout: float = REQUEST_HEADERS_TIMEOUT

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"


def _listen(host: str, port: int, *, share: bool = False) -> socket.socket:
    """A socket listening on ``host:port`` (``OSError`` if it cannot); with ``share``, one of a
    group of sockets on the same port among which the kernel spreads new connections."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn
        if share:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(address)
        sock.listen(BACKLOG)
    except OSError:
        sock.close()
        raise
    return sock


def _next_free(host: str, port: int) -> int | None:
    for candidate in range(port + 1, min(port + 20, 65536)):
        try:
            _listen(host, candidate).close()
        except OSError:
            continue
        return candidate
    return None


def bind(host: str, port: int, *, share: bool = False) -> socket.socket:
    """A socket listening on ``host:port``; ``HostError`` saying what to do if it cannot.
    ``share``: see ``_listen``."""
    try:
        sock = _listen(host, port, share=share)
    except socket.gaierror as error:
        raise HostError(f"cannot listen on {host!r}: {error.strerror}; check --host") from None
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            other = _next_free(host, port)
            hint = f"--port {other}" if other else "--port"
            raise HostError(f"port {port} is in use; choose another with {hint}") from None
        if error.errno == errno.EACCES:
            raise HostError(
                f"no permission to listen on port {port}; choose another with --port"
            ) from None
        raise HostError(f"cannot listen on {host}:{port}: {error.strerror}; check --host") from None
    sock.set_inheritable(True)
    return sock


def bind_each(host: str, port: int, count: int) -> list[socket.socket]:
    """``count`` sockets listening on ``host:port``, one per worker process, among which the
    kernel spreads new connections evenly (``SO_REUSEPORT``: by a hash of each connection's
    addresses). With one socket shared by all workers, the worker whose event loop woke first
    accepted every connection waiting (asyncio accepts up to its backlog at once), so 8
    connections opened together often all went to one process. The port is first taken
    without sharing, so a port in use (even by another group) is the usual one-line error."""
    bind(host, port).close()
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sockets.append(bind(host, port, share=True))
    except HostError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def quiet_uvicorn() -> None:
    """uvicorn's own start and stop lines would repeat ours, once per process."""
    logging.getLogger("uvicorn.error").setLevel(logging.WARNING)


def run_server(app: Starlette, sock: socket.socket, request_headers_timeout: float) -> None:
    """Serve ``app`` on ``sock`` with uvicorn until it is told to stop."""
    config = uvicorn.Config(
        app,
        http=protocol_class(request_headers_timeout),
        ws="none",
        lifespan="off",
        access_log=False,
        log_config=None,
        server_header=False,
        timeout_keep_alive=int(KEEP_ALIVE_TIMEOUT),
        backlog=BACKLOG,
        h11_max_incomplete_event_size=MAX_HEAD,
    )
    uvicorn.Server(config).run(sockets=[sock])


def serve(options: HostOptions) -> None:
    """Serve the app at ``options.root`` until interrupted; ``HostError`` or ``ValueError``
    (bad settings) before anything is served."""
    root = options.root.resolve()
    route_prefix(root)  # a bad host.json is one line here, not once per worker process
    load_local_settings(root)
    processes = process_count(os.environ)
    origins: Sequence[str] = (
        load_cors_origins(root) if options.cors_origins is None else options.cors_origins
    )
    quiet_uvicorn()
    if processes == 1:
        sock = bind(options.host, options.port)
        app, report = build_app(root, origins)
        announce(report, options.base_url, processes)
        run_server(app, sock, options.request_headers_timeout)
        return
    from .supervisor import run_workers

    sockets = bind_each(options.host, options.port, processes)
    run_workers(root, tuple(origins), sockets, options)
