"""The landing answer at /api/ and the playground's files: shapes, types, caching, security
headers, the description's word on them, and the page's own rules (no inline script, every id
the script uses exists, every module it imports is served)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import azure.functions as func
import httpx
import pytest

import Landing
import Playground
from shared.site import CONTENT_SECURITY_POLICY, CONTENT_TYPES
from tests.hostprocess import LocalHost
from tests.openapi_check import check_response
from tools.package import app_files

STATIC = Path(Playground.__file__).resolve().parent / "static"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def get(
    function: object, url: str, headers: dict[str, str] | None = None, **route: str
) -> func.HttpResponse:
    """Call a function's ``main`` as the worker does, with route values."""
    request = func.HttpRequest(
        method="GET",
        url="http://localhost:7071" + url,
        headers=headers or {},
        params={},
        route_params=route,
        body=b"",
    )
    response: func.HttpResponse = function.main(request)  # type: ignore[attr-defined]
    return response


@pytest.mark.parametrize("accept", [None, "*/*", "application/json", "text/html;q=0.5, */*"])
def test_the_landing_answer_is_json_unless_html_is_preferred(accept: str | None) -> None:
    response = get(Landing, "/api/", {"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    document = json.loads(response.get_body())
    assert document["links"] == {
        "playground": "/api/playground",
        "chart": "/api/ScatterPlot",
        "openapi": "/api/openapi.json",
        "health": "/api/health",
    }
    assert "scatter charts" in document["description"]
    check_response("/", "GET", response)


@pytest.mark.parametrize("path", ["/api/", "/api"])
def test_a_browser_gets_the_landing_page_with_links(path: str) -> None:
    response = get(Landing, path, {"Accept": BROWSER_ACCEPT})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_body().decode()
    for href in ("/api/playground", "/api/openapi.json", "/api/health"):
        assert f'href="{href}"' in page
    assert 'href="/api/ScatterPlot?seed=1&amp;output=image"' in page
    assert "<script" not in page and "style=" not in page
    assert response.headers["Vary"] == "Accept"
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    check_response("/", "GET", response)


def test_the_landing_answer_revalidates_with_its_etag() -> None:
    first = get(Landing, "/api/")
    again = get(Landing, "/api/", {"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.get_body() == b""
    check_response("/", "GET", again)
    html = get(Landing, "/api/", {"Accept": BROWSER_ACCEPT, "If-None-Match": first.headers["ETag"]})
    assert html.status_code == 200  # the HTML has its own tag


def test_the_playground_page_is_served_with_strict_headers() -> None:
    response = get(Playground, "/api/playground")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.get_body() == (STATIC / "index.html").read_bytes()
    headers = response.headers
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Cache-Control"] == "no-cache"
    check_response("/playground", "GET", response)
    again = get(Playground, "/api/playground", {"If-None-Match": headers["ETag"]})
    assert again.status_code == 304
    check_response("/playground", "GET", again)


def test_a_trailing_slash_is_sent_to_the_page() -> None:
    response = get(Playground, "/api/playground/?x=1", asset="")
    assert response.status_code == 308
    assert response.headers["Location"] == "/api/playground?x=1"


@pytest.mark.parametrize("name", sorted(p.name for p in STATIC.iterdir() if p.is_file()))
def test_every_file_is_served_with_its_type(name: str) -> None:
    response = get(Playground, f"/api/playground/{name}", asset=name)
    assert response.status_code == 200
    assert response.get_body() == (STATIC / name).read_bytes()
    assert response.mimetype == CONTENT_TYPES[Path(name).suffix]
    check_response("/playground/{asset}", "GET", response)


@pytest.mark.parametrize(
    "name", ["nope.js", "../__init__.py", "..%2F__init__.py", "static/app.js", "APP.JS", "."]
)
def test_anything_else_is_an_empty_404(name: str) -> None:
    response = get(Playground, f"/api/playground/{name}", asset=name)
    assert response.status_code == 404
    assert response.get_body() == b""
    check_response("/playground/{asset}", "GET", response)


def test_the_files_are_deployed() -> None:
    kept = set(app_files())
    for path in STATIC.iterdir():
        assert f"Playground/static/{path.name}" in kept
    assert {"Landing/function.json", "Playground/function.json"} <= kept


class _Page(HTMLParser):
    """The ids, scripts, inline styles and event handler attributes of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.scripts: list[dict[str, str | None]] = []
        self.inline: list[str] = []
        self.labelled: set[str] = set()
        self.controls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "script":
            self.scripts.append(found)
        if tag == "style" or "style" in found or any(name.startswith("on") for name in found):
            self.inline.append(tag)
        if tag == "label" and found.get("for"):
            self.labelled.add(str(found["for"]))
        if tag in ("input", "select", "textarea"):
            self.controls.append(str(found.get("id")))


def test_the_page_has_no_inline_script_or_style_and_every_control_is_labelled() -> None:
    page = _Page()
    page.feed((STATIC / "index.html").read_text(encoding="utf-8"))
    assert page.scripts == [{"type": "module", "src": "playground/app.js"}]
    assert page.inline == []
    assert set(page.controls) <= page.labelled


def test_the_scripts_use_only_ids_the_page_has_and_modules_it_serves() -> None:
    page = _Page()
    page.feed((STATIC / "index.html").read_text(encoding="utf-8"))
    for script in STATIC.glob("*.js"):
        source = script.read_text(encoding="utf-8")
        for module in re.findall(r'from "\./([\w.-]+)"', source):
            assert (STATIC / module).is_file(), f"{script.name} imports {module}"
        for forbidden in ("innerHTML", "outerHTML", "eval(", "new Function", "document.write"):
            assert forbidden not in source, f"{script.name} uses {forbidden}"
    used = set(re.findall(r'\$\("([\w-]+)"\)', (STATIC / "app.js").read_text(encoding="utf-8")))
    assert used and used <= page.ids, used - page.ids


def test_the_local_host_serves_the_landing_answer_and_the_page(local_host: LocalHost) -> None:
    base = local_host.base_url
    with httpx.Client(timeout=30) as client:
        landing = client.get(f"{base}/api/")
        assert landing.status_code == 200
        assert landing.json()["links"]["playground"] == "/api/playground"
        assert client.get(f"{base}/api", headers={"Accept": BROWSER_ACCEPT}).headers[
            "content-type"
        ] == ("text/html; charset=utf-8")
        page = client.get(f"{base}/api/playground")
        assert page.headers["content-type"] == "text/html; charset=utf-8"
        assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        module = client.get(f"{base}/api/playground/app.js")
        assert module.headers["content-type"] == "text/javascript; charset=utf-8"
        slash = client.get(f"{base}/api/playground/")
        assert (slash.status_code, slash.headers["location"]) == (308, "/api/playground")
        assert client.get(f"{base}/api/nothing-here").status_code == 404
