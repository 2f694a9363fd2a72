"""Unit tests of the command-line client, without a network (``httpx.MockTransport``)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from client.answer import from_data_uri as client_from_data_uri
from client.cli import main
from client.fetch import retry_after
from shared.answer.encoding import from_data_uri, to_data_uri
from shared.answer.shapes import build_answer
from tests.conftest import decode_png

Handler = Callable[[httpx.Request], httpx.Response]


def _png(width: int = 32, height: int = 24) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10pt" height="5pt"/>'


class Recorder:
    """A mock transport that answers from a list and remembers the requests."""

    def __init__(self, *answers: httpx.Response | Handler) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0)
        return answer(request) if callable(answer) else answer


def _run(
    tmp_path: Path, recorder: Recorder, *argv: str, environ: dict[str, str] | None = None
) -> tuple[int, list[float]]:
    sleeps: list[float] = []
    code = main(
        ["--url", "http://service.test/api/ScatterPlot", *argv],
        environ=environ or {},
        transport=httpx.MockTransport(recorder),
        sleep=sleeps.append,
    )
    return code, sleeps


@pytest.mark.parametrize(
    ("shape", "details"),
    [("azureml", True), ("azureml", False), ("swagger", True), ("pandas", True), ("record", True)],
)
def test_every_json_answer_shape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], shape: str, details: bool
) -> None:
    answer = build_answer(PNG, "png", shape, details=details)
    recorder = Recorder(
        httpx.Response(200, content=answer.body, headers={"Content-Type": answer.mimetype})
    )
    out = tmp_path / "chart.png"
    code, _ = _run(tmp_path, recorder, "--out", str(out))
    assert code == 0
    assert out.read_bytes() == PNG
    assert capsys.readouterr().out == f"wrote {out}: png 32x24, {len(PNG)} bytes\n"


def test_raw_image_answer_and_options_in_the_query(tmp_path: Path) -> None:
    recorder = Recorder(httpx.Response(200, content=PNG, headers={"Content-Type": "image/png"}))
    out = tmp_path / "a.png"
    code, _ = _run(
        tmp_path,
        recorder,
        "--out",
        str(out),
        "--output-shape",
        "image",
        "--width",
        "320",
        "--title",
        "Rain & snow",
        "--grid",
        "--no-transparent",
        "--seed",
        "7",
        "--key",
        "k1",
    )
    assert code == 0
    assert decode_png(out.read_bytes()).shape == (24, 32, 4)
    request = recorder.requests[0]
    assert request.method == "GET"
    assert dict(request.url.params) == {
        "width": "320",
        "title": "Rain & snow",
        "grid": "true",
        "transparent": "false",
        "seed": "7",
        "output": "image",
    }
    assert request.headers["x-functions-key"] == "k1"
    assert "authorization" not in request.headers


def test_key_from_the_environment(tmp_path: Path) -> None:
    recorder = Recorder(httpx.Response(200, content=PNG, headers={"Content-Type": "image/png"}))
    code, _ = _run(
        tmp_path,
        recorder,
        "--out",
        str(tmp_path / "a.png"),
        environ={"SCATTERPLOT_KEY": "from-env"},
    )
    assert code == 0
    assert recorder.requests[0].headers["x-functions-key"] == "from-env"


def _url_asked(tmp_path: Path, argv: list[str], environ: dict[str, str]) -> str:
    recorder = Recorder(httpx.Response(200, content=PNG, headers={"Content-Type": "image/png"}))
    code = main(
        [*argv, "--out", str(tmp_path / "a.png")],
        environ=environ,
        transport=httpx.MockTransport(recorder),
        sleep=lambda _: None,
    )
    assert code == 0
    return str(recorder.requests[0].url.copy_with(query=None))


def test_url_from_the_environment_and_the_flag_wins(tmp_path: Path) -> None:
    from_env = {"SCATTERPLOT_URL": "http://env.test:8080/api/ScatterPlot"}
    assert _url_asked(tmp_path, [], {}) == "http://127.0.0.1:7071/api/ScatterPlot"
    assert _url_asked(tmp_path, [], from_env) == "http://env.test:8080/api/ScatterPlot"
    assert _url_asked(tmp_path, [], {"SCATTERPLOT_URL": ""}) == (
        "http://127.0.0.1:7071/api/ScatterPlot"
    )
    flag = ["--url", "https://flag.test/api/ScatterPlot"]
    assert _url_asked(tmp_path, flag, from_env) == "https://flag.test/api/ScatterPlot"


def test_a_bad_url_in_the_environment_exits_2_naming_the_variable(
    capsys: pytest.CaptureFixture[str],
) -> None:
    recorder = Recorder()
    with pytest.raises(SystemExit) as exit_info:
        main([], environ={"SCATTERPLOT_URL": "ftp://x"}, transport=httpx.MockTransport(recorder))
    assert exit_info.value.code == 2
    assert recorder.requests == []
    assert "SCATTERPLOT_URL" in capsys.readouterr().err


def test_default_file_name_follows_the_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    body = json.dumps({"image": to_data_uri(SVG, "image/svg+xml")})
    recorder = Recorder(
        httpx.Response(200, text=body, headers={"Content-Type": "application/json"})
    )
    code, _ = _run(tmp_path, recorder, "--format", "svg", "--output-shape", "record")
    assert code == 0
    assert (tmp_path / "scatter.svg").read_bytes() == SVG
    assert capsys.readouterr().out.startswith("wrote scatter.svg: svg 10pt x 5pt, ")


def _webp(width: int = 30, height: int = 20) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (width, height), (0, 0, 0, 0)).save(buffer, format="WEBP", lossless=True)
    return buffer.getvalue()


def test_webp_and_jpg_answers_are_written_with_their_extensions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    webp = _webp()
    recorder = Recorder(httpx.Response(200, content=webp, headers={"Content-Type": "image/webp"}))
    code, _ = _run(tmp_path, recorder, "--format", "webp", "--quality", "70", "--seed", "1")
    assert code == 0
    assert (tmp_path / "scatter.webp").read_bytes() == webp
    assert capsys.readouterr().out == f"wrote scatter.webp: webp 30x20, {len(webp)} bytes\n"
    assert dict(recorder.requests[0].url.params) == {"format": "webp", "quality": "70", "seed": "1"}
    jpeg = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(jpeg, format="JPEG")
    recorder = Recorder(
        httpx.Response(200, content=jpeg.getvalue(), headers={"Content-Type": "image/jpeg"})
    )
    code, _ = _run(tmp_path, recorder, "--format", "jpg")
    assert code == 0 and (tmp_path / "scatter.jpg").read_bytes() == jpeg.getvalue()
    assert dict(recorder.requests[0].url.params) == {"format": "jpg"}


def test_csv_is_posted_with_its_columns(tmp_path: Path) -> None:
    data = tmp_path / "w.csv"
    data.write_text("day,rain\n1,3\n2,5\n")
    recorder = Recorder(httpx.Response(200, content=PNG, headers={"Content-Type": "image/png"}))
    code, _ = _run(
        tmp_path,
        recorder,
        "--csv",
        str(data),
        "--x-column",
        "day",
        "--y-column",
        "rain",
        "--out",
        str(tmp_path / "a.png"),
    )
    assert code == 0
    request = recorder.requests[0]
    assert (request.method, request.headers["content-type"]) == ("POST", "text/csv")
    assert request.content == data.read_bytes()
    assert dict(request.url.params) == {"x_column": "day", "y_column": "rain"}


def test_bearer_sends_an_azure_ml_request(tmp_path: Path) -> None:
    data = tmp_path / "w.csv"
    data.write_text("x,y\n1,3\n2,5\n")
    answer = build_answer(PNG, "png", "azureml")
    recorder = Recorder(httpx.Response(200, content=answer.body))
    code, _ = _run(
        tmp_path,
        recorder,
        "--bearer",
        "api-key",
        "--csv",
        str(data),
        "--width",
        "300",
        "--out",
        str(tmp_path / "a.png"),
    )
    assert code == 0
    request = recorder.requests[0]
    assert request.headers["authorization"] == "Bearer api-key"
    assert "x-functions-key" not in request.headers
    assert json.loads(request.content) == {
        "Inputs": {"input1": {"ColumnNames": ["x", "y"], "Values": [["1", "3"], ["2", "5"]]}},
        "GlobalParameters": {"width": "300"},
    }


def test_json_file_is_posted(tmp_path: Path) -> None:
    data = tmp_path / "d.json"
    data.write_text('{"x": [1, 2], "y": [3, 4]}')
    recorder = Recorder(httpx.Response(200, content=PNG, headers={"Content-Type": "image/png"}))
    code, _ = _run(tmp_path, recorder, "--json", str(data), "--out", str(tmp_path / "a.png"))
    assert code == 0
    assert json.loads(recorder.requests[0].content) == {"x": [1, 2], "y": [3, 4]}


def test_retries_honour_retry_after_then_succeed(tmp_path: Path) -> None:
    recorder = Recorder(
        httpx.Response(503, headers={"Retry-After": "7"}),
        httpx.Response(429, headers={"Retry-After": "2"}),
        httpx.Response(500),
        httpx.Response(200, content=PNG, headers={"Content-Type": "image/png"}),
    )
    code, sleeps = _run(tmp_path, recorder, "--out", str(tmp_path / "a.png"))
    assert code == 0
    assert len(recorder.requests) == 4
    assert sleeps[:2] == [7.0, 2.0]
    assert 0 < sleeps[2] <= 30


def test_connection_errors_are_retried_with_growing_backoff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    recorder = Recorder(refuse, refuse, refuse)
    code, sleeps = _run(tmp_path, recorder, "--retries", "2", "--out", str(tmp_path / "a.png"))
    assert code == 1
    assert len(recorder.requests) == 3
    assert sleeps[0] < sleeps[1]
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == (
        "Error: cannot reach http://service.test/api/ScatterPlot: connection refused"
    )
    assert "Traceback" not in err
    assert not (tmp_path / "a.png").exists()


def test_retries_are_bounded_and_the_last_error_is_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    busy = {"error": {"code": "TooManyConcurrentRequests", "message": "try later"}}
    recorder = Recorder(*[httpx.Response(503, json=busy) for _ in range(4)])
    code, sleeps = _run(tmp_path, recorder)
    assert code == 1
    assert len(recorder.requests) == 4 and len(sleeps) == 3
    assert capsys.readouterr().err.splitlines()[-1] == (
        "Error: try later (HTTP 503 TooManyConcurrentRequests)"
    )


def test_a_4xx_error_prints_the_server_message_without_retrying(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    error = {"error": {"code": "InvalidOption", "message": "width is 5000; it must be 16 to 4096"}}
    recorder = Recorder(httpx.Response(400, json=error))
    code, sleeps = _run(tmp_path, recorder, "--width", "5000")
    assert (code, sleeps, len(recorder.requests)) == (1, [], 1)
    assert capsys.readouterr().err == (
        "Error: width is 5000; it must be 16 to 4096 (HTTP 400 InvalidOption)\n"
    )


def test_401_without_a_body_explains_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = _run(tmp_path, Recorder(httpx.Response(401)))
    assert code == 1
    assert "HTTP 401" in capsys.readouterr().err
    assert not (tmp_path / "scatter.png").exists()


@pytest.mark.parametrize(
    ("headers", "body", "message"),
    [
        ({"Content-Type": "image/png"}, b"GIF89a....", "announces image/png but"),
        ({"Content-Type": "image/jpeg"}, PNG, "are png data"),
        ({"Content-Type": "image/webp"}, PNG, "are png data"),
        ({"Content-Type": "image/png"}, b"RIFF\x10\x00\x00\x00WEBPVP8L", "are webp data"),
        (
            {"Content-Type": "application/json"},
            json.dumps({"image": to_data_uri(PNG, "image/svg+xml")}).encode(),
            "are png data",
        ),
        (
            {"Content-Type": "application/json"},
            json.dumps({"image": "data:image/png;base64,@@@"}).encode(),
            "bad base64",
        ),
        ({"Content-Type": "application/json"}, b'{"Results": {}}', "holds no image"),
        ({"Content-Type": "text/html"}, b"<html>", "neither an image nor JSON"),
        ({"Content-Type": "image/gif"}, b"GIF89a", "not one of"),
    ],
)
def test_bad_answers_are_errors(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    headers: dict[str, str],
    body: bytes,
    message: str,
) -> None:
    out = tmp_path / "a.png"
    code, _ = _run(
        tmp_path, Recorder(httpx.Response(200, content=body, headers=headers)), "--out", str(out)
    )
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and message in err
    assert not out.exists()


def test_the_answer_must_be_the_format_asked_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    recorder = Recorder(httpx.Response(200, content=PNG, headers={"Content-Type": "image/png"}))
    code, _ = _run(tmp_path, recorder, "--format", "svg", "--out", str(tmp_path / "a.svg"))
    assert code == 1
    assert "asked for svg but the answer is png" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["--width", "ten"],
        ["--width", "8"],
        ["--alpha", "1.5"],
        ["--xmin", "nan"],
        ["--format", "gif"],
        ["--output-shape", "xml"],
        ["--url", "ftp://x/y"],
        ["--csv", "/no/such/file.csv"],
        ["--x-column", "day"],
        ["--key", "a", "--bearer", "b"],
        ["--out", "/no/such/folder/a.png"],
        ["--retries", "99"],
        ["--transparent", "--format", "jpeg"],
        ["--transparent", "--format", "jpg"],
        ["--quality", "80"],
        ["--quality", "80", "--format", "png"],
        ["--quality", "0", "--format", "webp"],
        ["--quality", "101", "--format", "jpeg"],
    ],
)
def test_bad_command_lines_exit_2_before_any_request(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    recorder = Recorder()
    with pytest.raises(SystemExit) as exit_info:
        main(argv, environ={}, transport=httpx.MockTransport(recorder))
    assert exit_info.value.code == 2
    assert recorder.requests == []
    assert "error:" in capsys.readouterr().err


def test_json_file_must_be_an_object(tmp_path: Path) -> None:
    data = tmp_path / "d.json"
    data.write_text("[1, 2]")
    with pytest.raises(SystemExit):
        main(["--json", str(data)], environ={}, transport=httpx.MockTransport(Recorder()))


@pytest.mark.parametrize(
    "uri",
    [
        "data:image/png;base64,iVBORw0KGgo=",
        "data:;base64,AAAA",
        "data:image/png,abc",
        "nope",
        "data:image/png;base64,@@",
    ],
)
def test_client_reads_data_uris_like_shared(uri: str) -> None:
    try:
        expected: tuple[str, bytes] | None = from_data_uri(uri)
    except ValueError:
        expected = None
    try:
        got: tuple[str, bytes] | None = client_from_data_uri(uri)
    except Exception:
        got = None
    assert got == expected


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("5", 5.0), (None, None), ("soon", None), ("Fri, 27 Nov 2026 00:00:10 GMT", 10.0)],
)
def test_retry_after(value: str | None, seconds: Any) -> None:
    now = 1795737600.0  # Fri, 27 Nov 2026 00:00:00 GMT
    assert retry_after(value, now=now) == seconds


def test_data_options_go_in_the_query(tmp_path: Path) -> None:
    data = tmp_path / "w.csv"
    data.write_text("day;rain;city;wind;err\n2024-01-05;3;Oslo;4;0.5\n")
    recorder = Recorder(httpx.Response(200, content=PNG, headers={"Content-Type": "image/png"}))
    flags = {
        "--y-column": "rain,wind",
        "--x-column": "day",
        "--x-type": "date",
        "--y-type": "number",
        "--delimiter": ";",
        "--decimal": ",",
        "--xmin": "2024-01-01",
        "--ymax": "10",
    }
    argv = [item for pair in flags.items() for item in pair]
    code, _ = _run(tmp_path, recorder, "--csv", str(data), *argv, "--out", str(tmp_path / "a.png"))
    assert code == 0
    assert dict(recorder.requests[0].url.params) == {
        "y_column": "rain,wind",
        "x_column": "day",
        "x_type": "date",
        "y_type": "number",
        "delimiter": ";",
        "decimal": ",",
        "xmin": "2024-01-01",
        "ymax": "10.0",
    }
    recorder = Recorder(httpx.Response(200, content=PNG, headers={"Content-Type": "image/png"}))
    flags = {
        "--group": "city",
        "--size-column": "wind",
        "--size-range": "10,200",
        "--xerr-column": "err",
        "--yerr-column": "err",
    }
    argv = [item for pair in flags.items() for item in pair]
    code, _ = _run(tmp_path, recorder, "--csv", str(data), *argv, "--out", str(tmp_path / "b.png"))
    assert code == 0
    assert dict(recorder.requests[0].url.params) == {
        "group": "city",
        "size_column": "wind",
        "size_range": "10,200",
        "xerr_column": "err",
        "yerr_column": "err",
    }
    recorder = Recorder(httpx.Response(200, content=PNG, headers={"Content-Type": "image/png"}))
    flags = {"--color-column": "wind", "--cmap": "plasma", "--vmin": "0", "--vmax": "5"}
    argv = [item for pair in flags.items() for item in pair]
    code, _ = _run(tmp_path, recorder, "--csv", str(data), *argv, "--out", str(tmp_path / "c.png"))
    assert code == 0
    assert dict(recorder.requests[0].url.params) == {
        "color_column": "wind",
        "cmap": "plasma",
        "vmin": "0.0",
        "vmax": "5.0",
    }


def test_bearer_splits_a_semicolon_csv_as_the_service_would(tmp_path: Path) -> None:
    data = tmp_path / "w.csv"
    data.write_text("day;rain;city\n1;3,5;Oslo, Norway\n")
    answer = build_answer(PNG, "png", "azureml")
    recorder = Recorder(httpx.Response(200, content=answer.body))
    argv = ["--bearer", "k", "--csv", str(data), "--group", "city", "--decimal", ","]
    code, _ = _run(tmp_path, recorder, *argv, "--out", str(tmp_path / "a.png"))
    assert code == 0
    table = {"ColumnNames": ["day", "rain", "city"], "Values": [["1", "3.5", "Oslo, Norway"]]}
    assert json.loads(recorder.requests[0].content) == {
        "Inputs": {"input1": table},
        "GlobalParameters": {"group": "city"},
    }


@pytest.mark.parametrize(
    "argv",
    [
        ["--group", "city"],
        ["--color-column", "c"],
        ["--x-type", "date"],
        ["--x-type", "time", "--csv", __file__],
        ["--xmin", "soon"],
    ],
)
def test_bad_data_flags_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    recorder = Recorder()
    with pytest.raises(SystemExit) as exit_info:
        main(argv, environ={}, transport=httpx.MockTransport(recorder))
    assert exit_info.value.code == 2 and recorder.requests == []
    assert "error:" in capsys.readouterr().err
