"""uvicorn's h11 protocol with Kestrel's connection timeouts.

Kestrel (dotnet/aspnetcore, ``Http1Connection``) waits ``KeepAliveTimeout`` (130 s) for the
first byte of a request, on a new connection as between requests, then allows
``RequestHeadersTimeout`` (30 s) from that first byte until the request head is complete
(``ParseRequest`` resets the timer to ``RequestHeadersTimeout`` when a request starts and
``TakeMessageHeaders`` cancels it); a head that is still unfinished then gets a 408 and the
connection is closed. uvicorn alone times out neither a silent new connection nor an unfinished
head, so slow clients could hold connections open for ever.

A head that is still unfinished beyond what h11 buffers (``MAX_HEAD``: above Kestrel's 8 KB
request line and 32 KB of headers) is answered as Kestrel answers a request line over
``MaxRequestLineSize`` (414) or headers over its limits (431), with an empty body, instead of
uvicorn's ``400`` "Invalid HTTP request received." in plain text. Shorter URLs over 4 KB get
their 414 from ``app``.
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

__all__ = ["KEEP_ALIVE_TIMEOUT", "MAX_HEAD", "REQUEST_HEADERS_TIMEOUT", "protocol_class"]

KEEP_ALIVE_TIMEOUT = 130.0
REQUEST_HEADERS_TIMEOUT = 30.0

MAX_REQUEST_LINE = 8192
"""Kestrel's ``MaxRequestLineSize``."""
MAX_HEAD = 64 * 1024
"""The most of an unfinished request head h11 buffers (``h11_max_incomplete_event_size``)."""

_TIMED_OUT = b"HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
_LINE_TOO_LONG = b"HTTP/1.1 414 URI Too Long\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
_HEAD_TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
    b"Content-Length: 0\r\nConnection: close\r\n\r\n"
)


class TimedH11Protocol(H11Protocol):
    """Closes connections whose request head does not arrive in time."""

    request_headers_timeout = REQUEST_HEADERS_TIMEOUT

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.head_timer: asyncio.TimerHandle | None = None
        self.head_bytes = 0
        """Bytes of the request head being received (0 between requests)."""
        self.head_start = b""
        """Its first bytes, enough to tell whether the request line alone is too long."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        # the keep-alive wait covers a new connection too, not only the time between requests
        self.timeout_keep_alive_task = self.loop.call_later(
            self.timeout_keep_alive, self.timeout_keep_alive_handler
        )

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        starting = self.conn.their_state is h11.IDLE
        if starting:
            self.head_bytes += len(data)
            if len(self.head_start) <= MAX_REQUEST_LINE:
                self.head_start += data[: MAX_REQUEST_LINE + 2]
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE or self.transport.is_closing():
            self._stop_head_timer()  # the head is complete (or the connection is going)
            self.head_bytes, self.head_start = 0, b""
        elif starting:
            self._start_head_timer()  # bytes of a request head, even blank lines

    def send_400_response(self, msg: str) -> None:
        """A head h11 could not buffer is a 414 or 431 as Kestrel sends; anything else that
        h11 refuses stays uvicorn's 400."""
        if self.head_bytes <= MAX_HEAD:
            super().send_400_response(msg)
            return
        line = self.head_start.lstrip(b"\r\n")
        end = line.find(b"\n")
        too_long = end == -1 or end > MAX_REQUEST_LINE
        self.transport.write(_LINE_TOO_LONG if too_long else _HEAD_TOO_LARGE)
        self.transport.close()

    def on_response_complete(self) -> None:
        super().on_response_complete()  # may start on a pipelined request already received
        pending, _ = self.conn.trailing_data
        if self.conn.their_state is h11.IDLE and pending and not self.transport.is_closing():
            self._start_head_timer()
        else:
            self._stop_head_timer()

    def _start_head_timer(self) -> None:
        if self.head_timer is None:
            self.head_timer = self.loop.call_later(
                self.request_headers_timeout, self._head_timed_out
            )

    def _stop_head_timer(self) -> None:
        if self.head_timer is not None:
            self.head_timer.cancel()
            self.head_timer = None

    def _head_timed_out(self) -> None:
        self.head_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.write(_TIMED_OUT)
            self.transport.close()


def protocol_class(request_headers_timeout: float) -> type[TimedH11Protocol]:
    """The protocol class for uvicorn's ``Config(http=...)`` with this head timeout."""
    return type(
        "TimedH11Protocol",
        (TimedH11Protocol,),
        {"request_headers_timeout": request_headers_timeout},
    )
