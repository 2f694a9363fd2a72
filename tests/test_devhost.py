"""Unit tests of the local host's pieces: routes, keys, local settings, request/response."""

from __future__ import annotations

import json
from pathlib import Path

import azure.functions as func
import pytest

from devhost.invoke import InvalidReturn, build_request, to_reply
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
