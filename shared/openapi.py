"""The OpenAPI 3.1 description of the HTTP API, kept in ``shared/openapi.json``, read once."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["OPENAPI_PATH", "openapi_bytes", "openapi_document"]

OPENAPI_PATH = Path(__file__).resolve().parent / "openapi.json"


@cache
def openapi_bytes() -> bytes:
    """The document as served."""
    return OPENAPI_PATH.read_bytes()


def openapi_document() -> dict[str, Any]:
    """The document, parsed (a new copy each call)."""
    document: dict[str, Any] = json.loads(openapi_bytes())
    return document
