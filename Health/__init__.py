"""Anonymous health check: renders a tiny chart, answers versions and the render time."""

from __future__ import annotations

import azure.functions as func

from shared import get_settings
from shared.answer.http import json_response, respond
from shared.health import health_report


def main(req: func.HttpRequest) -> func.HttpResponse:
    """Entry point named in function.json."""
    return respond(req, _health, name="Health")


def _health(req: func.HttpRequest) -> func.HttpResponse:
    return json_response(health_report(get_settings()), headers={"Cache-Control": "no-store"})
