"""Send the request with explicit timeouts and bounded retries.

Retried: connection errors and timeouts, 429 and 5xx answers. The wait doubles from
``BACKOFF_START`` seconds up to ``MAX_WAIT``; a ``Retry-After`` header (seconds or an HTTP date)
overrides it, capped at ``MAX_WAIT``. The last answer, good or bad, is returned; the last
connection error is raised as ``TransportError`` (``Timeout`` for a timeout). ``send`` and
``send_async`` share the policy and differ only in how they wait and call httpx.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import tenacity

from .errors import Timeout, TransportError

__all__ = ["BACKOFF_START", "MAX_WAIT", "Outgoing", "retry_after", "send", "send_async"]

logger = logging.getLogger("client")

BACKOFF_START = 0.5
MAX_WAIT = 30.0
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One HTTP request to make."""

    method: str
    url: str
    params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes | None = None
    timeout: float = 60.0

    def arguments(self) -> dict[str, Any]:
        """The keyword arguments of ``httpx.Client.request``."""
        return {
            "method": self.method,
            "url": self.url,
            "params": self.params,
            "headers": self.headers,
            "content": self.content,
        }


class _RetryableAnswer(Exception):
    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


def retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or HTTP date), or ``None``."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        return None
    return max(0.0, moment.timestamp() - (time.time() if now is None else now))


class _Wait(tenacity.wait.wait_base):
    """Exponential backoff, unless the answer said how long to wait."""

    def __init__(self) -> None:
        self.backoff = tenacity.wait_exponential(multiplier=BACKOFF_START, max=MAX_WAIT)

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        outcome = retry_state.outcome
        error = outcome.exception() if outcome is not None else None
        if isinstance(error, _RetryableAnswer):
            asked = retry_after(error.response.headers.get("retry-after"))
            if asked is not None:
                return min(asked, MAX_WAIT)
        return float(self.backoff(retry_state))


def _log_retry(retry_state: tenacity.RetryCallState) -> None:
    outcome = retry_state.outcome
    error = outcome.exception() if outcome is not None else None
    wait = retry_state.next_action.sleep if retry_state.next_action else 0.0
    logger.warning(
        "attempt %d failed (%s); retrying in %.1f s", retry_state.attempt_number, error, wait
    )


def _checked(response: httpx.Response) -> httpx.Response:
    if response.status_code in RETRY_STATUSES:
        raise _RetryableAnswer(response)
    return response


def _policy(retries: int) -> dict[str, Any]:
    """Tenacity's arguments, the same for both clients."""
    return {
        "stop": tenacity.stop_after_attempt(retries + 1),
        "wait": _Wait(),
        "retry": tenacity.retry_if_exception_type((httpx.TransportError, _RetryableAnswer)),
        "before_sleep": _log_retry,
        "reraise": True,
    }


@contextmanager
def _final(outgoing: Outgoing) -> Iterator[None]:
    """The httpx error that ended the retries, as the client's own."""
    try:
        yield
    except httpx.TimeoutException as error:
        raise Timeout(f"no answer from {outgoing.url} within {outgoing.timeout:g} s") from error
    except httpx.HTTPError as error:
        raise TransportError(f"cannot reach {outgoing.url}: {error}") from error


def send(
    client: httpx.Client,
    outgoing: Outgoing,
    *,
    retries: int,
    sleep: Callable[[float], None] = time.sleep,
) -> httpx.Response:
    """The final answer to ``outgoing`` after at most ``retries`` retries."""
    retrying = tenacity.Retrying(**_policy(retries), sleep=sleep)
    with _final(outgoing):
        try:
            return retrying(lambda: _checked(client.request(**outgoing.arguments())))
        except _RetryableAnswer as final:
            return final.response


async def send_async(
    client: httpx.AsyncClient,
    outgoing: Outgoing,
    *,
    retries: int,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> httpx.Response:
    """``send`` on httpx's async client."""

    async def attempt() -> httpx.Response:
        return _checked(await client.request(**outgoing.arguments()))

    retrying = tenacity.AsyncRetrying(**_policy(retries), sleep=sleep)
    with _final(outgoing):
        try:
            return await retrying(attempt)
        except _RetryableAnswer as final:
            return final.response
