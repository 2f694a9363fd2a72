"""The service's own pages: the landing answer at ``/api/`` and the playground's static files.

Both are answered as ``Page`` values (status, body, headers); the function folders turn them
into HTTP responses. Static files are read once from one flat folder: a name not in it, or of a
type not in ``CONTENT_TYPES``, is not served. Every answer carries a strict
Content-Security-Policy (scripts, styles and connections to this origin only, no inline script
or style), ``nosniff``, no referrer, and an ``ETag`` with ``Cache-Control: no-cache`` (the files
have no fingerprinted names, so a browser revalidates and gets ``304`` until a deployment
changes them).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from .answer.caching import matches
from .request.negotiation import media_quality
from .version import app_version

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "CONTENT_TYPES",
    "SECURITY_HEADERS",
    "Page",
    "StaticFiles",
    "landing_document",
    "landing_page",
]

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' blob: data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
REVALIDATE = "no-cache"
CONTENT_TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".svg": "image/svg+xml",
    ".csv": "text/csv",
    ".txt": "text/plain",
}
DESCRIPTION = (
    "ScatterPlot draws scatter charts with matplotlib: send data and options, get a PNG, SVG, "
    "PDF or JPEG, raw or as a data: URI in an Azure ML Studio table."
)


@dataclass(frozen=True, slots=True)
class Page:
    """An answer: status, body, media type (``None`` without a body) and headers.

    A ``text/*`` type is sent with ``charset=utf-8`` (``azure.functions.HttpResponse`` adds it).
    """

    status: int
    body: bytes = b""
    mimetype: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _answer(body: bytes, mimetype: str, if_none_match: str | None, **extra: str) -> Page:
    etag = _etag(body)
    headers = {**SECURITY_HEADERS, "Cache-Control": REVALIDATE, "ETag": etag, **extra}
    if matches(if_none_match, etag):
        return Page(304, headers=headers)
    return Page(200, body, mimetype, headers)


@dataclass(frozen=True, slots=True)
class _File:
    body: bytes
    mimetype: str


class StaticFiles:
    """The files of one folder, read once, answered by name (``""`` is ``index.html``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files = {
            path.name: _File(path.read_bytes(), CONTENT_TYPES[path.suffix])
            for path in sorted(folder.iterdir())
            if path.is_file() and path.suffix in CONTENT_TYPES
        }

    def answer(self, name: str, if_none_match: str | None = None) -> Page:
        """The file ``name`` (or ``index.html`` for ``""``), a 304, or an empty 404."""
        found = self.files.get(name or "index.html")
        if found is None:
            return Page(404, headers={"Cache-Control": "no-store"})
        return _answer(found.body, found.mimetype, if_none_match)


def _links(base: str) -> dict[str, str]:
    return {
        "playground": base + "playground",
        "chart": base + "ScatterPlot",
        "openapi": base + "openapi.json",
        "health": base + "health",
    }


def landing_document(base: str) -> dict[str, object]:
    """What the service is and where its parts are; ``base`` is the route prefix, ``/api/``."""
    return {
        "name": "ScatterPlot",
        "version": app_version(),
        "description": DESCRIPTION,
        "links": _links(base),
    }


_LABELS = {
    "playground": "Playground: draw a chart from your data, then copy the request",
    "chart": "The chart function, drawing the reference chart (needs its key in the cloud)",
    "openapi": "API description (OpenAPI 3.1)",
    "health": "Health check",
}


# In a browser the chart link shows a chart (the bare URL answers the Azure ML JSON table).
_BROWSER_QUERY = {"chart": "?seed=1&output=image"}


def _landing_html(base: str) -> bytes:
    items = "\n".join(
        f'    <li><a href="{escape(href + _BROWSER_QUERY.get(name, ""))}">'
        f"{escape(_LABELS[name])}</a></li>"
        for name, href in _links(base).items()
    )
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>ScatterPlot</title>
  <link rel="icon" href="{escape(base)}playground/icon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="{escape(base)}playground/playground.css">
</head>
<body class="landing">
<main>
  <h1>ScatterPlot</h1>
  <p>{escape(DESCRIPTION)}</p>
  <ul>
{items}
  </ul>
  <p class="hint">Version {escape(app_version())}.
  Ask for this page with <code>Accept: application/json</code> to get it as JSON.</p>
</main>
</body>
</html>
""".encode()


def landing_page(path: str, accept: str | None, if_none_match: str | None = None) -> Page:
    """The answer to ``GET /api/``: HTML when ``Accept`` prefers it to JSON, JSON otherwise.

    ``path`` is the request's path (``/api`` or ``/api/``); links are absolute paths under it.
    """
    base = path.rstrip("/") + "/"
    accept = accept or "*/*"
    if media_quality(accept, "text/html") > media_quality(accept, "application/json"):
        body, mimetype = _landing_html(base), "text/html"
    else:
        body, mimetype = json.dumps(landing_document(base), indent=2).encode(), "application/json"
    return _answer(body, mimetype, if_none_match, Vary="Accept")
