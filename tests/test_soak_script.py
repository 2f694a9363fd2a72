"""The soak script, against a loopback stand-in that hands requests to the functions' main().

The stand-in is a plain ``http.server`` for testing the script only; the real soak runs
against the local host (see docs/testing.md, "Soak test").
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import azure.functions as func
import pytest

import Health
import OpenAPI
import ScatterPlot
from benchmarks import soak

Handler = Callable[[func.HttpRequest], func.HttpResponse]
ROUTES: dict[str, Handler] = {
    "/api/ScatterPlot": ScatterPlot.main,
    "/api/health": Health.main,
    "/api/openapi.json": OpenAPI.main,
}


def serve(routes: dict[str, Handler]) -> Iterator[str]:
    class Adapter(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            request = func.HttpRequest(
                method=self.command,
                url="http://127.0.0.1" + self.path,
                headers=dict(self.headers.items()),
                params=dict(parse_qsl(parts.query, keep_blank_values=True)),
                body=self.rfile.read(length),
            )
            response = routes[parts.path](request)
            body = response.get_body() or b""
            self.send_response(response.status_code)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _handle

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Adapter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def app_url() -> Iterator[str]:
    yield from serve(ROUTES)


def test_a_short_soak_passes(app_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--url", app_url, "--requests", "60", "--concurrency", "4", "--every", "20"]
    argv += ["--pid", str(os.getpid()), "--max-growth-mb", "500"]
    assert soak.main(argv) == 0
    out = capsys.readouterr().out
    assert "rss" in out and "200: " in out and "400: " in out


def test_the_memory_ceiling_run_sends_distinct_styles(
    app_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--url", app_url, "--requests", "4", "--styles", "30", "--pid", str(os.getpid())]
    assert soak.main([*argv, "--max-growth-mb", "500"]) == 0
    assert "30 distinct styles: rss" in capsys.readouterr().out
    titles = {probe.path for probe in soak.style_probes(50)}
    assert len(titles) == 50 and all("width=16" in path for path in titles)


def test_a_5xx_fails_the_soak(capsys: pytest.CaptureFixture[str]) -> None:
    def broken(req: func.HttpRequest) -> func.HttpResponse:
        return func.HttpResponse(b"{}", status_code=500)

    for url in serve(dict.fromkeys(ROUTES, broken)):
        assert soak.main(["--url", url, "--requests", "4"]) == 1
    assert "FAIL" in capsys.readouterr().err


@pytest.mark.parametrize("url", ["http://10.1.2.3:7071", "http://example.org", "ftp://127.0.0.1"])
def test_only_loopback_urls_are_accepted(url: str) -> None:
    with pytest.raises(SystemExit) as stop:
        soak.main(["--url", url, "--requests", "1"])
    assert stop.value.code == 2


def test_the_mix_holds_good_and_hostile_requests() -> None:
    mix = list(soak.probes(400))
    assert len(mix) == 400
    assert {p.path.split("?")[0] for p in mix} >= set(ROUTES)
    assert all(len(p.body) <= 256 * 1024 + 1024 for p in mix)
    assert soak.rss_bytes(os.getpid()) > 0
