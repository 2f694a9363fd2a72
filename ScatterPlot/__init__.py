"""HTTP trigger: parse the request, render the chart, answer in the shape asked for."""

from __future__ import annotations

import azure.functions as func

from shared import build_answer, get_settings, parse_request, render
from shared.answer.caching import SKIPPED_ROWS, cache_headers, etag_for, matches
from shared.answer.http import request_parts, respond


def main(req: func.HttpRequest) -> func.HttpResponse:
    """Entry point named in function.json."""
    return respond(req, _chart, name="ScatterPlot", image_errors=True)


def _chart(req: func.HttpRequest) -> func.HttpResponse:
    params, headers, body = request_parts(req)
    settings = get_settings()
    request = parse_request(params=params, headers=headers, body=body, settings=settings)
    etag = etag_for(request)
    headers_out = cache_headers(etag, private=request.keyed)
    if request.skipped is not None:
        headers_out[SKIPPED_ROWS] = str(request.skipped)
    if request.warnings:
        headers_out["Warning"] = ", ".join(request.warnings)
    if matches(headers.get("if-none-match"), etag):
        return func.HttpResponse(status_code=304, headers=headers_out)
    image = render(request.spec, fast_path=settings.fast_path)
    answer = build_answer(image, request.spec.format, request.output, details=request.details)
    return func.HttpResponse(
        answer.body, status_code=200, mimetype=answer.mimetype, headers=headers_out
    )
