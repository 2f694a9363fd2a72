"""Pure tests of data URIs, answer shapes and Accept negotiation."""

from __future__ import annotations

import base64
import io
import json

import pandas as pd
import pytest

from shared import build_answer, from_data_uri, image_frame, to_data_uri
from shared.errors import NotAcceptable
from shared.request.negotiation import choose_output, parse_accept

PNG = b"\x89PNG\r\n\x1a\nfake"


@pytest.mark.parametrize("payload", [b"", b"\x00", PNG, bytes(range(256)) * 3])
@pytest.mark.parametrize("mimetype", ["image/png", "image/svg+xml", "application/pdf"])
def test_data_uri_round_trip(payload: bytes, mimetype: str) -> None:
    uri = to_data_uri(payload, mimetype)
    assert uri.startswith(f"data:{mimetype};base64,")
    assert from_data_uri(uri) == (mimetype, payload)


@pytest.mark.parametrize(
    "bad", ["", "data:image/png,abc", "image/png;base64,AAAA", "data:image/png;base64,@@@"]
)
def test_not_a_data_uri(bad: str) -> None:
    with pytest.raises(ValueError):
        from_data_uri(bad)


def test_azureml_answer_is_what_old_clients_parse() -> None:
    answer = build_answer(PNG, "png", "azureml")
    assert answer.mimetype == "application/json"
    document = json.loads(answer.body)
    value = document["Results"]["output1"]["value"]
    assert document["Results"]["output1"]["type"] == "table"
    assert value["ColumnNames"] == ["image"] and value["ColumnTypes"] == ["String"]
    image = value["Values"][0][0]
    assert image.startswith("data:image/png;base64,")
    assert base64.b64decode(image.split(",")[1]) == PNG  # the original client's decoding


def test_azureml_answer_without_details() -> None:
    value = json.loads(build_answer(PNG, "png", "azureml", details=False).body)
    assert value["Results"]["output1"]["value"] == {"Values": [[to_data_uri(PNG, "image/png")]]}


def test_swagger_record_pandas_and_image_answers() -> None:
    uri = to_data_uri(PNG, "image/png")
    swagger = json.loads(build_answer(PNG, "png", "swagger").body)
    assert swagger == {"Results": {"output1": [{"image": uri}]}}
    assert json.loads(build_answer(PNG, "png", "record").body) == {"image": uri}
    split = json.loads(build_answer(PNG, "png", "pandas").body)
    assert split == {"columns": ["image"], "index": [0], "data": [[uri]]}
    frame = pd.read_json(
        io.StringIO(build_answer(PNG, "png", "pandas").body.decode()), orient="split"
    )
    assert frame.loc[0, "image"] == uri
    raw = build_answer(b"<svg/>", "svg", "image")
    assert (raw.body, raw.mimetype) == (b"<svg/>", "image/svg+xml")


def test_image_frame_is_the_recipes_dataframe() -> None:
    frame = image_frame("data:image/png;base64,AAAA")
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["image"] and frame.shape == (1, 1)


def test_parse_accept_reads_quality_values() -> None:
    assert parse_accept("image/png;q=0.5, application/json, bad, */*;q=x") == [
        ("image/png", 0.5),
        ("application/json", 1.0),
        ("*/*", 0.0),
    ]


@pytest.mark.parametrize(
    ("accept", "output", "fmt", "chosen"),
    [
        (None, None, "png", "azureml"),
        ("*/*", None, "png", "azureml"),
        ("application/json", None, "png", "azureml"),
        ("image/png", None, "png", "image"),
        ("image/svg+xml", None, "svg", "image"),
        ("image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8", None, "png", "image"),
        # a browser opening the URL: the chart itself, not 75 KB of base64 JSON
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", None, "png", "image"),
        ("text/html,application/json", None, "png", "azureml"),
        ("text/html", None, "png", None),
        ("application/json;q=0.5, image/png", None, "png", "image"),
        (None, "pandas", "png", "pandas"),
        ("image/png", "record", "png", None),
        ("image/png", "image", "svg", None),
        ("text/csv", None, "png", None),
    ],
)
def test_choose_output(
    accept: str | None, output: str | None, fmt: str, chosen: str | None
) -> None:
    if chosen is None:
        with pytest.raises(NotAcceptable):
            choose_output(accept, output, fmt)
    else:
        assert choose_output(accept, output, fmt) == chosen
