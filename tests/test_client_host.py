"""The Python API against the real app on the local host; the Python examples of
docs/client.md and the README run as a reader would run them (one after another, in a folder
holding a copy of examples/, ``SCATTERPLOT_URL`` pointing at the test host); and the code the
playground's "copy as Python" writes, made by its own snippets.js under node, run as is."""

from __future__ import annotations

import ast
import asyncio
import contextlib
import io
import json
import shutil
import subprocess
import types
from pathlib import Path

import pandas as pd
import pytest

from client import AsyncScatterPlot, Chart, InvalidRequestError, ScatterPlot
from tests.conftest import decode_png
from tests.hostprocess import REPO, LocalHost
from tests.test_docs import DOCS_BASE, read_page

# each page's Python blocks: the images they write (name, pixel shape) and lines they print
PAGES = {
    "docs/client.md": (
        {"rain.png": (320, 480, 4), "seed-1.png": (240, 320, 4), "seed-3.png": (240, 320, 4)},
        ["did you mean 'width'?", "400 InvalidOption width", "<Chart svg 460.8pt x 345.6pt, "],
    ),
    "README.md": ({"rain.png": (480, 640, 4)}, []),
}


def _url(host: LocalHost) -> str:
    return host.base_url + "/api/ScatterPlot"


def test_draws_from_the_local_host(local_host: LocalHost) -> None:
    with ScatterPlot(_url(local_host), environ={}) as plot:
        reference = plot.draw(seed=1)
        frame = pd.DataFrame({"day": [1, 2, 3, 4], "rain": [3.0, 0.5, 2.0, 1.0]})
        small = plot.draw(frame, x="day", y="rain", title="Rain", width=320, height=240)
        svg = plot.draw(x=[1, 2, 3], y=[3, 1, 2], format="svg")
    assert decode_png(reference.png).shape == (480, 640, 4)
    assert reference.etag and reference.size == (640, 480)
    assert decode_png(small.data).shape == (240, 320, 4)
    assert small.data != reference.data
    assert svg.format == "svg" and "<svg" in (svg._repr_svg_() or "")


def test_the_service_error_comes_back_typed(local_host: LocalHost) -> None:
    with pytest.raises(InvalidRequestError) as raised:
        ScatterPlot(_url(local_host), environ={}).draw(width=5000)
    error = raised.value
    assert (error.status, error.code, error.field) == (400, "InvalidOption", "width")
    assert error.message.startswith("width is 5000")


def test_async_draws_concurrently_from_the_local_host(local_host: LocalHost) -> None:
    async def draw() -> list[Chart]:
        async with AsyncScatterPlot(_url(local_host), environ={}) as plot:
            return list(
                await asyncio.gather(
                    *(plot.draw(seed=seed, width=200, height=100) for seed in (1, 2, 3))
                )
            )

    charts = asyncio.run(draw())
    assert [decode_png(chart.data).shape for chart in charts] == [(100, 200, 4)] * 3
    assert len({chart.data for chart in charts}) == 3


def test_bearer_mode_sends_a_frame_the_app_reads(local_host: LocalHost) -> None:
    frame = pd.DataFrame({"day": [1, 2, 3], "temp": [14.1, 13.2, 14.3]})
    plot = ScatterPlot(_url(local_host), bearer="old-service-key", environ={})
    chart = plot.draw(frame, x="day", y="temp", width=200, height=100)
    assert decode_png(chart.data).shape == (100, 200, 4)


def _run_block(source: str, namespace: dict[str, object]) -> None:
    """Run a block as a notebook cell: top-level ``await`` allowed."""
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    code = compile(source, "<python block>", "exec", flags=flags)
    if code.co_flags & 0x80:  # CO_COROUTINE: the block awaits
        asyncio.run(types.FunctionType(code, namespace)())
    else:
        exec(code, namespace)


@pytest.mark.parametrize("page", PAGES)
def test_the_python_examples_run(
    page: str, local_host: LocalHost, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocks = [b.text for b in read_page(REPO / page).blocks if b.language == "python"]
    images, lines = PAGES[page]
    assert blocks
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SCATTERPLOT_URL", _url(local_host))
    monkeypatch.delenv("SCATTERPLOT_KEY", raising=False)
    printed = io.StringIO()
    for block in blocks:
        namespace: dict[str, object] = {"__name__": "__main__"}
        with contextlib.redirect_stdout(printed):
            _run_block(block.replace(DOCS_BASE, local_host.base_url), namespace)
    for name, shape in images.items():
        assert decode_png((tmp_path / name).read_bytes()).shape == shape, name
    for line in lines:
        assert line in printed.getvalue()
    if page == "docs/client.md":
        assert (tmp_path / "squares.svg").read_bytes().lstrip().startswith(b"<?xml")


# The playground's "copy as Python" (Playground/static/snippets.js), made by node and run.
SNIPPET_SCRIPT = """
const [path, json] = process.argv.slice(1);
const made = await import(path);
const {request, kinds} = JSON.parse(json);
process.stdout.write(made.pythonSnippet(request, kinds));
"""


def _page_snippet(tmp_path: Path, request: dict[str, object], kinds: dict[str, str]) -> str:
    module = tmp_path / "snippets.mjs"  # an ES module to node, as to the browser
    shutil.copy(REPO / "Playground" / "static" / "snippets.js", module)
    document = json.dumps({"request": request, "kinds": kinds})
    done = subprocess.run(
        ["node", "--input-type=module", "-e", SNIPPET_SCRIPT, module.as_uri(), document],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


@pytest.mark.parametrize("inline", [True, False], ids=["csv-in-the-code", "csv-file"])
def test_the_playgrounds_python_snippet_draws_with_the_client(
    inline: bool, local_host: LocalHost, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    csv = (REPO / "examples" / "weather.csv").read_text()
    if not inline:
        csv += "".join(f"{day},1.0,10.0,hill\n" for day in range(31, 400))  # above INLINE_LIMIT
        (tmp_path / "weather.csv").write_text(csv)
    request = {
        "chartUrl": _url(local_host),
        "params": [
            ["x_column", "day"],
            ["y_column", "rain"],
            ["title", "Rain"],
            ["grid", "true"],
            ["width", "320"],
            ["dpi", "80"],
            ["output", "image"],
        ],
        "data": {"csv": csv, "fileName": "weather.csv"},
        "hasKey": True,
    }
    python = _page_snippet(tmp_path, request, {"grid": "boolean", "width": "integer"})
    assert ("io.StringIO" in python) is inline
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SCATTERPLOT_KEY", "a-key-the-local-host-does-not-check")
    namespace: dict[str, object] = {"__name__": "__main__"}
    exec(compile(python, "<playground snippet>", "exec"), namespace)
    chart = namespace["chart"]
    assert isinstance(chart, Chart)
    assert decode_png((tmp_path / "scatter.png").read_bytes()).shape == (480, 320, 4)
    direct = ScatterPlot(_url(local_host), environ={}).draw(
        pd.read_csv(io.StringIO(csv)), x="day", y="rain", title="Rain", grid=True, width=320, dpi=80
    )
    assert chart.data == direct.data
