"""Anonymous API description: the OpenAPI 3.1 document of the whole HTTP API."""

from __future__ import annotations

import azure.functions as func

from shared.answer.http import respond
from shared.openapi import openapi_bytes


def main(req: func.HttpRequest) -> func.HttpResponse:
    """Entry point named in function.json."""
    return respond(req, _describe, name="OpenAPI")


def _describe(req: func.HttpRequest) -> func.HttpResponse:
    return func.HttpResponse(
        openapi_bytes(),
        status_code=200,
        mimetype="application/json",
        headers={"Cache-Control": "public, max-age=3600"},
    )
