"""ETags, Cache-Control and 304s for deterministic answers; no-store for random ones."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import ScatterPlot
from shared import ChartSpec, Settings, parse_request, render
from shared.answer.caching import CACHEABLE, PRIVATE, etag_for, matches
from tests.conftest import RequestFactory

ROOT = Path(__file__).resolve().parent.parent

SEEDED = "/api/ScatterPlot?seed=4&n=50"


def etag(url: str, request_factory: RequestFactory, **headers: str) -> str:
    return str(ScatterPlot.main(request_factory(url, headers=headers)).headers["ETag"])


def test_deterministic_answers_carry_an_etag_and_may_be_cached(
    request_factory: RequestFactory,
) -> None:
    response = ScatterPlot.main(request_factory(SEEDED))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == CACHEABLE == "public, max-age=86400"
    assert response.headers["ETag"].startswith('"') and response.headers["ETag"].endswith('"')
    assert response.headers["Vary"] == "Accept"
    posted = ScatterPlot.main(
        request_factory("/api/ScatterPlot", method="POST", body={"x": [1, 2], "y": [2, 1]})
    )
    assert posted.headers["Cache-Control"] == CACHEABLE and "ETag" in posted.headers


def test_random_answers_are_not_stored_and_have_no_etag(request_factory: RequestFactory) -> None:
    response = ScatterPlot.main(request_factory("/api/ScatterPlot?n=50"))
    assert response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers
    again = ScatterPlot.main(
        request_factory("/api/ScatterPlot?n=50", headers={"If-None-Match": "*"})
    )
    assert again.status_code == 200 and again.get_body()


def test_the_etag_follows_spec_shape_and_format(request_factory: RequestFactory) -> None:
    base = etag(SEEDED, request_factory)
    assert etag(SEEDED, request_factory) == base
    assert etag(SEEDED.replace("seed=4", "seed=5"), request_factory) != base
    assert etag(SEEDED + "&output=record", request_factory) != base
    assert etag(SEEDED + "&details=false", request_factory) != base
    assert etag(SEEDED + "&format=jpeg", request_factory) != base
    # jpg is jpeg, and jpeg's default quality is 75: one chart, one tag
    jpeg = etag(SEEDED + "&format=jpeg", request_factory)
    assert etag(SEEDED + "&format=jpg", request_factory) == jpeg
    assert etag(SEEDED + "&format=jpeg&quality=75", request_factory) == jpeg
    assert etag(SEEDED + "&format=jpeg&quality=90", request_factory) != jpeg
    webp = etag(SEEDED + "&format=webp", request_factory)
    assert (
        webp not in (base, jpeg)
        and etag(SEEDED + "&format=webp&quality=80", request_factory) != webp
    )
    assert etag(SEEDED + "&title=t", request_factory) != base
    # the same chart asked for in two ways is the same answer
    assert etag(SEEDED + "&width=640&dpi=100", request_factory) == base
    image = etag(SEEDED + "&output=image", request_factory)
    assert etag(SEEDED, request_factory, Accept="image/png") == image != base


def test_same_data_by_query_json_and_csv_share_an_etag(request_factory: RequestFactory) -> None:
    by_query = etag("/api/ScatterPlot?x=1,2,3&y=4,5,6", request_factory)
    by_json = ScatterPlot.main(
        request_factory("/api/ScatterPlot", method="POST", body={"x": [1, 2, 3], "y": [4, 5, 6]})
    ).headers["ETag"]
    by_csv = ScatterPlot.main(
        request_factory(
            "/api/ScatterPlot",
            method="POST",
            body="x,y\n1,4\n2,5\n3,6\n",
            headers={"Content-Type": "text/csv"},
        )
    ).headers["ETag"]
    assert by_query == by_json == by_csv


@pytest.mark.parametrize(
    "header",
    ["{tag}", "W/{tag}", '"other", {tag}', 'W/"x",W/{tag} , "y"', "*", "  {tag}  "],
)
def test_if_none_match_gives_304_without_rendering(
    request_factory: RequestFactory, monkeypatch: pytest.MonkeyPatch, header: str
) -> None:
    tag = etag(SEEDED, request_factory)

    def must_not_render(spec: object, **options: object) -> bytes:
        raise AssertionError("a 304 must not render")

    monkeypatch.setattr(ScatterPlot, "render", must_not_render)
    response = ScatterPlot.main(
        request_factory(SEEDED, headers={"If-None-Match": header.format(tag=tag)})
    )
    assert response.status_code == 304
    assert response.get_body() == b""
    assert response.headers["ETag"] == tag
    assert response.headers["Cache-Control"] == CACHEABLE


@pytest.mark.parametrize("header", ['"nope"', 'W/"nope", "other"', "garbage", "", '"unclosed'])
def test_other_tags_render_normally(request_factory: RequestFactory, header: str) -> None:
    response = ScatterPlot.main(request_factory(SEEDED, headers={"If-None-Match": header}))
    assert response.status_code == 200 and response.get_body()


def test_errors_are_never_cached(request_factory: RequestFactory) -> None:
    response = ScatterPlot.main(
        request_factory("/api/ScatterPlot?seed=1&width=1", headers={"If-None-Match": "*"})
    )
    assert response.status_code == 400
    assert response.headers["Cache-Control"] == "no-store" and "ETag" not in response.headers


def test_matches_unit() -> None:
    assert matches('"a"', '"a"') and matches('W/"a"', '"a"') and matches("*", '"a"')
    assert not matches(None, '"a"') and not matches('"a"', None) and not matches('"ab"', '"a"')
    assert not matches('"a', '"a"')


def test_etag_for_needs_a_deterministic_request() -> None:
    random_request = parse_request(params={}, headers={}, body=b"", settings=Settings())
    seeded = parse_request(params={"seed": "1"}, headers={}, body=b"", settings=Settings())
    assert etag_for(random_request) is None and etag_for(seeded) is not None


@pytest.mark.parametrize(
    ("url", "headers", "body"),
    [
        (SEEDED + "&code=k3y", {}, None),
        (SEEDED, {"x-functions-key": "k3y"}, None),
        ("/api/ScatterPlot", {}, {"x": [1, 2], "y": [2, 1], "code": "k3y"}),
        ("/api/ScatterPlot", {}, {"Inputs": {}, "GlobalParameters": {"seed": "4", "code": "k3y"}}),
    ],
)
def test_a_keyed_answer_is_private_never_public(
    request_factory: RequestFactory,
    url: str,
    headers: dict[str, str],
    body: dict[str, object] | None,
) -> None:
    method = "POST" if body is not None else "GET"
    response = ScatterPlot.main(request_factory(url, method=method, body=body, headers=headers))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == PRIVATE == "private, max-age=86400"
    tag = response.headers["ETag"]
    again = ScatterPlot.main(
        request_factory(url, method=method, body=body, headers={**headers, "If-None-Match": tag})
    )
    assert again.status_code == 304 and again.headers["Cache-Control"] == PRIVATE


@pytest.mark.parametrize("image_format", ["svg", "pdf", "png", "jpeg"])
def test_two_answers_to_the_same_request_are_the_same_bytes(
    request_factory: RequestFactory, image_format: str
) -> None:
    # a strong ETag promises identical bytes; matplotlib's SVG ids are random unless salted
    url = SEEDED + f"&format={image_format}&output=image&title=%24%5Csqrt%7Bx%7D%24&grid=true"
    first, second = (ScatterPlot.main(request_factory(url)) for _ in range(2))
    assert first.headers["ETag"] == second.headers["ETag"]
    assert first.get_body() == second.get_body()


def test_svg_bytes_are_the_same_in_another_process() -> None:
    script = (
        "import hashlib, numpy as np; from shared.chart import render; from shared.spec import "
        "ChartSpec; x = np.arange(5.0); "
        "print(hashlib.sha256(render(ChartSpec(x=x, y=x, format='svg'))).hexdigest())"
    )
    here = hashlib.sha256(render(ChartSpec(x=np.arange(5.0), y=np.arange(5.0), format="svg")))
    there = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert there.stdout.strip() == here.hexdigest()
