"""Domain errors raised by ``shared``; each carries its HTTP status and a stable code.

The whole tree::

    ScatterPlotError            500 InternalError   (base; never raised for client mistakes)
    +-- BadRequest              400 BadArgument     (base of all 400s)
    |   +-- MalformedBody       400 MalformedBody   the body is not valid JSON / CSV / UTF-8
    |   +-- InvalidData         400 InvalidData     bad, missing or mismatched data values
    |   +-- InvalidOption       400 InvalidOption   an option value of the wrong type or range
    |   +-- UnknownOption       400 UnknownOption   an option name the service does not know
    |   +-- InvalidText         400 InvalidText     text that matplotlib cannot lay out (bad math)
    +-- NotAcceptable           406 NotAcceptable   Accept rules out every answer
    +-- TooLarge                413 TooLarge        too many points, pixels or bytes
    +-- UnsupportedMediaType    415 UnsupportedMediaType
    +-- ServiceUnavailable      503 ServiceUnavailable  the health check could not draw a chart

Only the HTTP layer turns these into responses (see ``shared.answer.http``).
"""

from __future__ import annotations

import reprlib

__all__ = [
    "BadRequest",
    "InvalidData",
    "InvalidOption",
    "InvalidText",
    "MalformedBody",
    "NotAcceptable",
    "ScatterPlotError",
    "ServiceUnavailable",
    "TooLarge",
    "UnknownOption",
    "UnsupportedMediaType",
    "shorten",
]


def _excerpts() -> reprlib.Repr:
    excerpt = reprlib.Repr()
    excerpt.maxlevel = 3  # a client's JSON may nest ~1000 deep: never recurse into all of it
    excerpt.maxlist = excerpt.maxtuple = excerpt.maxdict = excerpt.maxset = 50
    excerpt.maxstring = excerpt.maxother = 80
    return excerpt


_EXCERPT = _excerpts()


def shorten(value: object, limit: int = 40) -> str:
    """Return ``repr(value)`` cut to ``limit`` characters, for quoting client input in messages.

    The cost is bounded whatever the value: long strings are cut before ``repr``, containers
    are shown a few levels and items deep, and an integer too long to print is described.
    """
    try:
        text = repr(value[:limit]) if isinstance(value, str) else _EXCERPT.repr(value)
    except ValueError:  # an int beyond sys.get_int_max_str_digits()
        text = f"<{type(value).__name__} too long to show>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


class ScatterPlotError(Exception):
    """Base class: an error with an HTTP status, a stable code and a message for the client."""

    status: int = 500
    code: str = "InternalError"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def to_dict(self) -> dict[str, object]:
        """The JSON error object: ``{"error": {"code", "message"[, "field"]}}``."""
        error: dict[str, object] = {"code": self.code, "message": self.message}
        if self.field is not None:
            error["field"] = self.field
        return {"error": error}


class BadRequest(ScatterPlotError):
    status = 400
    code = "BadArgument"


class MalformedBody(BadRequest):
    code = "MalformedBody"


class InvalidData(BadRequest):
    code = "InvalidData"


class InvalidOption(BadRequest):
    code = "InvalidOption"


class UnknownOption(BadRequest):
    code = "UnknownOption"


class InvalidText(BadRequest):
    code = "InvalidText"


class NotAcceptable(ScatterPlotError):
    status = 406
    code = "NotAcceptable"


class TooLarge(ScatterPlotError):
    status = 413
    code = "TooLarge"


class UnsupportedMediaType(ScatterPlotError):
    status = 415
    code = "UnsupportedMediaType"


class ServiceUnavailable(ScatterPlotError):
    status = 503
    code = "ServiceUnavailable"
