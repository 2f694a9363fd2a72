"""The Python API (``client.ScatterPlot``, ``client.AsyncScatterPlot``) without a network:
requests and answers through ``httpx.MockTransport``."""

from __future__ import annotations

import asyncio
import builtins
import csv
import datetime as dt
import io
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pandas as pd
import pytest

import client
from client import (
    AnswerError,
    AsyncScatterPlot,
    AuthenticationError,
    Body,
    Chart,
    InvalidRequestError,
    NotFoundError,
    RateLimitError,
    ScatterPlot,
    ScatterPlotError,
    ServerError,
    ServiceError,
    Timeout,
    TransportError,
    UsageError,
)
from shared.answer.encoding import to_data_uri
from shared.answer.shapes import build_answer
from tests.test_client import PNG, SVG, Recorder

URL = "http://service.test/api/ScatterPlot"


def _image(
    content: bytes = PNG, mimetype: str = "image/png", headers: dict[str, str] | None = None
) -> httpx.Response:
    return httpx.Response(
        200, content=content, headers={"Content-Type": mimetype, **(headers or {})}
    )


def _plot(recorder: Recorder, sleeps: list[float] | None = None, **kwargs: Any) -> ScatterPlot:
    record = sleeps.append if sleeps is not None else (lambda _: None)
    kwargs.setdefault("environ", {})
    return ScatterPlot(URL, transport=httpx.MockTransport(recorder), sleep=record, **kwargs)


def _table(request: httpx.Request) -> list[list[str]]:
    """The CSV rows a request posted."""
    assert request.headers["content-type"] == "text/csv"
    return list(csv.reader(io.StringIO(request.content.decode())))


def _sent(data: object = None, **kwargs: Any) -> httpx.Request:
    """The request ``draw(data, **kwargs)`` makes."""
    recorder = Recorder(_image())
    _plot(recorder).draw(data, **kwargs)
    return recorder.requests[0]


# --- the chart and its answer ------------------------------------------------------------------


def test_a_chart_holds_the_image_and_what_the_answer_said() -> None:
    recorder = Recorder(_image(headers={"ETag": '"abc"', "X-ScatterPlot-Skipped-Rows": "2"}))
    chart = _plot(recorder).draw(seed=1, width=320, grid=True, title="Rain & snow")
    assert isinstance(chart, Chart)
    assert (chart.png, chart.data, chart.format, chart.mimetype) == (PNG, PNG, "png", "image/png")
    assert chart.size == (32, 24)
    assert (chart.etag, chart.skipped_rows) == ('"abc"', 2)
    assert chart.warnings == ("2 row(s) with a missing value were left out",)
    assert Chart(PNG, "png", "image/png", {"warning": '199 - "stale"'}).warnings == (
        '199 - "stale"',
    )
    assert repr(chart) == f"<Chart png 32x24, {len(PNG)} bytes>"
    request = recorder.requests[0]
    assert (request.method, request.content) == ("GET", b"")
    assert dict(request.url.params) == {
        "seed": "1",
        "width": "320",
        "grid": "true",
        "title": "Rain & snow",
    }
    assert request.headers["accept"].startswith("image/*")
    assert "x-functions-key" not in request.headers


@pytest.mark.parametrize("shape", ["azureml", "swagger", "pandas", "record"])
def test_every_json_answer_shape_gives_the_image(shape: str) -> None:
    answer = build_answer(PNG, "png", shape)
    recorder = Recorder(httpx.Response(200, content=answer.body, headers={"Content-Type": "a/b"}))
    chart = _plot(recorder).draw(output=shape)
    assert chart.data == PNG and chart.format == "png"
    assert recorder.requests[0].headers["accept"].startswith("application/json")


def test_the_notebook_shape_draws_a_frame_and_saves_it(tmp_path: Path) -> None:
    frame = pd.DataFrame({"day": [1, 2, 3], "rain": [3.0, 0.5, 1.25], "site": ["a", "b", "a"]})
    recorder = Recorder(_image())
    chart = ScatterPlot(URL, key=None, environ={}, transport=httpx.MockTransport(recorder)).draw(
        frame, x="day", y="rain", title="Rain"
    )
    assert chart.save(tmp_path / "rain.png") == tmp_path / "rain.png"
    assert (tmp_path / "rain.png").read_bytes() == PNG
    request = recorder.requests[0]
    assert request.method == "POST"
    assert dict(request.url.params) == {"title": "Rain", "x_column": "day", "y_column": "rain"}
    assert _table(request) == [
        ["day", "rain", "site"],
        ["1", "3.0", "a"],
        ["2", "0.5", "b"],
        ["3", "1.25", "a"],
    ]


def test_display_in_jupyter_follows_the_format() -> None:
    png = Chart(PNG, "png", "image/png")
    svg = Chart(SVG, "svg", "image/svg+xml")
    pdf = Chart(b"%PDF-1.4 ...", "pdf", "application/pdf")
    jpeg = Chart(b"\xff\xd8\xff...", "jpeg", "image/jpeg")
    assert (png._repr_png_(), png._repr_svg_(), png._repr_jpeg_()) == (PNG, None, None)
    assert svg._repr_svg_() == SVG.decode() and svg._repr_png_() is None
    assert pdf._repr_pdf_() == pdf.data and pdf._repr_png_() is None
    assert jpeg._repr_jpeg_() == jpeg.data and jpeg._repr_svg_() is None
    with pytest.raises(ValueError, match="the chart is svg, not png"):
        _ = svg.png
    assert repr(svg) == f"<Chart svg 10pt x 5pt, {len(SVG)} bytes>"


def test_save_refuses_a_name_of_another_format(tmp_path: Path) -> None:
    chart = Chart(SVG, "svg", "image/svg+xml")
    with pytest.raises(UsageError, match=r"names a png file but the chart is svg: save it as "):
        chart.save(tmp_path / "rain.png")
    assert not (tmp_path / "rain.png").exists()
    assert chart.save(tmp_path / "rain.svg").read_bytes() == SVG
    assert chart.save(str(tmp_path / "rain")).read_bytes() == SVG  # no extension: as given
    jpeg = Chart(b"\xff\xd8\xff", "jpeg", "image/jpeg")
    assert jpeg.save(tmp_path / "a.JPG").exists() and jpeg.save(tmp_path / "a.jpeg").exists()


def test_draw_lists_every_option_in_its_help() -> None:
    doc = ScatterPlot.draw.__doc__ or ""
    assert "width: Image width in pixels" in doc and "marker: Marker shape" in doc
    assert AsyncScatterPlot.draw.__doc__ == doc


def test_the_package_exports_the_api() -> None:
    assert set(client.__all__) >= {"ScatterPlot", "AsyncScatterPlot", "Chart", "ScatterPlotError"}
    for name in client.__all__:
        assert getattr(client, name) is not None


# --- data ----------------------------------------------------------------------------------------


def test_a_frame_keeps_dates_categories_and_missing_values() -> None:
    frame = pd.DataFrame(
        {
            "day": pd.to_datetime(pd.Series(["2024-01-05", "2024-01-06", None, "2024-01-08"])),
            "rain": [3.5, np.nan, 1.0, 2.0],
            "site": pd.Categorical(["harbour", "hill", "hill", None]),
            "note": ["ok", None, "NA", "x, y"],
        }
    )
    request = _sent(frame, x="day", y="rain")
    assert dict(request.url.params) == {"x_column": "day", "y_column": "rain"}
    assert _table(request) == [
        ["day", "rain", "site", "note"],
        ["2024-01-05", "3.5", "harbour", "ok"],
        ["2024-01-06", "", "hill", ""],
        ["", "1.0", "hill", "NA"],
        ["2024-01-08", "2.0", "", "x, y"],
    ]


def test_times_with_a_zone_are_sent_as_iso_8601() -> None:
    frame = pd.DataFrame(
        {"at": pd.to_datetime(["2024-01-05 10:30", "2024-01-05 11:45"]).tz_localize("UTC")}
    )
    rows = _table(_sent(frame.assign(v=[1, 2]), x="at", y="v"))
    assert rows[1:] == [["2024-01-05 10:30:00+00:00", "1"], ["2024-01-05 11:45:00+00:00", "2"]]


def test_a_frame_index_is_x_when_x_is_not_given() -> None:
    frame = pd.DataFrame(
        {"rain": [1.0, 2.0]}, index=pd.DatetimeIndex(["2024-01-05", "2024-01-06"], name="day")
    )
    request = _sent(frame, y="rain")
    assert dict(request.url.params) == {"x_column": "day", "y_column": "rain"}
    assert _table(request) == [["day", "rain"], ["2024-01-05", "1.0"], ["2024-01-06", "2.0"]]
    unnamed = _sent(pd.DataFrame({"y": [5, 6]}, index=[10, 20]))
    assert dict(unnamed.url.params) == {}
    assert _table(unnamed) == [["x", "y"], ["10", "5"], ["20", "6"]]
    by_name = _sent(frame.assign(x=[7, 8]), x="day", y="rain")
    assert _table(by_name)[0] == ["day", "rain", "x"]
    assert _table(_sent(frame.assign(x=[7, 8])))[0] == ["rain", "x"]


def test_a_series_is_y_against_its_index() -> None:
    series = pd.Series([3.0, 4.0], index=pd.Index([1, 2], name="day"), name="rain")
    request = _sent(series)
    assert dict(request.url.params) == {"x_column": "day", "y_column": "rain"}
    assert _table(request) == [["day", "rain"], ["1", "3.0"], ["2", "4.0"]]


def test_columns_as_a_dict_of_lists_and_arrays() -> None:
    data = {
        "when": [dt.date(2024, 1, 5), dt.datetime(2024, 1, 6, 10, 30), None],
        "value": np.array([1.5, np.nan, 3.0]),
        "group": ("a", "b", float("nan")),
    }
    request = _sent(data, x="when", y="value")
    assert _table(request) == [
        ["when", "value", "group"],
        ["2024-01-05", "1.5", "a"],
        ["2024-01-06T10:30:00", "", "b"],
        ["", "3.0", ""],
    ]


@pytest.mark.parametrize(
    ("data", "rows"),
    [
        ([4, 5, 6], [["x", "y"], ["0", "4"], ["1", "5"], ["2", "6"]]),
        ([[1, 4], [2, 5]], [["x", "y"], ["1", "4"], ["2", "5"]]),
        ([{"x": 1, "y": 4}, {"x": 2, "z": 0}], [["x", "y", "z"], ["1", "4", ""], ["2", "", "0"]]),
        (np.array([4.5, 5.5]), [["x", "y"], ["0", "4.5"], ["1", "5.5"]]),
        (np.array([[1, 4], [2, 5]]), [["x", "y"], ["1", "4"], ["2", "5"]]),
        (
            np.array([(1, 2.5)], dtype=[("a", "i4"), ("b", "f8")]),
            [["a", "b"], ["1", "2.5"]],
        ),
    ],
    ids=["numbers", "rows", "records", "array-1d", "array-2d", "structured"],
)
def test_lists_records_and_arrays(data: object, rows: list[list[str]]) -> None:
    assert _table(_sent(data)) == rows


def test_three_column_array_picks_columns_by_number() -> None:
    request = _sent(np.array([[1, 2, 3], [4, 5, 6]]), x=0, y=2)
    assert dict(request.url.params) == {"x_column": "0", "y_column": "2"}
    assert _table(request)[0] == ["0", "1", "2"]


def test_values_as_x_and_y_become_columns() -> None:
    request = _sent(x=[1, 2, 3], y=np.array([4.0, 5.0, 6.0]))
    assert dict(request.url.params) == {}
    assert _table(request) == [["x", "y"], ["1", "4.0"], ["2", "5.0"], ["3", "6.0"]]
    named = _sent(x=pd.Series([1, 2], name="day"), y=pd.Series([3, 4], name="rain"))
    assert dict(named.url.params) == {"x_column": "day", "y_column": "rain"}
    categories = _sent(x=["mon", "tue"], y=["rain", "sun"])
    assert _table(categories) == [["x", "y"], ["mon", "rain"], ["tue", "sun"]]
    alone = _sent(y=[7, 8])
    assert _table(alone) == [["x", "y"], ["0", "7"], ["1", "8"]]
    beside = _sent({"x": [1, 2], "y": [3, 4]}, y=["u", "v"])
    assert dict(beside.url.params) == {"y_column": "y_1"}
    assert _table(beside)[1] == ["1", "3", "u"]


def test_several_y_columns_by_name() -> None:
    request = _sent({"day": [1], "rain": [2], "sun": [3]}, x="day", y=["rain", "sun"])
    assert dict(request.url.params) == {"x_column": "day", "y_column": "rain,sun"}


def test_files_and_bodies_are_sent_as_they_are(tmp_path: Path) -> None:
    data = tmp_path / "w.csv"
    data.write_bytes(b"day;rain\n1;3,5\n")
    request = _sent(str(data), x="day", y="rain")
    assert (request.content, request.headers["content-type"]) == (data.read_bytes(), "text/csv")
    assert dict(request.url.params) == {"x_column": "day", "y_column": "rain"}
    document = tmp_path / "d.json"
    document.write_text('{"x": [1], "y": [2]}')
    assert _sent(document).headers["content-type"] == "application/json"
    tabs = tmp_path / "d.tsv"
    tabs.write_text("x\ty\n1\t2\n")
    assert _sent(tabs).headers["content-type"] == "text/tab-separated-values"
    raw = _sent(Body(b'{"columns": ["x", "y"], "data": [[1, 2]]}', "application/json"))
    assert json.loads(raw.content) == {"columns": ["x", "y"], "data": [[1, 2]]}


# --- checks before any request ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message", "field"),
    [
        ({"widht": 640}, "'widht' is not an option of the service; did you mean 'width'?", "widht"),
        ({"width": 8}, "width is 8; it must be at least 16", "width"),
        ({"width": 6.5}, "width is 6.5; it must be a whole number", "width"),
        ({"alpha": 1.5}, "alpha is 1.5; it must be at most 1", "alpha"),
        ({"size": 0}, "size is 0; it must be above 0", "size"),
        ({"xmin": float("nan")}, "xmin is nan; it must be a finite number", "xmin"),
        ({"dpi": "high"}, "dpi is 'high'; it must be a number", "dpi"),
        ({"grid": "maybe"}, "grid is 'maybe'; it must be true or false", "grid"),
        ({"width": True}, "width is True; it must be a number, not a boolean", "width"),
        ({"marker": "Q"}, "marker is 'Q'; it must be one of o, .", "marker"),
        ({"format": "swagger"}, "format is 'swagger'; it must be one of png, svg", "format"),
        ({"title": ["a"]}, "title is ['a']; it must be text", "title"),
        ({"x": "dya", "data": {"day": [1]}}, "did you mean 'day'?", "dya"),
        ({"x": "day", "x_column": "day", "data": {"day": [1]}}, "give x= or x_column=", "x_column"),
        ({"x": [1, 2], "data": {"y": [1, 2, 3]}}, "x= has 2 values but the data has 3 rows", "x"),
        ({"data": {"a": [1, 2], "b": [1]}}, "the columns differ in length (a: 2, b: 1)", None),
        ({"data": {"a": 5}}, "column 'a' is a int, not a sequence of values", "a"),
        ({"data": b"x,y\n1,2\n"}, "data is bytes: give Body(content, mimetype)", None),
        ({"data": 42}, "data is a int: give a DataFrame", None),
        ({"data": "/no/such/file.csv"}, "cannot read /no/such/file.csv: No such file", None),
        ({"x": "day"}, "x= and y= name columns, but no data was given", None),
        ({"data": "a.csv", "x": [1, 2]}, "x= must name columns when data is a file", None),
    ],
)
def test_bad_arguments_raise_before_any_request(
    call: dict[str, Any], message: str, field: str | None
) -> None:
    recorder = Recorder()
    data = call.pop("data", None)
    with pytest.raises(UsageError) as raised:
        _plot(recorder).draw(data, **call)
    assert message in str(raised.value)
    assert raised.value.field == field
    assert isinstance(raised.value, ValueError) and raised.value.status is None
    assert recorder.requests == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"url": "ftp://x/y"}, "is not an http:// or https:// URL"),
        ({"url": "http://"}, "is not an http:// or https:// URL"),
        ({"key": "a", "bearer": "b"}, "not both"),
        ({"retries": 11}, "it must be 0 to 10"),
        ({"retries": 1.5}, "it must be a whole number"),
        ({"timeout": 0}, "it must be above 0"),
        ({"timeout": "soon"}, "it must be seconds"),
    ],
)
def test_bad_service_arguments(kwargs: dict[str, Any], message: str) -> None:
    url = kwargs.pop("url", URL)
    with pytest.raises(UsageError, match=message):
        ScatterPlot(url, environ={}, **kwargs)


def test_url_and_key_come_from_the_environment_unless_given() -> None:
    recorder = Recorder(_image(), _image(), _image(), _image())
    environ = {"SCATTERPLOT_URL": "http://env.test/api/ScatterPlot", "SCATTERPLOT_KEY": "k"}
    transport = httpx.MockTransport(recorder)
    ScatterPlot(environ=environ, transport=transport).draw()
    ScatterPlot(URL, key="", environ=environ, transport=transport).draw()
    ScatterPlot(environ={}, transport=transport).draw()
    ScatterPlot(environ=environ, bearer="b", transport=transport).draw()
    first, keyless, default, bearer = recorder.requests
    assert str(first.url) == "http://env.test/api/ScatterPlot"
    assert first.headers["x-functions-key"] == "k"
    assert "x-functions-key" not in keyless.headers
    assert str(default.url) == "http://127.0.0.1:7071/api/ScatterPlot"
    assert bearer.headers["authorization"] == "Bearer b" and "x-functions-key" not in bearer.headers


def test_bearer_sends_a_frame_as_an_azure_ml_table() -> None:
    recorder = Recorder(httpx.Response(200, content=build_answer(PNG, "png", "azureml").body))
    frame = pd.DataFrame({"day": [1, 2], "rain": [0.5, None]})
    plot = _plot(recorder, bearer="api-key", headers={"User-Agent": "notebook"})
    assert plot.draw(frame, x="day", y="rain", width=300).data == PNG
    request = recorder.requests[0]
    assert request.headers["authorization"] == "Bearer api-key"
    assert request.headers["user-agent"] == "notebook"
    assert dict(request.url.params) == {}
    assert json.loads(request.content) == {
        "Inputs": {"input1": {"ColumnNames": ["day", "rain"], "Values": [["1", "0.5"], ["2", ""]]}},
        "GlobalParameters": {"width": "300", "x_column": "day", "y_column": "rain"},
    }


# --- errors and retries -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "kind", "text"),
    [
        (
            httpx.Response(
                400,
                json={
                    "error": {
                        "code": "InvalidOption",
                        "message": "width is 5000; it must be 16 to 4096",
                        "field": "width",
                    }
                },
            ),
            InvalidRequestError,
            "width is 5000; it must be 16 to 4096 (HTTP 400 InvalidOption)",
        ),
        (httpx.Response(401), AuthenticationError, "pass key= (--key) or set SCATTERPLOT_KEY"),
        (httpx.Response(403), AuthenticationError, "the key was refused (HTTP 403)"),
        (httpx.Response(404), NotFoundError, f"no function answers GET/POST at {URL} (HTTP 404)"),
        (
            httpx.Response(413, json={"error": {"code": "TooLarge", "message": "m"}}),
            InvalidRequestError,
            "m (HTTP 413 TooLarge)",
        ),
        (
            httpx.Response(302, headers={"Location": "https://x.test/"}),
            ServiceError,
            "moved to https://x.test/",
        ),
    ],
)
def test_error_answers_raise_typed_exceptions(
    answer: httpx.Response, kind: type[ServiceError], text: str
) -> None:
    recorder = Recorder(answer)
    with pytest.raises(kind) as raised:
        _plot(recorder).draw(width=5000)
    assert type(raised.value) is kind
    assert text in str(raised.value)
    assert raised.value.status == answer.status_code
    assert len(recorder.requests) == 1  # 4xx is not retried


def test_a_400_carries_code_field_and_message() -> None:
    error = {"code": "InvalidData", "message": "site[0] is 'a'", "field": "site"}
    with pytest.raises(InvalidRequestError) as raised:
        _plot(Recorder(httpx.Response(400, json={"error": error}))).draw()
    assert (raised.value.code, raised.value.field, raised.value.message) == (
        "InvalidData",
        "site",
        "site[0] is 'a'",
    )
    assert isinstance(raised.value, ServiceError | ScatterPlotError)


def test_azure_ml_error_details_name_the_field() -> None:
    error = {"code": "BadArgument", "message": "bad", "details": [{"target": "input1"}]}
    with pytest.raises(InvalidRequestError) as raised:
        _plot(Recorder(httpx.Response(400, json={"error": error}))).draw()
    assert raised.value.field == "input1"


def test_retries_honour_retry_after_then_give_the_chart() -> None:
    sleeps: list[float] = []
    recorder = Recorder(
        httpx.Response(503, headers={"Retry-After": "7"}),
        httpx.Response(429, headers={"Retry-After": "2"}),
        httpx.Response(500),
        _image(),
    )
    assert _plot(recorder, sleeps).draw().data == PNG
    assert len(recorder.requests) == 4
    assert sleeps[:2] == [7.0, 2.0] and 0 < sleeps[2] <= 30


@pytest.mark.parametrize(
    ("status", "kind"), [(429, RateLimitError), (503, ServerError), (500, ServerError)]
)
def test_retries_are_bounded_then_raise(status: int, kind: type[ServiceError]) -> None:
    sleeps: list[float] = []
    recorder = Recorder(*[httpx.Response(status) for _ in range(3)])
    with pytest.raises(kind):
        _plot(recorder, sleeps, retries=2).draw()
    assert len(recorder.requests) == 3 and len(sleeps) == 2


def test_no_retries_means_one_attempt() -> None:
    recorder = Recorder(httpx.Response(503))
    with pytest.raises(ServerError):
        _plot(recorder, retries=0).draw()
    assert len(recorder.requests) == 1


def _refuse(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


def _slow(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("timed out", request=request)


def test_connection_errors_are_retried_with_growing_backoff() -> None:
    sleeps: list[float] = []
    recorder = Recorder(_refuse, _refuse, _refuse)
    with pytest.raises(TransportError) as raised:
        _plot(recorder, sleeps, retries=2).draw()
    assert str(raised.value) == f"cannot reach {URL}: connection refused"
    assert len(recorder.requests) == 3 and sleeps[0] < sleeps[1]
    assert not isinstance(raised.value, Timeout)


def test_a_timeout_is_a_timeout_error() -> None:
    recorder = Recorder(_slow, _slow)
    with pytest.raises(Timeout) as raised:
        _plot(recorder, retries=1, timeout=2.5).draw()
    assert str(raised.value) == f"no answer from {URL} within 2.5 s"
    assert isinstance(raised.value, builtins.TimeoutError | TransportError)


@pytest.mark.parametrize(
    ("answer", "kwargs", "text"),
    [
        (_image(b"GIF89a...."), {}, "announces image/png but"),
        (_image(), {"format": "svg"}, "asked for svg but the answer is png"),
        (httpx.Response(200, json={"Results": {}}), {}, "holds no image"),
        (
            httpx.Response(200, json={"image": to_data_uri(PNG, "image/svg+xml")}),
            {},
            "are png data",
        ),
    ],
)
def test_a_bad_success_answer_is_an_answer_error(
    answer: httpx.Response, kwargs: dict[str, str], text: str
) -> None:
    with pytest.raises(AnswerError, match=text):
        _plot(Recorder(answer)).draw(**kwargs)


def test_a_with_block_keeps_one_client() -> None:
    recorder = Recorder(_image(), _image())
    with _plot(recorder) as plot:
        kept = plot._client
        assert kept is not None
        plot.draw(seed=1)
        plot.draw(seed=2)
        assert plot._client is kept
    assert plot._client is None and kept.is_closed
    assert len(recorder.requests) == 2


# --- async ---------------------------------------------------------------------------------------


def _async_plot(recorder: Recorder, sleeps: list[float], **kwargs: Any) -> AsyncScatterPlot:
    async def record(seconds: float) -> None:
        sleeps.append(seconds)

    kwargs.setdefault("environ", {})
    return AsyncScatterPlot(URL, transport=httpx.MockTransport(recorder), sleep=record, **kwargs)


def _run(coroutine: Callable[[], Awaitable[Any]]) -> Any:
    return asyncio.run(coroutine())  # type: ignore[arg-type]


def test_async_draws_the_same_request_and_chart() -> None:
    frame = pd.DataFrame({"day": pd.to_datetime(["2024-01-05"]), "rain": [1.5]})
    recorder = Recorder(_image(headers={"ETag": '"t"'}))

    async def draw() -> Chart:
        return await _async_plot(recorder, []).draw(frame, x="day", y="rain", dpi=150)

    chart = _run(draw)
    assert (chart.data, chart.etag) == (PNG, '"t"')
    request = recorder.requests[0]
    assert dict(request.url.params) == {"dpi": "150.0", "x_column": "day", "y_column": "rain"}
    assert _table(request) == [["day", "rain"], ["2024-01-05", "1.5"]]
    assert _sent(frame, x="day", y="rain", dpi=150).content == request.content


def test_async_retries_and_errors() -> None:
    sleeps: list[float] = []
    recorder = Recorder(httpx.Response(503, headers={"Retry-After": "3"}), _refuse, _image())

    async def draw() -> Chart:
        return await _async_plot(recorder, sleeps).draw()

    assert _run(draw).data == PNG
    assert len(recorder.requests) == 3 and sleeps[0] == 3.0
    error = {"error": {"code": "InvalidOption", "message": "no", "field": "width"}}
    refused = Recorder(httpx.Response(400, json=error))

    async def bad() -> Chart:
        return await _async_plot(refused, []).draw(width=5000)

    with pytest.raises(InvalidRequestError) as raised:
        _run(bad)
    assert (raised.value.field, raised.value.status) == ("width", 400)

    async def typo() -> Chart:
        return await _async_plot(Recorder(), []).draw(widht=1)

    with pytest.raises(UsageError, match="did you mean 'width'"):
        _run(typo)
    slow = Recorder(_slow)

    async def late() -> Chart:
        return await _async_plot(slow, [], retries=0).draw()

    with pytest.raises(Timeout):
        _run(late)


def test_async_with_block_draws_concurrently() -> None:
    recorder = Recorder(*[_image() for _ in range(3)])

    async def draw() -> list[Chart]:
        async with _async_plot(recorder, []) as plot:
            return list(await asyncio.gather(*(plot.draw(seed=seed) for seed in range(3))))

    charts = _run(draw)
    assert [chart.data for chart in charts] == [PNG] * 3
    assert sorted(request.url.params["seed"] for request in recorder.requests) == ["0", "1", "2"]


def test_the_client_benchmark_runs_on_tiny_sizes() -> None:
    from benchmarks.client import encode_times

    out: list[str] = []
    encode_times(20, 1, out)
    assert len(out) == 6 and all(" rows " in line and " ms " in line for line in out)


def test_an_error_answered_as_an_image_is_read_from_its_header() -> None:
    import ScatterPlot
    from client.answer import service_error
    from tests.conftest import make_request

    answer = ScatterPlot.main(make_request("/api/ScatterPlot?seed=1&colour=red&output=image"))
    assert answer.mimetype == "image/png"
    response = httpx.Response(
        answer.status_code,
        headers=dict(answer.headers),
        content=answer.get_body(),
        request=httpx.Request("GET", "http://127.0.0.1:7071/api/ScatterPlot"),
    )
    error = service_error(response)
    assert error.status == 400 and error.code == "UnknownOption" and error.field == "colour"
    assert "did you mean 'color'" in str(error)
