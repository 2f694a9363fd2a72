"""Unit tests of the local host's pieces: routes, keys, local settings, request/response."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import azure.functions as func
import httpx
import pytest

from devhost.invoke import InvalidReturn, Invocation, build_request, to_reply
from devhost.keys import Keys
from devhost.routes import compile_route
from devhost.settings import load_local_settings


@pytest.mark.parametrize(
    ("route", "path", "values"),
    [
        ("ScatterPlot", "/api/ScatterPlot", {}),
        ("ScatterPlot", "/api/scatterplot/", {}),
        ("ScatterPlot", "/api/ScatterPlot/x", None),
        ("ScatterPlot", "/ScatterPlot", None),
        ("items/{id:int}", "/api/items/42", {"id": "42"}),
        ("items/{id:int}", "/api/items/4x", None),
        ("items/{id:int}", "/api/items/99999999999", None),
        ("items/{id:long}", "/api/items/99999999999", {"id": "99999999999"}),
        ("items/{name:alpha}", "/api/items/abc", {"name": "abc"}),
        ("items/{name:alpha}", "/api/items/ab1", None),
        (
            "items/{id:guid}",
            "/api/items/8c4b3c9e-4d4a-4f7e-9a55-3c2b1f0e9d8a",
            {"id": "8c4b3c9e-4d4a-4f7e-9a55-3c2b1f0e9d8a"},
        ),
        ("items/{name?}", "/api/items", {}),
        ("items/{name?}", "/api/items/a", {"name": "a"}),
        ("items/{name?}", "/api/items/a/b", None),
        ("files/{*rest}", "/api/files/a/b/c.png", {"rest": "a/b/c.png"}),
        ("files/{*rest}", "/api/files", {}),
        ("chart.{ext}", "/api/chart.svg", {"ext": "svg"}),
    ],
)
def test_route_templates(route: str, path: str, values: dict[str, str] | None) -> None:
    assert compile_route("api", route).match(path) == values


def test_an_empty_route_prefix() -> None:
    assert compile_route("", "ScatterPlot").match("/ScatterPlot") == {}


@pytest.mark.parametrize("route", ["a/{x:nope}", "{*rest}/more", "a//b", "a/{x}/{x}", "a/{broken"])
def test_bad_route_templates_are_refused(route: str) -> None:
    with pytest.raises(ValueError):
        compile_route("api", route)


@pytest.mark.parametrize(
    ("keys", "level", "given", "allowed"),
    [
        (Keys(), "function", None, True),
        (Keys(), "admin", None, True),
        (Keys(function="f"), "function", None, False),
        (Keys(function="f"), "function", "f", True),
        (Keys(function="f"), "function", "F", False),
        (Keys(function="f"), "anonymous", None, True),
        (Keys(function="f", master="m"), "function", "m", True),
        (Keys(function="f", master="m"), "admin", "f", False),
        (Keys(function="f", master="m"), "admin", "m", True),
        (Keys(master="m"), "function", "", False),
    ],
)
def test_keys(keys: Keys, level: str, given: str | None, allowed: bool) -> None:
    assert keys.allows(level, given) is allowed


def test_local_settings_fill_the_environment_without_overriding(tmp_path: Path) -> None:
    (tmp_path / "local.settings.json").write_text(
        json.dumps({"IsEncrypted": False, "Values": {"A": "1", "B": "2"}})
    )
    environ = {"B": "from env"}
    assert load_local_settings(tmp_path, environ) == ["A"]
    assert environ == {"A": "1", "B": "from env"}


@pytest.mark.parametrize("text", ['{"Values": {"A": 1}}', '{"Values": []}', "{oops"])
def test_bad_local_settings_are_refused(tmp_path: Path, text: str) -> None:
    (tmp_path / "local.settings.json").write_text(text)
    with pytest.raises(ValueError):
        load_local_settings(tmp_path, {})


def test_no_local_settings_is_fine(tmp_path: Path) -> None:
    assert load_local_settings(tmp_path, {}) == []


def test_build_request_joins_repeated_names() -> None:
    request = build_request(
        method="post",
        url="http://127.0.0.1:7071/api/x?a=1&a=2",
        headers=[("X-Tag", "one"), ("x-tag", "two")],
        query=[("a", "1"), ("a", "2"), ("b", "")],
        route_params={"id": "3"},
        body=b"hello",
    )
    assert request.method == "POST"
    assert dict(request.params) == {"a": "1,2", "b": ""}
    assert request.headers["X-TAG"] == "one, two"
    assert request.route_params == {"id": "3"}
    assert request.get_body() == b"hello"


def test_to_reply_sets_content_type_from_mimetype_and_charset() -> None:
    text = to_reply(func.HttpResponse("hé", status_code=201, mimetype="text/plain"))
    assert text.status == 201
    assert ("content-type", "text/plain; charset=utf-8") in text.headers
    assert text.body == "hé".encode()
    image = to_reply(func.HttpResponse(b"\x89PNG", mimetype="image/png", headers={"X-A": "1"}))
    assert ("content-type", "image/png") in image.headers
    assert ("x-a", "1") in image.headers
    assert ("content-length", "4") in image.headers


def test_to_reply_keeps_an_explicit_content_type() -> None:
    reply = to_reply(func.HttpResponse(b"{}", headers={"Content-Type": "application/json"}))
    assert [v for n, v in reply.headers if n == "content-type"] == ["application/json"]


def test_to_reply_refuses_anything_but_an_http_response() -> None:
    with pytest.raises(InvalidReturn):
        to_reply("just a string")


def test_cors_origins_come_from_the_host_section_of_local_settings(tmp_path: Path) -> None:
    from devhost.settings import load_cors_origins, parse_origins

    assert load_cors_origins(tmp_path) == ()
    (tmp_path / "local.settings.json").write_text(
        json.dumps({"Values": {}, "Host": {"CORS": "http://localhost:3000, https://a.example"}})
    )
    assert load_cors_origins(tmp_path) == ("http://localhost:3000", "https://a.example")
    assert parse_origins(" * ") == ("*",)
    (tmp_path / "local.settings.json").write_text(json.dumps({"Host": {"CORS": ["*"]}}))
    with pytest.raises(ValueError, match="Host.CORS"):
        load_cors_origins(tmp_path)


def _cors_app(cors_origins: tuple[str, ...]) -> Any:
    """The local host's ASGI app with one anonymous GET function answering ``ok``."""
    from devhost.app import create_app, endpoint_for
    from devhost.config import FunctionConfig

    def main(req: func.HttpRequest) -> func.HttpResponse:
        return func.HttpResponse(b"ok", mimetype="text/plain", headers={"ETag": '"1"'})

    function = FunctionConfig(
        name="Chart",
        folder=Path("."),
        script=Path("__init__.py"),
        entry_point="main",
        route="chart",
        methods=frozenset({"GET"}),
        auth_level="anonymous",
        binding_name="req",
    )
    endpoint = endpoint_for(function, "api", Invocation(function, main))
    return create_app([endpoint], Keys(), cors_origins=cors_origins)


def _send(app: Any, method: str, headers: dict[str, str]) -> httpx.Response:
    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.request(method, "/api/chart", headers=headers)

    return asyncio.run(call())


def test_cors_headers_only_when_origins_are_configured() -> None:
    origin = {"Origin": "http://localhost:3000"}
    closed = _send(_cors_app(()), "GET", origin)
    assert closed.status_code == 200 and "access-control-allow-origin" not in closed.headers
    app = _cors_app(("http://localhost:3000",))
    answer = _send(app, "GET", origin)
    assert answer.headers["access-control-allow-origin"] == "http://localhost:3000"
    exposed = answer.headers["access-control-expose-headers"].lower()
    assert "etag" in exposed and "x-scatterplot-skipped-rows" in exposed
    preflight = _send(
        app,
        "OPTIONS",
        {
            **origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-functions-key",
        },
    )
    assert preflight.status_code == 200
    assert "x-functions-key" in preflight.headers["access-control-allow-headers"].lower()
    other = _send(app, "GET", {"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
