"""``ScatterPlot`` and ``AsyncScatterPlot``: a chart from the service in one call.

    chart = ScatterPlot("http://127.0.0.1:7071/api/ScatterPlot").draw(df, x="day", y="rain")
    chart.save("rain.png")

Both share everything but the waiting: the arguments are checked and the request built by
``_Service.request`` (options, data, key), the answer read by ``_Service.chart``; only the call
through httpx (``Client`` or ``AsyncClient``) and the sleep between retries differ. Without a
``with`` block each ``draw`` opens and closes its own connection; inside one, the connection is
kept for every ``draw``.
"""

from __future__ import annotations

import asyncio
import math
import os
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Generic, Self, TypeVar

import httpx

from .answer import read_answer
from .chart import Chart
from .errors import UsageError
from .fetch import Outgoing, send, send_async
from .options import check_options, option_list
from .request import build_request
from .tables import prepare

__all__ = ["DEFAULT_URL", "KEY_VARIABLE", "URL_VARIABLE", "AsyncScatterPlot", "ScatterPlot"]

DEFAULT_URL = "http://127.0.0.1:7071/api/ScatterPlot"
URL_VARIABLE = "SCATTERPLOT_URL"
KEY_VARIABLE = "SCATTERPLOT_KEY"
MAX_RETRIES = 10

Transport = TypeVar("Transport", httpx.BaseTransport, httpx.AsyncBaseTransport)
Sleep = TypeVar("Sleep")


def check_url(text: str) -> str:
    """``text`` if it is an http:// or https:// URL with a host; ``UsageError`` otherwise."""
    try:
        parsed = httpx.URL(text) if text.startswith(("http://", "https://")) else None
    except httpx.InvalidURL:
        parsed = None
    if parsed is None or not parsed.host:
        raise UsageError(f"{text!r} is not an http:// or https:// URL", field="url")
    return text


class _Service(Generic[Transport, Sleep]):
    """Where the service is, how to ask it, and the parts of a draw that do not wait."""

    def __init__(
        self,
        url: str | None = None,
        *,
        key: str | None = None,
        bearer: str | None = None,
        timeout: float = 60.0,
        retries: int = 3,
        headers: Mapping[str, str] | None = None,
        environ: Mapping[str, str] | None = None,
        transport: Transport | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        environ = os.environ if environ is None else environ
        self.url = check_url(url if url is not None else environ.get(URL_VARIABLE) or DEFAULT_URL)
        if key and bearer:
            raise UsageError("give key= (a function key) or bearer= (Azure ML), not both")
        self.key = key if key is not None or bearer else environ.get(KEY_VARIABLE) or None
        self.bearer = bearer
        if isinstance(timeout, bool) or not isinstance(timeout, int | float):
            raise UsageError(f"timeout is {timeout!r}; it must be seconds", field="timeout")
        if not (math.isfinite(timeout) and timeout > 0):
            raise UsageError(f"timeout is {timeout!r}; it must be above 0", field="timeout")
        self.timeout = float(timeout)
        if isinstance(retries, bool) or not isinstance(retries, int):
            raise UsageError(f"retries is {retries!r}; it must be a whole number", field="retries")
        if not 0 <= retries <= MAX_RETRIES:
            raise UsageError(
                f"retries is {retries}; it must be 0 to {MAX_RETRIES}", field="retries"
            )
        self.retries = retries
        self.headers = dict(headers or {})
        self._transport: Transport | None = transport
        self._sleep: Sleep | None = sleep

    def _timeouts(self) -> httpx.Timeout:
        return httpx.Timeout(self.timeout, connect=min(10.0, self.timeout))

    def request(
        self, data: object, x: object, y: object, options: Mapping[str, object]
    ) -> Outgoing:
        """The HTTP request for a draw; ``UsageError`` before anything is sent."""
        checked = check_options(options)
        body, columns = prepare(data, x, y)
        for option, name in columns.items():
            if option in checked:
                keyword = option.split("_")[0]
                raise UsageError(f"give {keyword}= or {option}=, not both", field=option)
            checked[option] = name
        return build_request(
            self.url,
            body,
            checked,
            key=self.key,
            bearer=self.bearer,
            headers=self.headers,
            timeout=self.timeout,
        )

    @staticmethod
    def chart(response: httpx.Response, outgoing: Outgoing) -> Chart:
        """The chart in the answer, or the error it stands for."""
        return read_answer(response, asked_format=outgoing.params.get("format"))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.url!r})"


class ScatterPlot(_Service[httpx.BaseTransport, Callable[[float], None]]):
    """The ScatterPlot service at ``url`` (default ``$SCATTERPLOT_URL``, else the local host).

    ``key``: the function key (default ``$SCATTERPLOT_KEY``; ``""`` sends none). ``bearer``: the
    API key of an Azure ML Studio (classic) service instead, which gets an Azure ML request.
    ``timeout``: seconds per answer. ``retries``: connection errors, 429 and 5xx are tried again
    up to this many times (0 to 10), waiting as ``Retry-After`` says, else 0.5 s, 1 s, 2 s, ...
    (30 s at most). ``headers``: more request headers. ``environ``: where ``SCATTERPLOT_URL``
    and ``SCATTERPLOT_KEY`` are read (default ``os.environ``). ``transport`` (an httpx
    transport) and ``sleep`` are for tests.
    """

    _client: httpx.Client | None = None

    def _open(self) -> httpx.Client:
        return httpx.Client(timeout=self._timeouts(), transport=self._transport)

    def draw(
        self, data: object = None, *, x: object = None, y: object = None, **options: object
    ) -> Chart:
        outgoing = self.request(data, x, y, options)
        sleep = self._sleep or time.sleep
        if self._client is not None:
            response = send(self._client, outgoing, retries=self.retries, sleep=sleep)
        else:
            with self._open() as client:
                response = send(client, outgoing, retries=self.retries, sleep=sleep)
        return self.chart(response, outgoing)

    def close(self) -> None:
        """Close the connection a ``with`` block keeps."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> Self:
        self._client = self._open()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncScatterPlot(_Service[httpx.AsyncBaseTransport, Callable[[float], Awaitable[None]]]):
    """``ScatterPlot`` on httpx's ``AsyncClient``: ``chart = await plot.draw(...)``; an ``async
    with`` block keeps one connection for every draw in it. The same arguments as
    ``ScatterPlot``; ``sleep`` is awaited."""

    _client: httpx.AsyncClient | None = None

    def _open(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=self._timeouts(), transport=self._transport)

    async def draw(
        self, data: object = None, *, x: object = None, y: object = None, **options: object
    ) -> Chart:
        outgoing = self.request(data, x, y, options)
        sleep = self._sleep or asyncio.sleep
        if self._client is not None:
            response = await send_async(self._client, outgoing, retries=self.retries, sleep=sleep)
        else:
            async with self._open() as client:
                response = await send_async(client, outgoing, retries=self.retries, sleep=sleep)
        return self.chart(response, outgoing)

    async def aclose(self) -> None:
        """Close the connection an ``async with`` block keeps."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def __aenter__(self) -> Self:
        self._client = self._open()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


def _draw_doc() -> str:
    lines = [
        "A chart of ``data`` (see ``client.tables``: a DataFrame, a dict of columns, a list, a",
        "numpy array, a CSV file's path, or None for the reference data).",
        "",
        "``x=``/``y=``: column names, or sequences of values. Every other keyword is an option",
        "of the service (an unknown name raises ``UsageError`` before any request):",
        "",
    ]
    lines += [f"{option.name}: {option.help}" for option in option_list()]
    return "\n".join(lines)


ScatterPlot.draw.__doc__ = AsyncScatterPlot.draw.__doc__ = _draw_doc()
