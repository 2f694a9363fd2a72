"""The client's exceptions: one base class, a subclass for each way a chart can fail.

    ScatterPlotError          every failure; .message, .code, .field, .status
    ├── UsageError            a bad argument, found before any request (also a ValueError)
    ├── ServiceError          the service answered with an error status (or a redirect)
    │   ├── InvalidRequestError   400, 406, 413, 414, 415 and other 4xx: fix the options or data
    │   ├── AuthenticationError   401, 403: a missing or refused key
    │   ├── NotFoundError         404: no chart function at that URL
    │   ├── RateLimitError        429, still after the retries
    │   └── ServerError           5xx, still after the retries
    ├── TransportError        no answer: connection refused or reset, after the retries
    │   └── Timeout           no answer within the timeout (also a built-in TimeoutError)
    └── AnswerError           a success answer that holds no valid image

``code`` and ``field`` are the service's (``InvalidOption``, ``width``); a ``UsageError`` uses
the same codes for what it finds before asking.
"""

from __future__ import annotations

import builtins

__all__ = [
    "AnswerError",
    "AuthenticationError",
    "InvalidRequestError",
    "NotFoundError",
    "RateLimitError",
    "ScatterPlotError",
    "ServerError",
    "ServiceError",
    "Timeout",
    "TransportError",
    "UsageError",
    "service_error_class",
]


class ScatterPlotError(Exception):
    """A chart could not be had; ``str()`` is a sentence for the user."""

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        field: str | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
        self.status = status

    def __str__(self) -> str:
        return self.message


class UsageError(ScatterPlotError, ValueError):
    """A bad option, value, column or file, found before any request was made."""


class ServiceError(ScatterPlotError):
    """The service answered with an error status (``status`` is set)."""

    status: int

    def __init__(
        self, message: str, *, status: int, code: str | None = None, field: str | None = None
    ) -> None:
        super().__init__(message, code=code, field=field, status=status)

    def __str__(self) -> str:
        code = f" {self.code}" if self.code else ""
        return f"{self.message} (HTTP {self.status}{code})"


class InvalidRequestError(ServiceError):
    """The service refused the request as it was (400, 406, 413, 414, 415, other 4xx)."""


class AuthenticationError(ServiceError):
    """The service wants a function key, or refused the one sent (401, 403)."""


class NotFoundError(ServiceError):
    """No chart function answers at that URL (404)."""


class RateLimitError(ServiceError):
    """Too many requests (429), still after the retries."""


class ServerError(ServiceError):
    """The service failed (5xx), still after the retries."""


class TransportError(ScatterPlotError):
    """No answer: the connection failed, still after the retries."""


class Timeout(TransportError, builtins.TimeoutError):
    """No answer within the timeout, still after the retries."""


class AnswerError(ScatterPlotError):
    """A success answer that holds no image, or not the one announced or asked for."""


def service_error_class(status: int) -> type[ServiceError]:
    """The exception class for an error answer's status (a redirect: the base class)."""
    if status < 400:
        return ServiceError
    if status in (401, 403):
        return AuthenticationError
    if status == 404:
        return NotFoundError
    if status == 429:
        return RateLimitError
    if status >= 500:
        return ServerError
    return InvalidRequestError
