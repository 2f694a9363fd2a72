"""End-to-end: the local host in a subprocess, called over real HTTP.

Two hosts: the real app (no keys), and a test app in a temporary folder whose functions echo,
fail, wait for each other and require keys, configured through its local.settings.json.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import textwrap
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from client.cli import main as client_main
from tests.conftest import decode_png
from tests.hostprocess import LocalHost, running_host

FUNCTION_KEY = "test-function-key"
MASTER_KEY = "test-master-key"
TOGETHER = 3

FUNCTIONS: dict[str, tuple[dict[str, object], str]] = {
    "Echo": (
        {
            "authLevel": "anonymous",
            "methods": ["get", "post", "put"],
            "route": "echo/{id:int}/{*rest}",
        },
        """
        import json
        import os
        import threading

        import azure.functions as func


        def main(req: func.HttpRequest, context) -> func.HttpResponse:
            document = {
                "function": context.function_name,
                "method": req.method,
                "url": req.url,
                "params": dict(req.params),
                "route": dict(req.route_params),
                "tag": req.headers.get("x-tag"),
                "body": req.get_body().decode(),
                "setting": os.environ.get("ECHO_SETTING"),
                "thread": threading.current_thread().name,
            }
            return func.HttpResponse(json.dumps(document), mimetype="application/json",
                                     headers={"X-Echo": "yes"})
        """,
    ),
    "Boom": (
        {"authLevel": "anonymous"},
        """
        def main(req):
            raise RuntimeError("the secret detail of a failure")
        """,
    ),
    "Wrong": (
        {"authLevel": "anonymous"},
        """
        def main(req):
            return {"not": "an HttpResponse"}
        """,
    ),
    "Text": (
        {"authLevel": "anonymous", "methods": ["get"]},
        """
        import azure.functions as func


        def main(req: func.HttpRequest) -> str:
            return "plain text"
        """,
    ),
    "Dict": (
        {"authLevel": "anonymous", "methods": ["get"]},
        """
        import azure.functions as func


        def main(req: func.HttpRequest) -> dict:
            return {"never": "served"}
        """,
    ),
    "Landing": (
        {"authLevel": "anonymous", "methods": ["get"], "route": "{page:maxlength(0)?}"},
        """
        import azure.functions as func


        def main(req: func.HttpRequest) -> func.HttpResponse:
            return func.HttpResponse("landing")
        """,
    ),
    "Together": (
        {"authLevel": "anonymous", "methods": ["get"]},
        f"""
        import threading

        import azure.functions as func

        BARRIER = threading.Barrier({TOGETHER}, timeout=30)


        def main(req: func.HttpRequest) -> func.HttpResponse:
            BARRIER.wait()  # only passes when {TOGETHER} requests run at the same time
            return func.HttpResponse("together")
        """,
    ),
    "Chart": (
        {"authLevel": "function", "methods": ["get", "post"]},
        """
        from ScatterPlot import main as chart


        def main(req):
            return chart(req)
        """,
    ),
    "Admin": (
        {"authLevel": "admin", "methods": ["get"]},
        """
        import azure.functions as func


        def main(req: func.HttpRequest) -> func.HttpResponse:
            return func.HttpResponse("admin")
        """,
    ),
}


def _write_app(root: Path) -> None:
    (root / "host.json").write_text(
        json.dumps({"version": "2.0", "extensions": {"http": {"routePrefix": "api"}}})
    )
    values = {
        "FUNCTIONS_WORKER_RUNTIME": "python",
        "LOCAL_FUNCTION_KEY": FUNCTION_KEY,
        "LOCAL_MASTER_KEY": MASTER_KEY,
        "ECHO_SETTING": "from local settings",
    }
    (root / "local.settings.json").write_text(json.dumps({"IsEncrypted": False, "Values": values}))
    for name, (trigger, source) in FUNCTIONS.items():
        folder = root / name
        folder.mkdir()
        bindings: list[dict[str, object]] = [
            {"type": "httpTrigger", "direction": "in", "name": "req", **trigger},
            {"type": "http", "direction": "out", "name": "$return"},
        ]
        document = {"scriptFile": "__init__.py", "bindings": bindings}
        (folder / "function.json").write_text(json.dumps(document))
        (folder / "__init__.py").write_text(textwrap.dedent(source).lstrip())


@pytest.fixture(scope="module")
def test_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalHost]:
    root = tmp_path_factory.mktemp("testapp")
    _write_app(root)
    with running_host(root, root / "host.log", args=["--request-headers-timeout", "2"]) as host:
        yield host


# --- the real app -------------------------------------------------------------------------


def test_client_writes_the_chart(
    local_host: LocalHost, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "scatter.png"
    url = local_host.base_url + "/api/ScatterPlot"
    code = client_main(
        ["--url", url, "--seed", "1", "--width", "320", "--height", "240", "--out", str(out)],
        environ={},
    )
    assert code == 0
    assert decode_png(out.read_bytes()).shape == (240, 320, 4)
    assert capsys.readouterr().out == f"wrote {out}: png 320x240, {out.stat().st_size} bytes\n"


def test_client_bearer_azure_ml_request(local_host: LocalHost, tmp_path: Path) -> None:
    data = tmp_path / "weather.csv"
    data.write_text("day,rain\n1,3\n2,5\n3,1\n")
    out = tmp_path / "rain.png"
    url = local_host.base_url + "/api/ScatterPlot?api-version=2.0&details=true"
    code = client_main(
        [
            "--url",
            url,
            "--bearer",
            "old-service-key",
            "--csv",
            str(data),
            "--x-column",
            "day",
            "--y-column",
            "rain",
            "--width",
            "200",
            "--height",
            "100",
            "--out",
            str(out),
        ],
        environ={},
    )
    assert code == 0
    assert decode_png(out.read_bytes()).shape == (100, 200, 4)


def test_client_prints_the_server_error(
    local_host: LocalHost, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = local_host.base_url + "/api/ScatterPlot"
    code = client_main(
        ["--url", url, "--width", "5000", "--out", str(tmp_path / "a.png")], environ={}
    )
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: width is 5000") and "(HTTP 400 InvalidOption)" in err


def test_raw_http_answers(local_host: LocalHost) -> None:
    with httpx.Client(base_url=local_host.base_url, timeout=30) as http:
        table = http.get("/api/ScatterPlot", params={"seed": "1"})
        assert table.status_code == 200
        assert table.headers["content-type"] == "application/json"
        assert table.headers["cache-control"].startswith("public, max-age=")
        assert int(table.headers["content-length"]) == len(table.content)
        uri = table.json()["Results"]["output1"]["value"]["Values"][0][0]
        assert uri.startswith("data:image/png;base64,")
        etag = table.headers["etag"]
        again = http.get("/api/ScatterPlot", params={"seed": "1"}, headers={"If-None-Match": etag})
        assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", etag)
        image = http.get("/api/scatterplot", params={"output": "image", "format": "svg"})
        assert (image.status_code, image.headers["content-type"]) == (200, "image/svg+xml")
        assert image.headers["cache-control"] == "no-store" and "etag" not in image.headers
        bad = http.post(
            "/api/ScatterPlot", content=b"{oops", headers={"Content-Type": "application/json"}
        )
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "MalformedBody"
        for method, path in [
            ("GET", "/api/Nope"),
            ("GET", "/ScatterPlot"),
            ("DELETE", "/api/ScatterPlot"),
            ("PUT", "/api/ScatterPlot"),
            ("HEAD", "/api/ScatterPlot"),
        ]:
            missing = http.request(method, path)
            assert (missing.status_code, missing.content) == (404, b""), (method, path)
        assert http.get("/api/ScatterPlot?" + "a" * 5000).status_code == 414


def test_keep_alive_serves_several_requests_on_one_connection(local_host: LocalHost) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", local_host.port, timeout=30)
    try:
        sockets = []
        for query in ("seed=1&output=record", "seed=2&format=svg&output=image", "n=10"):
            connection.request("GET", "/api/ScatterPlot?" + query)
            response = connection.getresponse()
            assert response.status == 200
            assert response.read()
            sockets.append(connection.sock)
        assert sockets[0] is not None and all(s is sockets[0] for s in sockets)
    finally:
        connection.close()


def test_concurrent_requests(local_host: LocalHost) -> None:
    with httpx.Client(base_url=local_host.base_url, timeout=60) as http:

        def get(seed: int) -> int:
            response = http.get("/api/ScatterPlot", params={"seed": seed, "output": "image"})
            return len(decode_png(response.content))

        with ThreadPoolExecutor(max_workers=6) as pool:
            assert list(pool.map(get, range(12))) == [480] * 12


def test_one_log_line_per_request_without_the_query(local_host: LocalHost) -> None:
    httpx.get(local_host.base_url + "/api/Missing?code=very-secret", timeout=30)
    log = local_host.log_text()
    assert "GET /api/Missing 404 0 bytes" in log
    assert "very-secret" not in log


# --- the test app: routes, failures, keys -------------------------------------------------


def test_route_params_query_headers_body_and_local_settings(test_host: LocalHost) -> None:
    response = httpx.put(
        test_host.base_url + "/api/echo/42/a/b.png?x=1&x=2&y=",
        content=b"payload",
        headers=[("X-Tag", "t"), ("X-Tag", "u")],
        timeout=30,
    )
    assert response.status_code == 200
    assert response.headers["x-echo"] == "yes"
    assert response.headers["content-type"] == "application/json"
    echo = response.json()
    assert echo["method"] == "PUT"
    assert echo["url"] == test_host.base_url + "/api/echo/42/a/b.png?x=1&x=2&y="
    # the host drops empty query values and joins repeated names and headers with ","
    assert echo["params"] == {"x": "1,2"}
    assert echo["route"] == {"id": "42", "rest": "a/b.png"}
    assert (echo["tag"], echo["body"]) == ("t,u", "payload")
    assert echo["setting"] == "from local settings"
    assert echo["function"] == "Echo"
    assert httpx.get(test_host.base_url + "/api/echo/x/a", timeout=30).status_code == 404


def test_a_failing_function_is_a_500_without_traceback(test_host: LocalHost) -> None:
    for path in ("/api/Boom", "/api/Wrong"):
        response = httpx.get(test_host.base_url + path, timeout=30)
        assert (response.status_code, response.content) == (500, b""), path
    log = test_host.log_text()
    assert "RuntimeError: the secret detail of a failure" in log
    assert "Traceback" in log
    assert "an http $return binding takes an azure.functions.HttpResponse or a str" in log


def test_a_returned_string_is_a_plain_text_answer(test_host: LocalHost) -> None:
    response = httpx.get(test_host.base_url + "/api/Text", timeout=30)
    assert (response.status_code, response.text) == (200, "plain text")
    assert response.headers["content-type"] == "text/plain; charset=utf-8"


def test_a_return_annotation_the_worker_refuses_is_not_served(test_host: LocalHost) -> None:
    assert httpx.get(test_host.base_url + "/api/Dict", timeout=30).status_code == 404
    log = test_host.log_text()
    assert "cannot load the Dict function" in log
    assert 'Python return annotation "dict" does not match binding type "http"' in log


@pytest.mark.parametrize("path", ["/api", "/api/"])
def test_an_optional_length_0_route_serves_the_route_prefix(
    test_host: LocalHost, path: str
) -> None:
    response = httpx.get(test_host.base_url + path, timeout=30)
    assert (response.status_code, response.text) == (200, "landing")


def test_an_optional_length_0_route_swallows_no_other_path(test_host: LocalHost) -> None:
    assert httpx.get(test_host.base_url + "/api/Text", timeout=30).text == "plain text"
    assert httpx.get(test_host.base_url + "/api/nothing-here", timeout=30).status_code == 404


def test_requests_run_concurrently_in_threads(test_host: LocalHost) -> None:
    with ThreadPoolExecutor(max_workers=TOGETHER) as pool:
        statuses = list(
            pool.map(
                lambda _: httpx.get(test_host.base_url + "/api/Together", timeout=60).status_code,
                range(TOGETHER),
            )
        )
    assert statuses == [200] * TOGETHER


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        ("/api/Chart?n=5", {}, 401),
        ("/api/Chart?n=5&code=wrong", {}, 401),
        (f"/api/Chart?n=5&code={FUNCTION_KEY}", {}, 200),
        ("/api/Chart?n=5", {"x-functions-key": FUNCTION_KEY}, 200),
        (f"/api/Chart?n=5&code={MASTER_KEY}", {}, 200),
        ("/api/Admin", {"x-functions-key": FUNCTION_KEY}, 401),
        ("/api/Admin", {"x-functions-key": MASTER_KEY}, 200),
        ("/api/echo/1/", {}, 200),
        # as Azure's host: the header takes precedence over ?code=, the first code counts
        (f"/api/Chart?n=5&code={FUNCTION_KEY}", {"x-functions-key": "wrong"}, 401),
        (f"/api/Chart?n=5&code=wrong&code={FUNCTION_KEY}", {}, 401),
        (f"/api/Chart?n=5&code={FUNCTION_KEY}&code=wrong", {}, 200),
        ("/api/Chart?n=5&code=wrong", {"x-functions-key": FUNCTION_KEY}, 200),
    ],
)
def test_keys(test_host: LocalHost, path: str, headers: dict[str, str], status: int) -> None:
    response = httpx.get(test_host.base_url + path, headers=headers, timeout=30)
    assert response.status_code == status
    if status == 401:
        assert response.content == b""


def test_client_with_a_key(
    test_host: LocalHost, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = test_host.base_url + "/api/Chart"
    out = tmp_path / "keyed.png"
    assert client_main(["--url", url, "--n", "20", "--out", str(out)], environ={}) == 1
    assert "HTTP 401" in capsys.readouterr().err
    environ = {"SCATTERPLOT_KEY": FUNCTION_KEY}
    assert client_main(["--url", url, "--n", "20", "--out", str(out)], environ=environ) == 0
    assert decode_png(out.read_bytes()).shape == (480, 640, 4)


def test_a_body_over_the_limit_is_refused_before_it_is_read(test_host: LocalHost) -> None:
    with socket.create_connection(("127.0.0.1", test_host.port), timeout=30) as raw:
        raw.sendall(
            b"POST /api/echo/1/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 104857601\r\n\r\n"
        )
        status_line = raw.makefile("rb").readline()
    assert status_line.split()[1] == b"413"


def test_an_empty_query_value_is_dropped_before_the_chart_sees_it(local_host: LocalHost) -> None:
    """In Azure ``?width=&output=image`` reaches main as ``{"output": "image"}``: a chart."""
    response = httpx.get(local_host.base_url + "/api/ScatterPlot?width=&output=image", timeout=60)
    assert response.status_code == 200
    assert decode_png(response.content).shape == (480, 640, 4)


# --- HTTP/1.1 over a raw socket: framing, request targets, slow heads -----------------------


def _read_until_closed(raw: socket.socket) -> bytes:
    """Everything the host sends until it closes the connection (fails if it never does)."""
    chunks = []
    while chunk := raw.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_chunked_with_content_length_closes_after_the_answer(test_host: LocalHost) -> None:
    """RFC 9112 §6.1: the body is read as chunked, and the connection is closed after the
    answer, so a second, pipelined request on it is never served."""
    first = (
        b"POST /api/echo/1/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n"
        b"5\r\nhello\r\n0\r\n\r\n"
    )
    second = b"GET /api/echo/2/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    with socket.create_connection(("127.0.0.1", test_host.port), timeout=30) as raw:
        raw.sendall(first + second)
        answer = _read_until_closed(raw)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 ")
    assert b"\r\nconnection: close" in head.lower()
    assert json.loads(body)["body"] == "hello"
    assert answer.count(b"HTTP/1.1 ") == 1  # the pipelined GET got no answer


@pytest.mark.parametrize(
    ("start", "rest", "status"),
    [
        (b"GET /api/echo/1/?q=" + b"a" * 70_000, b" HTTP/1.1\r\nHost: x\r\n\r\n", b"414"),
        (b"GET /api/echo/1/ HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 70_000, b"\r\n\r\n", b"431"),
    ],
)
def test_a_head_too_long_to_buffer_is_a_414_or_431_as_kestrel_answers(
    test_host: LocalHost, start: bytes, rest: bytes, status: bytes
) -> None:
    """Sent in two parts, as a slow network delivers it: the first part alone is more than
    the host buffers of an unfinished head. Shorter heads with a URL over 4 KB get their 414
    from the app (another test)."""
    with socket.create_connection(("127.0.0.1", test_host.port), timeout=30) as raw:
        raw.sendall(start)
        head = raw.recv(65536)  # answered before the rest is sent
        with contextlib.suppress(OSError):
            raw.sendall(rest)
    assert head.startswith(b"HTTP/1.1 " + status + b" "), head
    assert head.endswith(b"Content-Length: 0\r\nConnection: close\r\n\r\n")


@pytest.mark.parametrize(
    "target", ["http://127.0.0.1:{port}/api/echo/7/x", "HTTP://127.0.0.1:{port}/api/echo/7/x"]
)
def test_an_absolute_form_target_is_routed_by_its_path(test_host: LocalHost, target: str) -> None:
    """As Kestrel: ``GET http://host:port/path`` is routed by ``/path``."""
    request = (
        f"GET {target.format(port=test_host.port)}?q=1 HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{test_host.port}\r\nConnection: close\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", test_host.port), timeout=30) as raw:
        raw.sendall(request.encode())
        answer = _read_until_closed(raw)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 ")
    echo = json.loads(body)
    assert (echo["route"], echo["params"]) == ({"id": "7", "rest": "x"}, {"q": "1"})


@pytest.mark.parametrize(
    ("target", "host"),
    [
        ("http://example.com/api/echo/7/x", "127.0.0.1"),  # Host must name the authority
        ("ftp://127.0.0.1/api/echo/7/x", "127.0.0.1"),
        ("127.0.0.1:80", "127.0.0.1"),  # authority-form is only for CONNECT
    ],
)
def test_a_target_kestrel_refuses_is_a_400(test_host: LocalHost, target: str, host: str) -> None:
    with socket.create_connection(("127.0.0.1", test_host.port), timeout=30) as raw:
        raw.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        answer = _read_until_closed(raw)
    assert answer.startswith(b"HTTP/1.1 400 ")


def test_unfinished_request_heads_are_timed_out(test_host: LocalHost) -> None:
    """Many connections that send half a request head do not lock the host out; each is
    answered 408 and closed after the request-headers timeout (2 s for this host)."""
    slow = []
    try:
        for _ in range(300):
            raw = socket.create_connection(("127.0.0.1", test_host.port), timeout=60)
            raw.sendall(b"GET /api/echo/1/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: ")
            slow.append(raw)
        normal = httpx.get(test_host.base_url + "/api/echo/5/", timeout=30)
        assert normal.status_code == 200
        answers = [_read_until_closed(raw) for raw in slow]
    finally:
        for raw in slow:
            raw.close()
    assert all(answer.startswith(b"HTTP/1.1 408 ") for answer in answers)
