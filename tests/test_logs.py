"""Logs carry sizes, timings and error codes, never request bodies, queries or keys."""

from __future__ import annotations

import logging

import pytest

import ScatterPlot
from tests.conftest import RequestFactory

KEY = "k3y-5ecret-0123456789abcdef=="
MARKER = "RecognisableBodyMarker"


@pytest.mark.parametrize(
    ("url", "body", "headers", "status"),
    [
        (
            f"/api/ScatterPlot?code={KEY}&output=record",
            {"x": [1, 2], "y": [3, 4], "title": MARKER},
            {},
            200,
        ),
        (f"/api/ScatterPlot?code={KEY}", {"x": [1, MARKER], "y": [3, 4]}, {}, 400),
        ("/api/ScatterPlot", {"x": [1], "y": [2], MARKER: 1}, {"x-functions-key": KEY}, 400),
        (
            "/api/ScatterPlot",
            f"x,{MARKER}\n1,2\n",
            {"x-functions-key": KEY, "Content-Type": "text/csv"},
            400,
        ),
        (f"/api/ScatterPlot?{MARKER}={KEY}", None, {}, 400),
        (f"/api/ScatterPlot?title=%24{MARKER}%5E%24&code={KEY}", None, {}, 400),
    ],
)
def test_logs_hold_no_body_and_no_key(
    request_factory: RequestFactory,
    caplog: pytest.LogCaptureFixture,
    url: str,
    body: object,
    headers: dict[str, str],
    status: int,
) -> None:
    method = "POST" if body is not None else "GET"
    with caplog.at_level(logging.DEBUG):
        response = ScatterPlot.main(request_factory(url, method=method, body=body, headers=headers))
    assert response.status_code == status
    assert caplog.records, "every request logs a line"
    text = caplog.text
    assert KEY not in text and MARKER not in text
    line = caplog.records[-1].getMessage()
    assert f" {status} " in line and "in=" in line and "out=" in line and "ms=" in line


def test_an_internal_error_logs_the_traceback_but_not_the_body(
    request_factory: RequestFactory,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def explode(spec: object, **options: object) -> bytes:
        raise RuntimeError("render broke")

    monkeypatch.setattr(ScatterPlot, "render", explode)
    with caplog.at_level(logging.DEBUG):
        response = ScatterPlot.main(
            request_factory(
                f"/api/ScatterPlot?code={KEY}",
                method="POST",
                body={"x": [1], "y": [2], "title": MARKER},
            )
        )
    assert response.status_code == 500
    assert "render broke" in caplog.text and "code=InternalError" in caplog.text
    assert KEY not in caplog.text and MARKER not in caplog.text
    assert "render broke" not in response.get_body().decode()
