"""Errors an ``<img>`` can show: image callers get the error drawn, JSON callers get JSON."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

import ScatterPlot
from shared.answer.errorimage import ERROR_HEADER, wanted_format
from tests.conftest import RequestFactory

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
IMG_TAG = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8"


def _header(response: object) -> dict[str, object]:
    value = response.headers[ERROR_HEADER]  # type: ignore[attr-defined]
    assert value.isascii() and "\n" not in value and "\r" not in value
    document: dict[str, object] = json.loads(value)["error"]
    return document


@pytest.mark.parametrize(
    ("url", "headers", "kind"),
    [
        ("/api/ScatterPlot?seed=1&colour=red&output=image", {}, "PNG"),
        ("/api/ScatterPlot?seed=1&colour=red&format=jpeg&output=image", {}, "JPEG"),
        ("/api/ScatterPlot?seed=1&colour=red", {"Accept": "image/png"}, "PNG"),
        ("/api/ScatterPlot?seed=1&colour=red", {"Accept": IMG_TAG}, "PNG"),
        ("/api/ScatterPlot?seed=1&colour=red", {"Accept": BROWSER}, "PNG"),
        ("/api/ScatterPlot?seed=1&colour=red&format=gif&output=image", {}, "PNG"),
    ],
)
def test_an_image_caller_gets_the_error_as_an_image(
    request_factory: RequestFactory, url: str, headers: dict[str, str], kind: str
) -> None:
    response = ScatterPlot.main(request_factory(url, headers=headers))
    assert response.status_code == 400
    image = Image.open(io.BytesIO(response.get_body()))
    assert image.format == kind
    assert response.mimetype == f"image/{kind.lower()}"
    error = _header(response)
    assert error["field"] in ("colour", "format") and error["code"] in (
        "UnknownOption",
        "InvalidOption",
    )
    assert response.headers["Cache-Control"] == "no-store"


def test_json_callers_keep_json_errors(request_factory: RequestFactory) -> None:
    for headers in ({}, {"Accept": "application/json"}, {"Accept": "*/*"}):
        response = ScatterPlot.main(
            request_factory("/api/ScatterPlot?seed=1&colour=red", headers=headers)
        )
        assert response.status_code == 400 and response.mimetype == "application/json"
        assert ERROR_HEADER not in response.headers
        assert json.loads(response.get_body())["error"]["field"] == "colour"


def test_the_size_and_format_follow_the_request(request_factory: RequestFactory) -> None:
    response = ScatterPlot.main(
        request_factory("/api/ScatterPlot?width=320&height=200&n=0&output=image")
    )
    assert response.status_code == 400
    assert Image.open(io.BytesIO(response.get_body())).size == (320, 200)
    huge = ScatterPlot.main(request_factory("/api/ScatterPlot?width=99999&output=image"))
    assert Image.open(io.BytesIO(huge.get_body())).size == (640, 480)
    assert _header(huge)["field"] == "width"
    svg = ScatterPlot.main(request_factory("/api/ScatterPlot?n=0&format=svg&output=image"))
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.get_body()[:500]


def test_a_413_is_an_image_too(request_factory: RequestFactory) -> None:
    response = ScatterPlot.main(request_factory("/api/ScatterPlot?n=99999999&output=image"))
    assert response.status_code == 413 and response.mimetype == "image/png"
    assert _header(response)["code"] == "TooLarge"


def test_the_body_says_it_wants_an_image(request_factory: RequestFactory) -> None:
    json_body = ScatterPlot.main(
        request_factory(
            "/api/ScatterPlot", method="POST", body={"x": [1, 2], "y": [1], "output": "image"}
        )
    )
    assert json_body.status_code == 400 and json_body.mimetype == "image/png"
    azureml = ScatterPlot.main(
        request_factory(
            "/api/ScatterPlot",
            method="POST",
            body={"Inputs": {"input1": 3}, "GlobalParameters": {"output": "image"}},
        )
    )
    assert azureml.status_code == 400 and azureml.mimetype == "image/png"
    form = ScatterPlot.main(
        request_factory(
            "/api/ScatterPlot",
            method="POST",
            body="x=1,2&y=1&output=image",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    )
    assert form.status_code == 400 and form.mimetype == "image/png"


def test_an_accept_header_that_rules_out_the_image_keeps_json(
    request_factory: RequestFactory,
) -> None:
    response = ScatterPlot.main(
        request_factory("/api/ScatterPlot?output=image&n=0", headers={"Accept": "image/jpeg"})
    )
    assert response.mimetype == "application/json"


def test_the_key_is_never_quoted(request_factory: RequestFactory) -> None:
    key = "k3y-Secret-Value-123"
    response = ScatterPlot.main(
        request_factory(
            "/api/ScatterPlot?code=" + key + "&output=image",
            method="POST",
            body={"x": [1, 2], "y": [3, 4], "code": "other"},
        )
    )
    assert response.status_code == 400 and response.mimetype == "image/png"
    assert key not in response.headers[ERROR_HEADER]
    assert "other" not in response.headers[ERROR_HEADER]  # neither of the two keys
    assert _header(response)["field"] == "code"


def test_non_ascii_messages_are_escaped(request_factory: RequestFactory) -> None:
    response = ScatterPlot.main(request_factory("/api/ScatterPlot?cölour=red&output=image"))
    assert "\\u00f6" in response.headers[ERROR_HEADER]
    assert _header(response)["code"] == "UnknownOption"


def test_wanted_format_reads_the_raw_request() -> None:
    assert wanted_format({"output": "image"}, {}, b"") == "png"
    assert wanted_format({"output": "azureml"}, {"accept": "image/png"}, b"") is None
    assert wanted_format({"format": "swagger"}, {"accept": "image/png"}, b"") is None
    assert wanted_format({}, {"accept": "image/svg+xml"}, b"") is None  # png is the format
    assert wanted_format({"format": "svg"}, {"accept": "image/svg+xml"}, b"") == "svg"
    assert wanted_format({}, {"content-type": "application/json"}, b"{not json") is None
    body = b'{"GlobalParameters": {"output": "image", "format": "jpeg"}}'
    assert wanted_format({}, {"content-type": "application/json"}, body) == "jpeg"
