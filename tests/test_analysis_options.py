"""The trend line, point label and density options: read from every input shape into the spec,
checked against the data and the other options, refused with a 4xx naming the field."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

import ScatterPlot
from shared import ChartRequest, Settings, parse_request
from shared.errors import ScatterPlotError
from shared.request.options import AUTO_DENSITY_ABOVE
from tests.conftest import RequestFactory

OPTIONS = {
    "kind": "hexbin",
    "gridsize": "20",
    "log_counts": "true",
    "trendline": "cubic",
    "trendline_label": "false",
}
CSV = "x,y,name\n1,2,a\n2,4,\n3,5,c\n4,3,d\n5,8,e\n"


def parse(
    params: dict[str, str] | None = None,
    body: str | dict[str, Any] = "",
    content_type: str = "",
    settings: Settings | None = None,
) -> ChartRequest:
    if isinstance(body, dict):
        body, content_type = json.dumps(body), "application/json"
    headers = {"content-type": content_type} if content_type else {}
    return parse_request(
        params=params or {}, headers=headers, body=body.encode(), settings=settings or Settings()
    )


def fields(request: ChartRequest) -> tuple[Any, ...]:
    spec = request.spec
    return (spec.kind, spec.gridsize, spec.log_counts, spec.trendline, spec.trendline_label)


EXPECTED = ("hexbin", 20, True, "cubic", False)


def test_every_input_shape_reaches_the_spec() -> None:
    data = {"x": [1, 2, 3, 4, 5], "y": [2, 4, 5, 3, 8]}
    typed = {**OPTIONS, "gridsize": 20, "log_counts": True, "trendline_label": False}
    values = [[str(x), str(y)] for x, y in zip(data["x"], data["y"], strict=True)]
    azureml = {
        "Inputs": {"input1": {"ColumnNames": ["x", "y"], "Values": values}},
        "GlobalParameters": OPTIONS,
    }
    form = "x=1,2,3,4,5&y=2,4,5,3,8&" + "&".join(f"{k}={v}" for k, v in OPTIONS.items())
    shapes = [
        parse({**OPTIONS, "x": "1,2,3,4,5", "y": "2,4,5,3,8"}),
        parse({}, {**data, **typed}),
        parse({}, {**data, **OPTIONS}),
        parse({}, azureml),
        parse({}, form, "application/x-www-form-urlencoded"),
        parse(OPTIONS, "x,y\n1,2\n2,4\n3,5\n4,3\n5,8\n", "text/csv"),
        parse(OPTIONS),  # generated data
    ]
    for request in shapes:
        assert fields(request) == EXPECTED


def test_label_column_from_every_input_shape() -> None:
    rows: list[tuple[int, int, str | None]] = [(1, 2, "a"), (2, 4, None), (3, 5, "c")]
    records = [{"x": x, "y": y, "name": name} for x, y, name in rows]
    table = {
        "ColumnNames": ["x", "y", "name"],
        "Values": [[str(x), str(y), n or ""] for x, y, n in rows],
    }
    shapes = [
        parse({"label_column": "name", "x": "1,2,3", "y": "2,4,5", "name": "a,,c"}),
        parse(
            {}, {"x": [1, 2, 3], "y": [2, 4, 5], "name": ["a", None, "c"], "label_column": "name"}
        ),
        parse({"label_column": "name"}, json.dumps(records), "application/json"),
        parse({}, {"Inputs": {"input1": table}, "GlobalParameters": {"label_column": "name"}}),
        parse(
            {}, "x=1,2,3&y=2,4,5&name=a,,c&label_column=name", "application/x-www-form-urlencoded"
        ),
        parse({"label_column": "name"}, "x,y,name\n1,2,a\n2,4,\n3,5,c\n", "text/csv"),
    ]
    for request in shapes:
        spec = request.spec
        assert spec.label_codes is not None
        assert spec.label_codes.tolist() == [0, -1, 1] and spec.label_texts == ("a", "c")
        assert request.skipped == 0  # a blank label is no missing value


def test_defaults_draw_the_recipe_chart() -> None:
    spec = parse().spec
    assert (spec.kind, spec.trendline, spec.label_codes) == ("scatter", None, None)
    assert (spec.gridsize, spec.bins, spec.trendline_label) == (50, 50, True)


@pytest.mark.parametrize(
    ("points", "options", "kind"),
    [
        (AUTO_DENSITY_ABOVE, {}, "scatter"),
        (AUTO_DENSITY_ABOVE + 1, {}, "hexbin"),
        (AUTO_DENSITY_ABOVE + 1, {"gridsize": "30", "log_counts": "true"}, "hexbin"),
        (AUTO_DENSITY_ABOVE + 1, {"color": "red"}, "scatter"),
        (AUTO_DENSITY_ABOVE + 1, {"marker": "s"}, "scatter"),
        (10, {"gridsize": "30"}, "scatter"),
    ],
)
def test_kind_auto_draws_density_above_its_point_count(
    points: int, options: dict[str, str], kind: str
) -> None:
    assert parse({"n": str(points), "kind": "auto", **options}).spec.kind == kind


def test_kind_auto_keeps_the_series_of_a_grouped_chart() -> None:
    rows = AUTO_DENSITY_ABOVE + 10
    body = "x,y,g\n" + "".join(f"{i},{i % 97},{'ab'[i % 2]}\n" for i in range(rows))
    spec = parse({"kind": "auto", "group": "g"}, body, "text/csv").spec
    assert spec.kind == "scatter" and len(spec.series) == 2


def test_density_draws_cells_so_vector_formats_take_any_point_count(
    request_factory: RequestFactory,
) -> None:
    url = "/api/ScatterPlot?n=1000000&kind=hexbin&format=svg&output=image&seed=1"
    response = ScatterPlot.main(request_factory(url))
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert len(response.get_body()) < 3_000_000


@pytest.mark.parametrize(
    ("params", "body", "status", "code", "field", "says"),
    [
        ({"trendline": "exponential"}, "", 400, "InvalidOption", "trendline", "lowess"),
        ({"kind": "violin"}, "", 400, "InvalidOption", "kind", "hexbin"),
        ({"kind": "hexbin", "gridsize": "1"}, "", 400, "InvalidOption", "gridsize", ">= 2"),
        ({"kind": "hexbin", "gridsize": "301"}, "", 400, "InvalidOption", "gridsize", "<= 300"),
        ({"kind": "hist2d", "bins": "0"}, "", 400, "InvalidOption", "bins", ">= 1"),
        ({"kind": "hist2d", "bins": "many"}, "", 400, "InvalidOption", "bins", "bins"),
        ({"kind": "hexbin", "log_counts": "maybe"}, "", 400, "InvalidOption", "log_counts", "bool"),
        (
            {"trendline": "linear", "trendline_label": "x"},
            "",
            400,
            "InvalidOption",
            "trendline_label",
            "bool",
        ),
        ({"trendline_label": "false"}, "", 400, "InvalidOption", "trendline_label", "no trendline"),
        ({"bins": "20"}, "", 400, "InvalidOption", "bins", "kind=hist2d"),
        ({"kind": "hexbin", "bins": "20"}, "", 400, "InvalidOption", "bins", "kind=hist2d"),
        ({"gridsize": "20"}, "", 400, "InvalidOption", "gridsize", "kind=hexbin"),
        ({"log_counts": "true"}, "", 400, "InvalidOption", "log_counts", "kind=hexbin"),
        ({"kind": "hexbin", "color": "red"}, "", 400, "InvalidOption", "color", "kind=scatter"),
        ({"kind": "hexbin", "size": "5"}, "", 400, "InvalidOption", "size", "markers"),
        ({"kind": "hist2d", "marker": "s"}, "", 400, "InvalidOption", "marker", "markers"),
        (
            {"kind": "hexbin", "log_counts": "true", "vmin": "0"},
            "",
            400,
            "InvalidOption",
            "vmin",
            "above 0",
        ),
        ({"cmap": "magma"}, "", 400, "InvalidOption", "cmap", "kind=hexbin"),
        ({"kind": "hexbin", "group": "name"}, CSV, 400, "InvalidOption", "group", "series"),
        (
            {"kind": "hexbin", "color_column": "name"},
            CSV,
            400,
            "InvalidOption",
            "color_column",
            "series",
        ),
        (
            {"kind": "hexbin", "color_column": "y"},
            CSV,
            400,
            "InvalidOption",
            "color_column",
            "colours",
        ),
        ({"kind": "hist2d", "size_column": "y"}, CSV, 400, "InvalidOption", "size_column", "sizes"),
        (
            {"kind": "hexbin", "yerr_column": "y"},
            CSV,
            400,
            "InvalidOption",
            "yerr_column",
            "error bars",
        ),
        (
            {"kind": "hexbin", "label_column": "name"},
            CSV,
            400,
            "InvalidOption",
            "label_column",
            "labels",
        ),
        ({"kind": "hexbin", "y_column": "x,y"}, CSV, 400, "InvalidOption", "y_column", "several y"),
        ({"kind": "hexbin", "x_column": "name"}, CSV, 400, "InvalidOption", "kind", "categories"),
        (
            {"trendline": "linear", "x_column": "name"},
            CSV,
            400,
            "InvalidOption",
            "trendline",
            "categories",
        ),
        (
            {"trendline": "linear", "y_column": "name"},
            CSV,
            400,
            "InvalidOption",
            "trendline",
            "categories",
        ),
        (
            {"trendline": "cubic"},
            "x,y\n1,1\n2,2\n3,3\n3,4\n",
            400,
            "InvalidData",
            "trendline",
            "at least 4",
        ),
        (
            {"trendline": "linear", "group": "g"},
            "x,y,g\n1,1,a\n2,2,a\n1,3,b\n",
            400,
            "InvalidData",
            "trendline",
            "'b'",
        ),
        ({"label_column": "nope"}, CSV, 400, "InvalidOption", "label_column", "not a column"),
        ({"label_column": "name"}, "", 400, "InvalidOption", "label_column", "sends none"),
        ({"label_column": "name"}, "x,y,name\n1,2,a\x01b\n", 400, "InvalidData", "name", "U+0001"),
        (
            {"label_column": "name"},
            "x,y,name\n1,2," + "w" * 201 + "\n",
            400,
            "InvalidData",
            "name",
            "200",
        ),
    ],
)
def test_bad_values_are_a_4xx_naming_the_field(
    request_factory: RequestFactory,
    params: dict[str, str],
    body: str,
    status: int,
    code: str,
    field: str,
    says: str,
) -> None:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    headers = {"Content-Type": "text/csv"} if body else {}
    response = ScatterPlot.main(
        request_factory(
            f"/api/ScatterPlot?{query}",
            method="POST" if body else "GET",
            body=body,
            headers=headers,
        )
    )
    error = json.loads(response.get_body())["error"]
    assert (response.status_code, error["code"], error.get("field")) == (status, code, field), error
    assert says in error["message"], error["message"]


def test_too_many_labels_is_a_413_naming_label_column() -> None:
    body = "x,y,name\n" + "".join(f"{i},{i},{f'p{i}' if i % 2 else ''}\n" for i in range(10))
    settings = Settings(max_labels=5)
    assert len(parse({"label_column": "name"}, body, "text/csv", settings).spec.label_texts) == 5
    body += "10,10,p10\n11,11,p11\n"
    with pytest.raises(ScatterPlotError) as caught:
        parse({"label_column": "name"}, body, "text/csv", settings)
    assert caught.value.status == 413 and caught.value.field == "label_column"
    assert "7 points" in caught.value.message and "SCATTERPLOT_MAX_LABELS" in caught.value.message


def test_rows_missing_x_or_y_take_their_labels_with_them() -> None:
    body = "x,y,name\n1,2,a\n2,,b\n3,5,c\n"
    request = parse({"label_column": "name"}, body, "text/csv")
    assert request.skipped == 1 and request.spec.label_texts == ("a", "c")
    spec = request.spec
    assert spec.label_codes is not None and np.array_equal(spec.label_codes, [0, 1])


def test_labels_and_trend_lines_change_the_etag(request_factory: RequestFactory) -> None:
    tags = set()
    for body in (CSV, CSV.replace(",a\n", ",z\n")):
        response = ScatterPlot.main(
            request_factory(
                "/api/ScatterPlot?label_column=name", method="POST", body=body,
                headers={"Content-Type": "text/csv"},
            )
        )  # fmt: skip
        tags.add(response.headers["ETag"])
    tags.add(
        ScatterPlot.main(request_factory("/api/ScatterPlot?seed=1&trendline=linear")).headers[
            "ETag"
        ]
    )
    tags.add(ScatterPlot.main(request_factory("/api/ScatterPlot?seed=1")).headers["ETag"])
    assert len(tags) == 4


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"kind": "hexbin", "gridsize": "30"}, "gridsize"),
        ({"kind": "hist2d", "bins": "32"}, "bins"),
    ],
)
def test_vector_density_charts_count_cells_against_the_vector_limit(
    options: dict[str, str], field: str
) -> None:
    settings = Settings(max_vector_points=1000)
    for image_format in ("png", "webp"):
        assert parse({**options, "format": image_format}, settings=settings).spec.kind != "scatter"
    smaller = {**options, field: "20"}
    assert parse({**smaller, "format": "svg"}, settings=settings).spec.format == "svg"
    with pytest.raises(ScatterPlotError) as caught:
        parse({**options, "format": "pdf"}, settings=settings)
    assert caught.value.status == 413 and caught.value.field == field
    assert "SCATTERPLOT_MAX_VECTOR_POINTS" in caught.value.message
