"""Logs carry sizes, timings and error codes, never request bodies, queries or keys."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

import pytest

import ScatterPlot
from shared.spec import ChartSpec
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


def test_an_internal_error_logs_its_traceback_without_messages_in_one_record(
    request_factory: RequestFactory,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def explode(spec: ChartSpec, **options: object) -> bytes:
        try:
            raise KeyError(f"inner {spec.title}")
        except KeyError:
            raise RuntimeError(f"render broke on {spec.title!r}") from None

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
    assert len(caplog.records) == 1, "one record per request, traceback included"
    text = caplog.text
    assert "code=InternalError" in text and "Traceback" in text
    assert "RuntimeError" in text and "in explode" in text  # the type and the frames
    assert KEY not in text and MARKER not in text  # the messages quote the title: not logged
    assert "render broke" not in response.get_body().decode()


class Collect(logging.Handler):
    """What reaches the root logger's handlers (what the Functions host writes)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.mark.parametrize("image_format", ["png", "jpeg", "svg", "pdf"])
def test_missing_glyphs_are_counted_in_the_one_line_not_logged(
    request_factory: RequestFactory, image_format: str
) -> None:
    # pytest's caplog also listens on loggers that do not propagate, as matplotlib's does
    # here: a handler on the root logger sees what the host would
    # Yi syllables: in none of the service's fonts (CJK would be drawn from the shipped ones)
    title = "".join(chr(0xA000 + index) for index in range(30))
    root = logging.getLogger()
    collect, level = Collect(), root.level
    root.addHandler(collect)
    root.setLevel(logging.DEBUG)
    try:
        for label in ("plain", "$\\alpha\ua000$"):  # text, and math through mathtext
            # a title of its own: a new figure, laid out here (a pooled one warns no more)
            query = {"x": "1,2", "y": "3,4", "format": image_format, "title": title + image_format}
            ScatterPlot.main(
                request_factory("/api/ScatterPlot?" + urlencode({**query, "xlabel": label}))
            )
    finally:
        root.removeHandler(collect)
        root.setLevel(level)
    lines = [record.getMessage() for record in collect.records]
    assert len(lines) == 2, [line[:80] for line in lines]
    for line in lines:
        assert " 200 " in line and int(line.rsplit("warnings=", 1)[1]) > 0
        assert not any(0xA000 <= ord(char) < 0xA100 for char in line)


def test_a_clean_chart_counts_no_warnings(
    request_factory: RequestFactory, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        ScatterPlot.main(request_factory("/api/ScatterPlot?seed=1&title=%24%5Csqrt%7Bx%7D%24"))
    assert caplog.records[-1].getMessage().endswith(" warnings=0")
