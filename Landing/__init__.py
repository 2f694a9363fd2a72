"""Anonymous landing answer at ``/api/``: what the service is, with links to its parts.

The route is an optional, length-0 parameter (``{page:maxlength(0)?}``): the host allows no
empty route, and this is how it serves the bare prefix.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import azure.functions as func

from shared.answer.http import respond
from shared.site import landing_page


def main(req: func.HttpRequest) -> func.HttpResponse:
    """Entry point named in function.json."""
    return respond(req, _landing, name="Landing")


def _landing(req: func.HttpRequest) -> func.HttpResponse:
    page = landing_page(
        urlsplit(req.url).path, req.headers.get("accept"), req.headers.get("if-none-match")
    )
    return func.HttpResponse(
        page.body, status_code=page.status, mimetype=page.mimetype, headers=page.headers
    )
