"""Function tests: build ``func.HttpRequest`` like the worker and call ``main()``."""

from __future__ import annotations

import base64
import io
import json
import logging
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from PIL import Image

from ScatterPlot import main
from shared.request.tables import reference_data
from tests.conftest import RequestFactory, decode_png
from tests.recipe import recipe_png


def azureml_image(body: bytes) -> bytes:
    """What the original client did: take the cell, split at the comma, base64-decode."""
    cell = json.loads(body)["Results"]["output1"]["value"]["Values"][0][0]
    return base64.b64decode(cell.split(",")[1])


def test_get_without_input_answers_the_azureml_table_with_a_png(
    request_factory: RequestFactory,
) -> None:
    response = main(request_factory())
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    assert decode_png(azureml_image(response.get_body())).shape == (480, 640, 4)


def test_seeded_answer_equals_the_recipe_pixel_for_pixel(request_factory: RequestFactory) -> None:
    response = main(request_factory("/api/ScatterPlot?seed=5"))
    x, y = reference_data(1000, seed=5)
    expected = decode_png(recipe_png(x.tolist(), y.tolist()))
    assert np.array_equal(decode_png(azureml_image(response.get_body())), expected)


def test_posted_azureml_request_answers_in_kind(request_factory: RequestFactory) -> None:
    body = {
        "Inputs": {"input1": {"ColumnNames": ["x", "y"], "Values": [["0", "12"], ["1", "-40"]]}},
        "GlobalParameters": {"width": "300", "height": "200"},
    }
    response = main(request_factory("/api/ScatterPlot?api-version=2.0", method="POST", body=body))
    assert response.status_code == 200
    assert decode_png(azureml_image(response.get_body())).shape == (200, 300, 4)


def test_raw_image_by_accept_header_and_by_parameter(request_factory: RequestFactory) -> None:
    by_header = main(request_factory(headers={"Accept": "image/png"}))
    assert by_header.mimetype == "image/png"
    assert Image.open(io.BytesIO(by_header.get_body())).size == (640, 480)
    svg = main(request_factory("/api/ScatterPlot?output=image&format=svg"))
    assert svg.mimetype == "image/svg+xml" and svg.get_body().startswith(b"<?xml")


def test_pandas_and_record_answers(request_factory: RequestFactory) -> None:
    split = json.loads(main(request_factory("/api/ScatterPlot?output=pandas")).get_body())
    assert split["columns"] == ["image"] and split["index"] == [0]
    record = json.loads(main(request_factory("/api/ScatterPlot?output=record")).get_body())
    assert record["image"].startswith("data:image/png;base64,")


def test_csv_post(request_factory: RequestFactory) -> None:
    response = main(
        request_factory(
            "/api/ScatterPlot?output=image&width=200&height=100",
            method="POST",
            body="x,y\n1,2\n2,4\n3,1\n",
            headers={"Content-Type": "text/csv"},
        )
    )
    assert response.status_code == 200
    assert decode_png(response.get_body()).shape == (100, 200, 4)


@pytest.mark.parametrize(
    ("url", "body", "headers", "status", "code"),
    [
        ("/api/ScatterPlot?width=big", None, {}, 400, "InvalidOption"),
        ("/api/ScatterPlot?colour=red", None, {}, 400, "UnknownOption"),
        ("/api/ScatterPlot?n=5000000", None, {}, 413, "TooLarge"),
        (
            "/api/ScatterPlot",
            "{bad json",
            {"Content-Type": "application/json"},
            400,
            "MalformedBody",
        ),
        (
            "/api/ScatterPlot",
            "<xml/>",
            {"Content-Type": "application/xml"},
            415,
            "UnsupportedMediaType",
        ),
        ("/api/ScatterPlot", None, {"Accept": "text/html"}, 406, "NotAcceptable"),
        ("/api/ScatterPlot?title=$\\sqrt{$", None, {}, 400, "InvalidText"),
    ],
)
def test_errors_are_json_with_a_fitting_status(
    request_factory: RequestFactory,
    url: str,
    body: str | None,
    headers: dict[str, str],
    status: int,
    code: str,
) -> None:
    method = "POST" if body else "GET"
    response = main(request_factory(url, method=method, body=body, headers=headers))
    assert response.status_code == status
    assert response.mimetype == "application/json"
    error = json.loads(response.get_body())["error"]
    assert error["code"] == code and error["message"]
    assert "Traceback" not in error["message"] and ".py" not in error["message"]


def test_an_unexpected_failure_is_a_generic_500_with_the_traceback_only_in_the_log(
    request_factory: RequestFactory,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    import ScatterPlot

    def explode(spec: object, **options: object) -> bytes:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(ScatterPlot, "render", explode)
    with caplog.at_level(logging.ERROR, logger="scatterplot"):
        response = main(request_factory())
    assert response.status_code == 500
    body = response.get_body().decode()
    assert json.loads(body)["error"]["code"] == "InternalError"
    assert "secret" not in body and "Traceback" not in body
    assert "secret internal detail" in caplog.text


def test_threads_render_the_same_pixels_as_one_thread(request_factory: RequestFactory) -> None:
    urls = [f"/api/ScatterPlot?seed={seed}&output=image&title=t{seed}" for seed in range(6)]
    alone = [main(request_factory(url)).get_body() for url in urls]
    with ThreadPoolExecutor(max_workers=6) as pool:
        together = list(pool.map(lambda url: main(request_factory(url)).get_body(), urls * 2))
    for index, image in enumerate(together):
        assert np.array_equal(decode_png(image), decode_png(alone[index % len(urls)]))
