"""The client's option list stays the service's: ``client/options.json`` is what
``python -m tools.client_options`` writes from ``shared/openapi.json``, and every option in it is
a keyword of ``draw`` and a command-line flag, checked by its schema."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from client import cli, options
from client.api import ScatterPlot
from client.errors import UsageError
from client.options import Option, check_options, option_list
from shared.openapi import openapi_document
from shared.request.options import option_names
from tests.test_client import PNG, Recorder
from tools import client_options


def test_the_shipped_list_is_the_one_the_description_gives() -> None:
    text = client_options.OPTIONS_PATH.read_text(encoding="utf-8")
    assert text == client_options.render(openapi_document()), (
        "client/options.json is stale: run python -m tools.client_options"
    )
    assert client_options.main(["--check"]) == 0


def test_the_list_is_every_option_the_service_reads_but_its_own_ways() -> None:
    names = {option.name for option in option_list()}
    assert names == set(option_names()) - client_options.NOT_OPTIONS
    formats = next(o for o in option_list() if o.name == "format").choices or ()
    assert "png" in formats and "swagger" not in formats


def test_a_changed_description_makes_the_check_fail(tmp_path: Any) -> None:
    document = copy.deepcopy(openapi_document())
    parameters = document["paths"]["/ScatterPlot"]["get"]["parameters"]
    parameters.append({"name": "group", "in": "query", "schema": {"type": "string"}})
    assert client_options.render(document) != client_options.render(openapi_document())
    listed = client_options.build_options(document)["options"]
    assert listed[-1] == {"name": "group", "help": "", "schema": {"type": "string"}}


def _example(option: Option) -> tuple[str, str]:
    """A command-line value for the option, and what the service gets."""
    schema = option.schema.get("anyOf", [option.schema])[0]
    if option.choices:
        return option.choices[0], option.choices[0]
    kind = schema.get("type")
    if kind == "integer":
        low = int(schema.get("minimum", 1))
        return str(low), str(low)
    if kind == "number":
        low = schema.get("minimum", schema.get("exclusiveMinimum", 0) + 0.5)
        return str(max(low, -1.0)), str(float(max(low, -1.0)))
    return "some text", "some text"


@pytest.mark.parametrize("option", option_list(), ids=lambda option: option.name)
def test_every_option_is_a_flag_and_a_keyword(option: Option) -> None:
    parser = cli.build_parser()
    if option.kind == "boolean":
        args = parser.parse_args([cli.flag(option)])
        assert getattr(args, cli.dest(option)) is True
        sent = "true"
        value: object = True
    else:
        given, sent = _example(option)
        args = parser.parse_args([cli.flag(option), given])
        value = getattr(args, cli.dest(option))
        assert option.check(value) == sent
    assert check_options({option.name: value}) == {option.name: sent}
    recorder = Recorder(httpx.Response(200, content=PNG, headers={"Content-Type": "image/png"}))
    ScatterPlot("http://s.test/", environ={}, transport=httpx.MockTransport(recorder)).draw(
        **{option.name: value}
    )
    assert recorder.requests[0].url.params[option.name] == sent


def test_an_option_added_to_the_list_is_a_flag_and_a_keyword(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    added = Option("marker_edge", "edge colour", {"type": "string", "maxLength": 8})
    longer = (*option_list(), added)
    monkeypatch.setattr(options, "option_list", lambda: longer)
    monkeypatch.setattr(cli, "option_list", lambda: longer)
    options.options_by_name.cache_clear()
    try:
        args = cli.build_parser().parse_args(["--marker-edge", "red"])
        assert args.marker_edge == "red"
        assert check_options({"marker_edge": "red"}) == {"marker_edge": "red"}
        with pytest.raises(SystemExit):
            cli.build_parser().parse_args(["--marker-edge", "much-too-long"])
    finally:
        options.options_by_name.cache_clear()


def test_no_generated_flag_takes_a_flag_of_the_client() -> None:
    own = {"--url", "--key", "--bearer", "--timeout", "--retries", "--csv", "--json", "--out"}
    assert not own & {cli.flag(option) for option in option_list()}


@pytest.mark.parametrize(
    ("name", "value", "sent"),
    [
        ("width", "640", "640"),
        ("width", 640.0, "640"),
        ("dpi", 150, "150.0"),
        ("grid", "1", "true"),
        ("grid", False, "false"),
        ("alpha", "0.5", "0.5"),
        ("title", 2024, "2024"),
        ("seed", " 7 ", "7"),
    ],
)
def test_values_are_sent_as_the_service_reads_them(name: str, value: object, sent: str) -> None:
    assert check_options({name: value}) == {name: sent}


def test_unset_options_are_left_out() -> None:
    assert check_options({"title": None, "width": 300}) == {"width": "300"}


def test_an_option_of_two_kinds_takes_either() -> None:
    either = Option("xmin", "", {"anyOf": [{"type": "number"}, {"type": "string"}]})
    assert either.check("2024-01-05") == "2024-01-05"
    assert either.check("3") == "3.0"
    with pytest.raises(UsageError, match="a finite number"):
        either.check("nan")  # reads as a number, so judged as one
    dated = Option("xmin", "", {"type": "string", "pattern": r"^\d{4}-\d\d-\d\d"})
    with pytest.raises(UsageError, match="text matching"):
        dated.check("soon")
