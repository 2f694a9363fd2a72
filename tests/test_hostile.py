"""Hand-written hostile requests (``tests/data/hostile.json``) through ``ScatterPlot.main``.

Each must answer the JSON error shape with its expected status and code, name the field at
fault, carry no traceback or file path, and get there without allocating much more than the
body it was sent (peak traced allocation below ``_PEAK_BASE + _PEAK_PER_BODY_BYTE * body``;
an entry's ``peak_per_body_byte`` replaces the factor for floods of tiny values, each of which
decodes to a Python object).
"""

from __future__ import annotations

import base64
import json
import tracemalloc
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import azure.functions as func
import pytest

from ScatterPlot import main
from tests.openapi_check import check_response

CORPUS = Path(__file__).parent / "data" / "hostile.json"
ENTRIES: list[dict[str, Any]] = json.loads(CORPUS.read_text())["requests"]
_PEAK_BASE = 24 * 1024 * 1024
_PEAK_PER_BODY_BYTE = 6


def body_of(entry: dict[str, Any]) -> bytes:
    """The entry's body bytes, from text, base64 or a repeated unit."""
    if "body" in entry:
        return str(entry["body"]).encode()
    if "body_base64" in entry:
        return base64.b64decode(entry["body_base64"])
    if "body_repeat" in entry:
        repeat = entry["body_repeat"]
        text = str(repeat["prefix"]) + str(repeat["unit"]) * int(repeat["times"])
        return (text + str(repeat["suffix"])).encode()
    return b""


def request_of(entry: dict[str, Any]) -> func.HttpRequest:
    query: dict[str, str] = entry["query"]
    return func.HttpRequest(
        method=entry["method"],
        url="http://localhost:7071/api/ScatterPlot?" + urlencode(query),
        headers=entry["headers"],
        params=query,
        body=body_of(entry),
    )


def test_the_corpus_covers_every_error_status() -> None:
    assert {entry["status"] for entry in ENTRIES} == {400, 406, 413, 415}
    assert len({entry["name"] for entry in ENTRIES}) == len(ENTRIES)


@pytest.mark.parametrize("entry", ENTRIES, ids=[entry["name"] for entry in ENTRIES])
def test_hostile_request_gets_its_json_error(entry: dict[str, Any]) -> None:
    request = request_of(entry)
    size = len(request.get_body())
    tracemalloc.start()
    try:
        response = main(request)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    body = response.get_body()
    assert response.status_code == entry["status"], body[:300]
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    error = json.loads(body)["error"]
    assert error["code"] == entry["code"], error
    if "field" in entry:
        assert error.get("field") == entry["field"], error
    if "says" in entry:
        assert entry["says"] in error["message"], error
    text = body.decode()
    assert "Traceback" not in text and 'File "' not in text and ".py" not in text
    assert "/work/" not in text and "site-packages" not in text
    assert len(body) < 2048, "error answers quote client input only in short excerpts"
    per_byte = entry.get("peak_per_body_byte", _PEAK_PER_BODY_BYTE)
    assert peak < _PEAK_BASE + per_byte * size, f"peak {peak} bytes for {size}"
    check_response("/ScatterPlot", entry["method"], response)
