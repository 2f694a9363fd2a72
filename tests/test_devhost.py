"""Unit tests of the local host's pieces: routes, keys, local settings, request/response,
load-time checks, worker settings, the listening socket. Each states the real host's or
worker's behaviour it copies."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import azure.functions as func
import httpx
import pytest

from devhost.inbound import build_request, header_values, query_values
from devhost.invoke import Invocation
from devhost.keys import Keys, presented_key
from devhost.outbound import InvalidReturn, to_reply
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


def test_build_request_as_the_host_builds_it() -> None:
    request = build_request(
        method="post",
        url="http://127.0.0.1:7071/api/x?a=1&a=2",
        headers=[("X-Tag", "one"), ("x-tag", "two")],
        query=[("a", "1"), ("a", "2"), ("b", "")],
        route_params={"id": "3"},
        body=b"hello",
    )
    assert request.method == "POST"
    assert dict(request.params) == {"a": "1,2"}  # the empty b is dropped
    assert request.headers["X-TAG"] == "one,two"  # joined with ",", no space
    assert request.route_params == {"id": "3"}
    assert request.get_body() == b"hello"


@pytest.mark.parametrize(
    ("query", "params"),
    [
        # the host adds a query value only when it is not empty
        ([("width", ""), ("output", "image")], {"output": "image"}),
        ([("a", "1"), ("a", "2")], {"a": "1,2"}),
        # ASP.NET groups names without regard to case and keeps the first spelling
        ([("Seed", "1"), ("seed", "2")], {"Seed": "1,2"}),
        # StringValues.ToString() of ["", ""] is "," (not empty), so it is kept
        ([("x", ""), ("x", "")], {"x": ","}),
        ([("x", ""), ("x", "3")], {"x": ",3"}),
    ],
)
def test_query_values_as_the_host_passes_them(
    query: list[tuple[str, str]], params: dict[str, str]
) -> None:
    assert query_values(query) == params


def test_header_values_are_lower_case_and_joined_with_a_comma() -> None:
    assert header_values([("Accept", "a"), ("ACCEPT", "b"), ("X-Empty", "")]) == {
        "accept": "a,b",
        "x-empty": "",  # the Python worker does not ask the host to drop empty headers
    }


@pytest.mark.parametrize(
    ("headers", "query", "key"),
    [
        ([], [], None),
        ([], [("code", "right")], "right"),
        ([("X-Functions-Key", "wrong")], [("code", "right")], "wrong"),  # the header wins
        ([("x-functions-key", "right")], [("code", "wrong")], "right"),
        ([], [("code", "wrong"), ("code", "right")], "wrong"),  # the first code counts
        ([("x-functions-key", "a"), ("x-functions-key", "b")], [], "a"),
        ([("x-functions-key", "")], [("code", "right")], ""),  # an empty header hides ?code=
        ([], [("CODE", "right")], "right"),  # ASP.NET query names ignore case
    ],
)
def test_presented_key_as_the_host_picks_it(
    headers: list[tuple[str, str]], query: list[tuple[str, str]], key: str | None
) -> None:
    assert presented_key(headers, query) == key


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


@pytest.mark.parametrize("value", [{"a": 1}, b"bytes", None, 42])
def test_to_reply_refuses_what_the_worker_cannot_encode(value: object) -> None:
    with pytest.raises(InvalidReturn, match="HttpResponse or a str"):
        to_reply(value)


@pytest.mark.parametrize(
    ("text", "status", "content_type", "body"),
    [
        # not JSON: written as it is by StringOutputFormatter, text/plain in UTF-8
        ("hé llo", 200, "text/plain; charset=utf-8", "hé llo".encode()),
        ("", 200, "text/plain; charset=utf-8", b""),
        # a JSON object with a body is a response object (HttpBinding.ParseResponseObject)
        (
            '{"status": 201, "body": "made", "headers": {"Content-Type": "application/json"}}',
            201,
            "application/json; charset=utf-8",
            b"made",
        ),
        (
            '{"statusCode": "404", "Body": {"a": [1, 2]}}',
            404,
            "text/plain; charset=utf-8",
            b'{"a":[1,2]}',
        ),
        # other JSON is written as .NET's ToString() prints it
        ('{"a": 1}', 200, "text/plain; charset=utf-8", b'{\n  "a": 1\n}'),
        ("true", 200, "text/plain; charset=utf-8", b"True"),
        ("12", 200, "text/plain; charset=utf-8", b"12"),
        ('"quoted"', 200, "text/plain; charset=utf-8", b"quoted"),
    ],
)
def test_a_returned_string_becomes_the_response_the_host_makes(
    text: str, status: int, content_type: str, body: bytes
) -> None:
    reply = to_reply(text)
    assert (reply.status, reply.body) == (status, body)
    assert ("content-type", content_type) in reply.headers
    assert ("content-length", str(len(body))) in reply.headers


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
    endpoint = endpoint_for(function, "api", Invocation(function, main, ThreadPoolExecutor(2)))
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


# --- routes: ASP.NET Core's inline constraints with arguments --------------------------------


@pytest.mark.parametrize(
    ("route", "path", "values"),
    [
        ("n/{s:minlength(2)}", "/api/n/ab", {"s": "ab"}),
        ("n/{s:minlength(2)}", "/api/n/a", None),
        ("n/{s:maxlength(2)}", "/api/n/abc", None),
        ("n/{s:length(3)}", "/api/n/abc", {"s": "abc"}),
        ("n/{s:length(3)}", "/api/n/ab", None),
        ("n/{s:length(1,2)}", "/api/n/ab", {"s": "ab"}),
        ("n/{s:length(1, 2)}", "/api/n/abc", None),
        ("n/{i:min(10)}", "/api/n/10", {"i": "10"}),
        ("n/{i:min(10)}", "/api/n/9", None),
        ("n/{i:min(10)}", "/api/n/ten", None),
        ("n/{i:max(10)}", "/api/n/-5", {"i": "-5"}),
        ("n/{i:max(10)}", "/api/n/11", None),
        ("n/{i:range(1,3)}", "/api/n/3", {"i": "3"}),
        ("n/{i:range(1,3)}", "/api/n/4", None),
        ("n/{i:int:range(1,3)}", "/api/n/2", {"i": "2"}),
        # regex is not anchored (IsMatch), ignores case; {{ }} are braces in a template
        ("n/{c:regex(^\\d{{3}}$)}", "/api/n/123", {"c": "123"}),
        ("n/{c:regex(^\\d{{3}}$)}", "/api/n/1234", None),
        ("n/{c:regex(b)}", "/api/n/aBc", {"c": "aBc"}),
        ("n/{c:regex(^(a|b)$)}", "/api/n/b", {"c": "b"}),
        ("n/{d:datetime}", "/api/n/2024-01-31", {"d": "2024-01-31"}),
        ("n/{d:datetime}", "/api/n/2024-01-31T12:30:00Z", {"d": "2024-01-31T12:30:00Z"}),
        ("n/{d:datetime}", "/api/n/yesterday", None),
        ("n/{d:datetime}", "/api/n/2024-02-30", None),
        ("n/{b:bool}", "/api/n/TRUE", {"b": "TRUE"}),
        ("n/{b:bool}", "/api/n/yes", None),
        ("n/{f:double}", "/api/n/1.5e3", {"f": "1.5e3"}),
        ("n/{f:double}", "/api/n/NaN", {"f": "NaN"}),
        ("n/{f:double}", "/api/n/1_000", None),
        ("n/{f:decimal}", "/api/n/1.5", {"f": "1.5"}),
        ("n/{f:decimal}", "/api/n/1e3", None),
        ("n/{x:file}", "/api/n/a.png", {"x": "a.png"}),
        ("n/{x:file}", "/api/n/a.", None),
        ("n/{x:nonfile}", "/api/n/a", {"x": "a"}),
        ("n/{x:alpha:minlength(2)}", "/api/n/ab", {"x": "ab"}),
        ("n/{x:ALPHA}", "/api/n/a1", None),
        # a default fills a value left out
        ("chart/{format=png}", "/api/chart", {"format": "png"}),
        ("chart/{format=png}", "/api/chart/svg", {"format": "svg"}),
        ("chart/{format=png}/{size?}", "/api/chart", {"format": "png"}),
        ("chart/{format=png}/{size?}", "/api/chart/svg/9", {"format": "svg", "size": "9"}),
        # complex segments match their literals from the right, as ASP.NET does
        ("f/{name}.{ext}", "/api/f/a.b.c", {"name": "a.b", "ext": "c"}),
    ],
)
def test_route_constraints_with_arguments(
    route: str, path: str, values: dict[str, str] | None
) -> None:
    assert compile_route("api", route).match(path) == values


@pytest.mark.parametrize("path", ["/api", "/api/", "/API"])
def test_an_optional_length_0_parameter_routes_the_empty_path(path: str) -> None:
    # ASP.NET's PathTokenizer ignores a trailing slash, so /api and /api/ both match
    assert compile_route("api", "{page:maxlength(0)?}").match(path) == {}


@pytest.mark.parametrize("path", ["/api/ScatterPlot", "/api/x", "/api//", "/", "/apix"])
def test_an_optional_length_0_parameter_swallows_nothing_else(path: str) -> None:
    assert compile_route("api", "{page:maxlength(0)?}").match(path) is None


def test_literal_routes_come_before_parameters_and_catch_alls() -> None:
    """ASP.NET Core's inbound precedence, digit by digit: literal 1, constrained parameter 2,
    parameter 3, constrained catch-all 4, catch-all 5."""
    routes = [
        compile_route("api", template)
        for template in ("{*rest}", "{page:maxlength(0)?}", "{name}", "ScatterPlot", "")
    ]
    ordered = sorted(routes, key=lambda route: route.precedence)
    assert [route.template for route in ordered] == [
        "/api",
        "/api/ScatterPlot",
        "/api/{page:maxlength(0)?}",
        "/api/{name}",
        "/api/{*rest}",
    ]


@pytest.mark.parametrize(
    "route",
    [
        "a/{x:maxlength}",
        "a/{x:maxlength(-1)}",
        "a/{x:length(3,1)}",
        "a/{x:range(5,1)}",
        "a/{x:min(one)}",
        "a/{x:regex((unclosed)}",
        "a/{x:int(3)}",
        "a/{x?}/b",
        "a/{*x?}",
        "a/{x=1?}",
        "a/{x}{y}",
        "a/{}",
        "a/{x:}",
    ],
)
def test_route_constraints_the_host_would_refuse(route: str) -> None:
    with pytest.raises(ValueError):
        compile_route("api", route)


# --- loading: the worker's checks of main's annotations --------------------------------------


def _function(wants_context: bool = False) -> Any:
    from devhost.config import FunctionConfig

    return FunctionConfig(
        name="Chart",
        folder=Path("."),
        script=Path("__init__.py"),
        entry_point="main",
        route="chart",
        methods=None,
        auth_level="anonymous",
        binding_name="req",
        wants_context=wants_context,
    )


def _main_annotated(annotations: str) -> Any:
    namespace: dict[str, Any] = {"func": func, "typing": __import__("typing")}
    exec(f"def main{annotations}:\n    pass\n", namespace)
    return namespace["main"]


@pytest.mark.parametrize(
    "annotations",
    [
        "(req)",
        "(req: func.HttpRequest) -> func.HttpResponse",
        "(req: func.HttpRequest) -> str",
        "(req: 'func.HttpRequest') -> 'func.HttpResponse'",
        "(req, context: func.Context) -> func.HttpResponse",
        "(req: str) -> func.HttpResponse",  # str and bytes go to the generic binding
    ],
)
def test_annotations_the_worker_loads(annotations: str) -> None:
    from devhost.loading import check_entry_point

    check_entry_point(_function(), _main_annotated(annotations))


@pytest.mark.parametrize(
    ("annotations", "message"),
    [
        ("(req) -> dict", 'Python return annotation "dict" does not match binding type "http"'),
        ("(req) -> bytes", 'Python return annotation "bytes" does not match'),
        ("(req) -> None", 'Python return annotation "NoneType" does not match'),
        ("(req) -> typing.Optional[func.HttpResponse]", "invalid non-type return annotation"),
        ("(req) -> dict[str, str]", "invalid non-type return annotation"),
        ("(req) -> func.Out[func.HttpResponse]", "should not be azure.functions.Out"),
        ("(req: dict) -> str", 'does not match its Python annotation "dict"'),
        ("(req, context: int)", "expected to be of type azure.functions.Context"),
        ("(req) -> 'Missing'", "annotations cannot be read"),
    ],
)
def test_annotations_the_worker_refuses(annotations: str, message: str) -> None:
    from devhost.loading import FunctionLoadError, check_entry_point

    with pytest.raises(FunctionLoadError, match="cannot load the Chart function") as caught:
        check_entry_point(_function(), _main_annotated(annotations))
    assert message in str(caught.value)


# --- workers: process count and thread pool size ---------------------------------------------


@pytest.mark.parametrize(("value", "count"), [(None, 1), ("1", 1), (" 4 ", 4), ("10", 10)])
def test_process_count_from_the_setting(value: str | None, count: int) -> None:
    from devhost.workers import process_count

    environ = {} if value is None else {"FUNCTIONS_WORKER_PROCESS_COUNT": value}
    assert process_count(environ) == count


@pytest.mark.parametrize("value", ["0", "11", "-1", "two", "1.5"])
def test_a_bad_process_count_is_a_start_up_error(value: str) -> None:
    from devhost.workers import process_count

    with pytest.raises(ValueError, match="FUNCTIONS_WORKER_PROCESS_COUNT .* from 1 to 10"):
        process_count({"FUNCTIONS_WORKER_PROCESS_COUNT": value})


def test_thread_pool_size_as_the_worker_sizes_it(caplog: pytest.LogCaptureFixture) -> None:
    import os

    from devhost.workers import thread_pool

    # Python >= 3.9: no setting -> ThreadPoolExecutor's own default
    default = min(32, (os.cpu_count() or 1) + 4)
    assert thread_pool({})._max_workers == default
    assert thread_pool({"PYTHON_THREADPOOL_THREAD_COUNT": "3"})._max_workers == 3
    # a bad value is logged and the default used, as the worker does
    assert thread_pool({"PYTHON_THREADPOOL_THREAD_COUNT": "0"})._max_workers == default
    assert thread_pool({"PYTHON_THREADPOOL_THREAD_COUNT": "x"})._max_workers == default
    assert "PYTHON_THREADPOOL_THREAD_COUNT must be" in caplog.text


# --- the listening socket --------------------------------------------------------------------


def test_a_busy_port_is_one_line_naming_the_port_flag() -> None:
    import socket

    from devhost.server import HostError, bind

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(HostError) as caught:
            bind("127.0.0.1", port)
    message = str(caught.value)
    assert message.startswith(f"port {port} is in use; choose another with --port ")
    suggested = int(message.rsplit(" ", 1)[1])
    assert suggested > port and "\n" not in message
    with bind("127.0.0.1", suggested) as sock:  # the port it suggests was free
        assert sock.getsockname()[1] == suggested
