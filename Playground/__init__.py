"""Anonymous playground page and its files: ``/api/playground`` and ``/api/playground/<file>``.

The page is plain HTML, CSS and JavaScript modules in ``static/``, read once. It calls the chart
function from the browser and builds its form from ``/api/openapi.json``.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import azure.functions as func

from shared.answer.http import respond
from shared.site import StaticFiles

FILES = StaticFiles(Path(__file__).resolve().parent / "static")


def main(req: func.HttpRequest) -> func.HttpResponse:
    """Entry point named in function.json."""
    return respond(req, _serve, name="Playground")


def _serve(req: func.HttpRequest) -> func.HttpResponse:
    asset = req.route_params.get("asset", "")
    url = urlsplit(req.url)
    if not asset and url.path.endswith("/"):
        # The page's links are relative to /api/playground: send /api/playground/ there.
        target = urlunsplit(("", "", url.path.rstrip("/"), url.query, ""))
        return func.HttpResponse(status_code=308, headers={"Location": target})
    page = FILES.answer(asset, req.headers.get("if-none-match"))
    return func.HttpResponse(
        page.body, status_code=page.status, mimetype=page.mimetype, headers=page.headers
    )
