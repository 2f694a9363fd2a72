"""HTTP caching of chart answers: ETags, ``If-None-Match`` and ``Cache-Control``.

A deterministic request (data sent, or a ``seed``) always gives the same bytes for the same
app version, so its answer carries a strong ``ETag`` made from the normalised spec
(``ChartSpec.digest()``), the answer shape and the versions that shape the pixels, plus
``Cache-Control: public, max-age=86400``. A request whose ``If-None-Match`` matches that tag
gets ``304 Not Modified`` without rendering. Random answers (generated data, no seed) say
``no-store`` and never get a 304. An answer to a request that carries a function key
(``code`` or ``x-functions-key``) is ``private``: a shared cache or CDN must not hand it to
callers without the key; the caller's own cache may keep it.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache

from ..spec import ChartRequest
from ..version import app_version

__all__ = [
    "CACHEABLE",
    "MAX_AGE",
    "NO_STORE",
    "PRIVATE",
    "SKIPPED_ROWS",
    "cache_headers",
    "etag_for",
    "matches",
]

MAX_AGE = 86_400
"""Seconds a deterministic answer may be reused: one day, so a fix to the renderer that keeps
the app version reaches cached clients within a day."""
CACHEABLE = f"public, max-age={MAX_AGE}"
PRIVATE = f"private, max-age={MAX_AGE}"
NO_STORE = "no-store"

SKIPPED_ROWS = "X-ScatterPlot-Skipped-Rows"
"""Response header: how many rows of the client's table were left out for a missing value
(sent whenever a table was sent, 0 included; part of the ETag)."""

_TAG = re.compile(r'\s*(?:W/)?"([^"]*)"\s*(?:,|$)')


@cache
def _salt() -> bytes:
    """What besides the spec decides the bytes: the app and renderer versions."""
    from importlib.metadata import version  # only deterministic answers need it (~5 ms)

    return f"{app_version()}|{version('matplotlib')}|{version('pillow')}".encode()


def etag_for(request: ChartRequest) -> str | None:
    """The quoted strong ETag of the answer to ``request``; ``None`` for random answers."""
    if not request.deterministic:
        return None
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(_salt())
    hasher.update(f"|{request.output}|{request.details}|{request.skipped}|".encode())
    hasher.update(request.spec.digest().encode())
    return f'"{hasher.hexdigest()}"'


def matches(if_none_match: str | None, etag: str | None) -> bool:
    """Whether an ``If-None-Match`` header matches ``etag`` (weak comparison, ``*``, lists)."""
    if not if_none_match or etag is None:
        return False
    header = if_none_match.strip()
    if header == "*":
        return True
    wanted = etag.strip('"')
    position = 0
    while position < len(header):
        found = _TAG.match(header, position)
        if found is None:
            return False  # malformed: treat as no match, render normally
        if found.group(1) == wanted:
            return True
        position = found.end()
    return False


def cache_headers(etag: str | None, *, private: bool = False) -> dict[str, str]:
    """``Cache-Control``, ``ETag`` and ``Vary: Accept`` (the shape may follow Accept).

    ``private``: the request carried a key, so only the caller's own cache may keep it.
    """
    if etag is None:
        return {"Cache-Control": NO_STORE, "Vary": "Accept"}
    return {"Cache-Control": PRIVATE if private else CACHEABLE, "ETag": etag, "Vary": "Accept"}
