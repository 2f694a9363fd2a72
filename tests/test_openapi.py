"""The API description: valid OpenAPI 3.1, complete, and true of the app's real answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openapi_spec_validator import validate as validate_spec

import Health
import OpenAPI
import ScatterPlot
from shared.openapi import openapi_document
from shared.request.options import option_names
from tests.conftest import RequestFactory
from tests.openapi_check import check_response

CHART = "/ScatterPlot"


def test_the_description_is_valid_openapi_3_1() -> None:
    document = openapi_document()
    assert document["openapi"] == "3.1.0"
    validate_spec(document)


@pytest.mark.parametrize("method", ["get", "post"])
def test_query_parameters_are_exactly_the_options_plus_query_data(method: str) -> None:
    parameters = openapi_document()["paths"][CHART][method]["parameters"]
    query = [p["name"] for p in parameters if p["in"] == "query"]
    assert len(query) == len(set(query))
    assert set(query) == set(option_names()) | {"x", "y"}


def test_every_error_code_is_described() -> None:
    from shared import errors

    codes = {
        cls.code
        for cls in vars(errors).values()
        if isinstance(cls, type) and issubclass(cls, errors.ScatterPlotError)
    }
    described = openapi_document()["components"]["schemas"]["Error"]["properties"]["error"]
    assert codes == set(described["properties"]["code"]["enum"])


def test_only_the_chart_function_needs_a_key() -> None:
    document = openapi_document()
    for path, methods in document["paths"].items():
        for operation in methods.values():
            assert (operation.get("security") == []) == (path != CHART)
    levels = {}
    for config in sorted(Path().glob("*/function.json")):
        levels[config.parent.name] = json.loads(config.read_text())["bindings"][0]["authLevel"]
    assert levels == {
        "Health": "anonymous",
        "Landing": "anonymous",
        "OpenAPI": "anonymous",
        "Playground": "anonymous",
        "ScatterPlot": "function",
    }
    with open("OpenAPI/function.json") as file:
        binding = json.load(file)["bindings"][0]
    assert binding["authLevel"] == "anonymous" and binding["route"] == "openapi.json"


@pytest.mark.parametrize(
    ("url", "method", "body", "headers"),
    [
        ("/api/ScatterPlot?n=20", "GET", None, {}),
        ("/api/ScatterPlot?seed=3&n=20&details=false", "GET", None, {}),
        ("/api/ScatterPlot?x=1,2,3&y=3,1,2&output=swagger", "GET", None, {}),
        ("/api/ScatterPlot?seed=1&n=10&output=pandas", "GET", None, {}),
        ("/api/ScatterPlot?seed=1&n=10&output=record&format=svg", "GET", None, {}),
        ("/api/ScatterPlot?seed=1&n=10&format=jpeg", "GET", None, {"Accept": "image/jpeg"}),
        ("/api/ScatterPlot?seed=1&n=10&format=jpg&quality=50", "GET", None, {}),
        ("/api/ScatterPlot?seed=1&n=10&format=webp", "GET", None, {"Accept": "image/webp"}),
        ("/api/ScatterPlot?seed=1&n=10&format=webp&quality=80&output=record", "GET", None, {}),
        (
            "/api/ScatterPlot",
            "POST",
            {"x": [1, 2], "y": [3, 4], "format": "webp", "quality": 9},
            {},
        ),
        ("/api/ScatterPlot?output=image&format=pdf&n=5", "GET", None, {}),
        ("/api/ScatterPlot", "POST", {"x": [1, 2], "y": [3, 4], "title": "t"}, {}),
        (
            "/api/ScatterPlot",
            "POST",
            {
                "Inputs": {"input1": {"ColumnNames": ["x", "y"], "Values": [["0", "1"]]}},
                "GlobalParameters": {"width": "100", "height": "100"},
            },
            {},
        ),
        (
            "/api/ScatterPlot?format=swagger",
            "POST",
            {"Inputs": {"input1": [{"x": "0", "y": "1"}, {"x": "2", "y": "3"}]}},
            {},
        ),
        ("/api/ScatterPlot", "POST", "x,y\n1,2\n3,4\n", {"Content-Type": "text/csv"}),
        (
            "/api/ScatterPlot",
            "POST",
            "x=1,2&y=3,4&output=record",
            {"Content-Type": "application/x-www-form-urlencoded"},
        ),
        (
            "/api/ScatterPlot?group=g&x_column=day&output=record",
            "POST",
            "day;y;g\n2024-01-05;1;a\n2024-01-06;;b\n2024-01-07;3;b\n",
            {"Content-Type": "text/csv"},
        ),
        (
            "/api/ScatterPlot?y_column=a,b",
            "POST",
            "x\ta\tb\n1\t2\t3\n",
            {"Content-Type": "text/tab-separated-values"},
        ),
        ("/api/ScatterPlot?color_column=c", "POST", '[{"x": 1, "y": 2, "c": 3}]', {}),
        (
            "/api/ScatterPlot?output=image",
            "POST",
            {"x": {"0": 1, "1": 2}, "y": {"0": 3, "1": None}, "s": {"0": 1, "1": 2}},
            {},
        ),
        # errors, one of each status
        ("/api/ScatterPlot?colour=red", "GET", None, {}),
        ("/api/ScatterPlot?n=0", "GET", None, {}),
        ("/api/ScatterPlot", "GET", None, {"Accept": "text/html"}),
        ("/api/ScatterPlot?n=99999999", "GET", None, {}),
        ("/api/ScatterPlot", "POST", "<a/>", {"Content-Type": "application/xml"}),
    ],
)
def test_chart_answers_match_the_description(
    request_factory: RequestFactory,
    url: str,
    method: str,
    body: object,
    headers: dict[str, str],
) -> None:
    response = ScatterPlot.main(request_factory(url, method=method, body=body, headers=headers))
    check_response(CHART, method, response)


def test_a_304_matches_the_description(request_factory: RequestFactory) -> None:
    first = ScatterPlot.main(request_factory("/api/ScatterPlot?seed=2&n=10"))
    again = ScatterPlot.main(
        request_factory(
            "/api/ScatterPlot?seed=2&n=10", headers={"If-None-Match": first.headers["ETag"]}
        )
    )
    assert again.status_code == 304
    check_response(CHART, "GET", again)


def test_an_internal_error_matches_the_description(
    request_factory: RequestFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(spec: object, **options: object) -> bytes:
        raise RuntimeError("boom")

    monkeypatch.setattr(ScatterPlot, "render", explode)
    response = ScatterPlot.main(request_factory())
    assert response.status_code == 500
    check_response(CHART, "GET", response)


def test_health_and_description_answers_match_the_description(
    request_factory: RequestFactory,
) -> None:
    health = Health.main(request_factory("/api/health"))
    assert health.status_code == 200
    check_response("/health", "GET", health)
    described = OpenAPI.main(request_factory("/api/openapi.json"))
    assert described.status_code == 200
    check_response("/openapi.json", "GET", described)
    assert json.loads(described.get_body()) == openapi_document()
