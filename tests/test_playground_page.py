"""The playground page in a real browser: Playwright drives Debian's chromium against the local
host, whose chart function needs a key here as it does in the cloud.

Data pasted, opened or dropped redraws the chart with the chosen columns and options; an error
sits next to the control its field names; downloads decode; the key stays in sessionStorage and
the x-functions-key header, never in a URL; the copied curl command draws the same chart;
axe-core finds no serious or critical violation; the page fits a phone and 200% zoom.

Chromium and axe-core come from ``./scripts/browser-setup``. Without them these tests skip on a
developer's machine and fail in CI (``CI`` set). ``SCATTERPLOT_SCREENSHOTS=docs/screenshots``
saves the screenshots of the main states there (the docs show them).
"""

from __future__ import annotations

import ast
import base64
import html
import io
import json
import os
import re
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    FilePayload,
    Page,
    Request,
    ViewportSize,
    sync_playwright,
)

from tests.conftest import decode_png
from tests.hostprocess import REPO, LocalHost, running_host
from tools.browser import AXE_SCRIPT, LAUNCH_FLAGS, find_chromium

KEY = "page-test-key-4f9c1e"
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
# 200% zoom of a 1280 x 900 window: half as many CSS pixels, each drawn twice as large.
ZOOMED: ViewportSize = {"width": 640, "height": 450}
RAIN_CSV = "day,rain,site\n1,3.2,Oslo\n2,0.4,Oslo\n3,7.9,Bergen\n4,1.1,Bergen\n5,5.5,Oslo\n"
SERIOUS = ("serious", "critical")


@pytest.fixture(scope="module")
def chromium_path() -> str:
    """The browser to drive; skipped locally, failed in CI, when it or axe-core is missing."""
    found = find_chromium()
    missing = [
        what
        for what, there in (("chromium", found is not None), ("axe-core", AXE_SCRIPT.is_file()))
        if not there
    ]
    if missing:
        reason = f"{' and '.join(missing)} not installed: run ./scripts/browser-setup"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    assert found is not None
    return found


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalHost]:
    """The app on the local host; the chart function needs ``KEY``."""
    log = tmp_path_factory.mktemp("playground") / "host.log"
    with running_host(REPO, log, {"LOCAL_FUNCTION_KEY": KEY, "LOCAL_MASTER_KEY": ""}) as found:
        yield found


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_path, args=list(LAUNCH_FLAGS)
        )
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: ``$SCATTERPLOT_SCREENSHOTS`` (docs/screenshots), else a temp dir."""
    chosen = os.environ.get("SCATTERPLOT_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass
class Playground:
    """One open page, with every request it made and every console error it printed."""

    page: Page
    base_url: str
    requests: list[Request] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def draws(self) -> int:
        return int(self.page.evaluate("Number(document.body.dataset.draws || 0)"))

    def after_draw(self, action: Callable[[], Any]) -> None:
        """Do ``action`` and wait until the chart it causes has been drawn (or refused)."""
        before = self.draws()
        action()
        self.page.wait_for_function(
            "n => Number(document.body.dataset.draws || 0) > n"
            " && document.body.dataset.busy === 'false'",
            arg=before,
        )

    def status(self) -> str:
        return self.page.text_content("#chart-status") or ""

    def image_size(self) -> tuple[int, int]:
        width, height = self.page.evaluate(
            "() => { const i = document.getElementById('chart');"
            " return [i.naturalWidth, i.naturalHeight]; }"
        )
        return int(width), int(height)

    def pixels(self) -> np.ndarray[Any, Any]:
        """The shown chart's pixels, read back through a canvas."""
        uri = self.page.evaluate(
            """() => {
                const image = document.getElementById('chart');
                const canvas = document.createElement('canvas');
                canvas.width = image.naturalWidth;
                canvas.height = image.naturalHeight;
                canvas.getContext('2d').drawImage(image, 0, 0);
                return canvas.toDataURL('image/png');
            }"""
        )
        return decode_png(base64.b64decode(uri.split(",", 1)[1]))

    def chart_requests(self) -> list[Request]:
        return [r for r in self.requests if "/api/scatterplot" in r.url.lower()]

    def set_key(self, key: str) -> None:
        self.page.fill("#key", key)
        self.page.press("#key", "Enter")

    def paste(self, text: str) -> None:
        self.page.fill("#data-text", text)

    def shoot(self, folder: Path, name: str, *, at: str | None = None) -> Path:
        """A screenshot of the viewport, scrolled to ``at`` (a selector) first if given."""
        if at:
            self.page.locator(at).scroll_into_view_if_needed()
        else:
            self.page.evaluate("() => { document.activeElement.blur(); window.scrollTo(0, 0); }")
        path = folder / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path


@pytest.fixture
def open_page(browser: Browser, host: LocalHost) -> Iterator[Callable[..., Playground]]:
    """Open the playground in a new browser context; checks what every page must not do."""
    opened: list[Playground] = []
    contexts = []

    def opener(viewport: ViewportSize = DESKTOP, scale: float = 1, key: str = KEY) -> Playground:
        context = browser.new_context(
            viewport=viewport,
            device_scale_factor=scale,
            accept_downloads=True,
        )
        contexts.append(context)
        if key:
            # as if typed on an earlier visit in this tab (the key test types it itself)
            context.add_init_script(
                f"sessionStorage.setItem('scatterplot.functionKey', {json.dumps(key)})"
            )
        page = context.new_page()
        playground = Playground(page, host.base_url)
        page.on("request", lambda request: playground.requests.append(request))
        page.on("pageerror", lambda error: playground.problems.append(f"page error: {error}"))

        def on_console(message: ConsoleMessage) -> None:
            # the browser logs every 4xx answer; the tests cause those on purpose
            refused = message.text.startswith("Failed to load resource: the server responded")
            if message.type == "error" and not refused:
                playground.problems.append(f"console: {message.text}")

        page.on("console", on_console)
        page.goto(f"{host.base_url}/api/playground")
        page.wait_for_function(
            "() => Number(document.body.dataset.draws || 0) > 0"
            " && document.body.dataset.busy === 'false'"
        )
        opened.append(playground)
        return playground

    yield opener
    for playground in opened:
        # No request ever carried the key in its URL; no script error, no CSP violation.
        leaked = [r.url for r in playground.requests if KEY in r.url or "code=" in r.url]
        assert not leaked, leaked
        assert not playground.problems, playground.problems
    for context in contexts:
        context.close()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now."""
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' '))}))"
    )
    return [v for v in result if v["impact"] in SERIOUS]


def no_horizontal_scroll(page: Page) -> bool:
    return bool(
        page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
    )


def test_pasted_csv_with_chosen_columns_and_title_redraws_the_chart(
    open_page: Callable[..., Playground],
) -> None:
    playground = open_page()
    page = playground.page
    assert re.fullmatch(r"Drawn in \d+ ms: PNG, 640 × 480 px, [\d.]+ kB\.", playground.status())
    reference = playground.pixels()
    assert reference.shape == (480, 640, 4)

    playground.after_draw(lambda: playground.paste(RAIN_CSV))
    assert page.input_value("#opt-x_column") == "day"
    assert page.input_value("#opt-y_column") == "rain"
    assert "5 rows, 3 columns" in (page.text_content("#data-summary") or "")
    pasted = playground.pixels()
    assert pasted.shape == reference.shape
    assert np.any(pasted != reference)

    playground.after_draw(lambda: page.select_option("#opt-x_column", "rain"))
    playground.after_draw(lambda: page.select_option("#opt-y_column", "day"))
    playground.after_draw(lambda: page.fill("#opt-title", "Rain"))
    playground.after_draw(lambda: page.fill("#opt-width", "500"))
    playground.after_draw(lambda: page.fill("#opt-height", "300"))
    assert playground.image_size() == (500, 300)
    assert re.fullmatch(r"Drawn in \d+ ms: PNG, 500 × 300 px, [\d.]+ kB\.", playground.status())
    titled = playground.pixels()
    assert titled.shape == (300, 500, 4)
    # the title draws dark pixels across the top band, which the untitled chart leaves white
    assert titled[:30, :, :3].min() < 100

    last = playground.chart_requests()[-1]
    assert last.method == "POST"
    assert last.post_data == RAIN_CSV
    assert last.headers["content-type"] == "text/csv"
    assert last.headers["x-functions-key"] == KEY
    query = httpx.URL(last.url).params
    assert dict(query) == {
        "x_column": "rain",
        "y_column": "day",
        "title": "Rain",
        "width": "500",
        "height": "300",
        "format": "png",
        "output": "image",
    }
    assert page.get_attribute("#chart", "alt") == 'Scatter chart of day against rain, titled "Rain"'


def test_an_error_appears_next_to_its_field(
    open_page: Callable[..., Playground], screenshots: Path
) -> None:
    playground = open_page()
    page = playground.page
    playground.after_draw(lambda: page.fill("#opt-width", "3"))
    message = page.text_content("#opt-width-error") or ""
    assert message.startswith("width is '3'"), message  # the service's own message
    assert page.get_attribute("#opt-width", "aria-invalid") == "true"
    assert "opt-width-error" in (page.get_attribute("#opt-width", "aria-describedby") or "")
    field_box = page.locator("#opt-width").bounding_box()
    error_box = page.locator("#opt-width-error").bounding_box()
    assert field_box and error_box
    assert 0 <= error_box["y"] - (field_box["y"] + field_box["height"]) < 80
    assert abs(error_box["x"] - field_box["x"]) < 20
    assert message in (page.text_content("#chart-error") or "")
    assert playground.status().startswith("Not drawn (HTTP 400 InvalidOption)")
    playground.shoot(screenshots, "error", at="[data-option=width]")

    playground.after_draw(lambda: page.fill("#opt-width", "320"))
    assert page.text_content("#opt-width-error") == ""
    assert page.get_attribute("#opt-width", "aria-invalid") is None
    assert playground.image_size() == (320, 480)

    # a bad value in a column: the error sits by the picker that chose that column
    playground.after_draw(lambda: playground.paste("day,rain\n1,2\n2,lots\n"))
    message = page.text_content("#opt-y_column-error") or ""
    assert "rain[1] is 'lots'" in message, message
    assert page.get_attribute("#opt-y_column", "aria-invalid") == "true"

    # text the page itself cannot read as a table: said by the data box, nothing requested
    sent = len(playground.chart_requests())
    playground.paste('day,rain\n1,"2\n')
    page.wait_for_function("() => document.getElementById('data-error').textContent !== ''")
    assert "a quoted value is not closed" in (page.text_content("#data-error") or "")
    assert len(playground.chart_requests()) == sent


def test_downloads_decode(open_page: Callable[..., Playground]) -> None:
    playground = open_page()
    page = playground.page
    playground.after_draw(lambda: playground.paste(RAIN_CSV))
    saved: dict[str, bytes] = {}
    for kind in ("png", "svg", "pdf"):
        with page.expect_download() as info:
            page.click(f"[data-download={kind}]")
        assert info.value.suggested_filename == f"scatter.{kind}"
        saved[kind] = Path(info.value.path()).read_bytes()
        sent = playground.chart_requests()[-1]
        assert httpx.URL(sent.url).params["format"] == kind
        assert sent.headers["x-functions-key"] == KEY
    image = Image.open(io.BytesIO(saved["png"]))
    image.load()
    assert (image.format, image.size) == ("PNG", (640, 480))
    svg = saved["svg"].decode()
    assert "<svg" in svg[:2000] and svg.rstrip().endswith("</svg>")
    assert saved["pdf"].startswith(b"%PDF-") and b"%%EOF" in saved["pdf"][-1024:]


def test_the_key_stays_out_of_urls_and_is_kept_for_the_tab_only(
    open_page: Callable[..., Playground],
) -> None:
    playground = open_page(key="")
    page = playground.page
    # without the key the host refuses, and the page says so by the key field
    assert "needs its key" in (page.text_content("#key-error") or "")
    assert page.get_attribute("#key", "aria-invalid") == "true"

    playground.after_draw(lambda: playground.set_key(KEY))
    assert playground.status().startswith("Drawn in")
    storage = page.evaluate(
        "({session: sessionStorage.getItem('scatterplot.functionKey'),"
        " local: JSON.stringify(localStorage), cookie: document.cookie})"
    )
    assert storage == {"session": KEY, "local": "{}", "cookie": ""}
    playground.after_draw(lambda: playground.paste(RAIN_CSV))
    for kind in ("curl", "python", "img"):
        assert KEY not in (page.text_content(f"#snippet-{kind}") or "")
    assert "$SCATTERPLOT_KEY" in (page.text_content("#snippet-curl") or "")

    # a reload in the same tab keeps it; every chart request carried it as the header only
    page.reload()
    page.wait_for_function(
        "() => Number(document.body.dataset.draws || 0) > 0"
        " && document.body.dataset.busy === 'false'"
    )
    assert page.input_value("#key") == KEY
    assert playground.status().startswith("Drawn in")
    chart_requests = playground.chart_requests()
    assert len(chart_requests) >= 4
    assert all(r.headers.get("x-functions-key") == KEY for r in chart_requests[1:])

    page.click("#forget-key")
    assert page.evaluate("sessionStorage.getItem('scatterplot.functionKey')") is None


def test_copied_requests_draw_the_same_chart(
    open_page: Callable[..., Playground], tmp_path: Path
) -> None:
    playground = open_page()
    page = playground.page
    playground.after_draw(lambda: playground.paste(RAIN_CSV))
    playground.after_draw(lambda: page.fill("#opt-title", "It's wet"))
    curl = page.text_content("#snippet-curl") or ""
    done = subprocess.run(
        ["bash", "-c", curl],
        cwd=tmp_path,
        env={**os.environ, "SCATTERPLOT_KEY": KEY},
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    drawn = decode_png((tmp_path / "scatter.png").read_bytes())
    assert np.array_equal(drawn, playground.pixels())

    python = page.text_content("#snippet-python") or ""
    tree = ast.parse(python)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    draw = next(c for c in calls if isinstance(c.func, ast.Attribute) and c.func.attr == "draw")
    keywords = {k.arg: ast.literal_eval(k.value) for k in draw.keywords}
    assert keywords == {"x": "day", "y": "rain", "title": "It's wet"}
    assert "from client import ScatterPlot" in python
    assert 'chart.save("scatter.png")' in python

    # the <img> URL: the data as x and y numbers, the whole request in the query
    tag = page.text_content("#snippet-img") or ""
    src = html.unescape(re.search(r'src="([^"]+)"', tag).group(1))  # type: ignore[union-attr]
    assert src.startswith(f"{playground.base_url}/api/ScatterPlot?x=1,2,3,4,5&y=3.2,0.4,")
    answer = httpx.get(src, headers={"x-functions-key": KEY}, timeout=30)
    assert answer.headers["content-type"] == "image/png"
    assert np.array_equal(decode_png(answer.content), drawn)

    # a group column cannot travel in a URL: the page says why instead
    if page.locator("#opt-group").count():
        playground.after_draw(lambda: page.select_option("#opt-group", "site"))
        assert "only as x and y numbers" in (page.text_content("#snippet-img") or "")
        assert page.is_disabled("[data-copy=img]")


def test_files_open_and_drop_as_csv_tsv_and_json(open_page: Callable[..., Playground]) -> None:
    playground = open_page()
    page = playground.page
    records: FilePayload = {
        "name": "v.json",
        "mimeType": "application/json",
        "buffer": b'[{"t": 1, "v": 10}, {"t": 2, "v": 30}, {"t": 3, "v": 20}]',
    }
    playground.after_draw(lambda: page.set_input_files("#data-file", files=[records]))
    assert "v.json: 3 rows, 2 columns (t, v), read as JSON" in (
        page.text_content("#data-summary") or ""
    )
    assert playground.chart_requests()[-1].post_data == "t,v\n1,10\n2,30\n3,20\n"

    def drop() -> None:
        transfer = page.evaluate_handle(
            "() => { const t = new DataTransfer();"
            " t.items.add(new File(['a\\tb\\n1\\t2\\n3\\t5\\n'], 'ab.tsv')); return t; }"
        )
        page.dispatch_event("#dropzone", "drop", {"dataTransfer": transfer})

    playground.after_draw(drop)
    assert "ab.tsv: 2 rows, 2 columns (a, b), read as TSV" in (
        page.text_content("#data-summary") or ""
    )
    assert playground.chart_requests()[-1].post_data == "a,b\n1,2\n3,5\n"

    playground.after_draw(lambda: page.click("#use-example"))
    assert page.input_value("#opt-x_column") == "day"
    assert page.input_value("#opt-y_column") == "rain"
    with page.expect_download() as info:
        page.click("#save-data")
    assert info.value.suggested_filename == "example.csv"

    playground.after_draw(lambda: page.click("#use-reference"))
    assert playground.chart_requests()[-1].method == "GET"
    assert page.is_disabled("#opt-x_column")
    assert page.is_enabled("#opt-seed")


def test_table_parsing_in_the_page(open_page: Callable[..., Playground]) -> None:
    """table.js on its own, imported into the page as the app imports it."""
    page = open_page().page
    results = page.evaluate(
        """async () => {
            const m = await import(new URL('playground/table.js', document.baseURI));
            const read = (text, name) => {
                try { const t = m.parseTable(text, name); return [t.kind, t.columns, t.rows]; }
                catch (e) { return ['error', e.message]; }
            };
            return {
                quoted: read('name,v\\n"a, b",1\\n"say ""hi""\\nthere",2\\n'),
                crlf: read('x,y\\r\\n1,2\\r\\n\\r\\n3,4\\r\\n'),
                bom: read('\\ufeffx,y\\n1,2\\n'),
                columns: read('{"x": [1, 2], "y": [3, null], "title": "t"}'),
                ragged: read('x,y\\n1\\n'),
                twice: read('x,x\\n1,2\\n'),
                empty: read('x,y\\n'),
                nested: read('[{"x": [1]}]'),
                csv: m.toCsv({columns: ['a', 'b c'], rows: [['1,5', ' x'], ['q"', '2']]}),
            };
        }"""
    )
    assert results["quoted"] == ["csv", ["name", "v"], [["a, b", "1"], ['say "hi"\nthere', "2"]]]
    assert results["crlf"] == ["csv", ["x", "y"], [["1", "2"], ["3", "4"]]]
    assert results["bom"] == ["csv", ["x", "y"], [["1", "2"]]]
    assert results["columns"] == ["json", ["x", "y"], [["1", "3"], ["2", ""]]]
    assert results["ragged"] == ["error", "row 2 has 1 values; the header names 2 columns"]
    assert results["twice"] == ["error", 'the header names "x" twice']
    assert results["empty"] == ["error", "there is a header but no rows"]
    assert results["nested"] == ["error", "a value is a list or an object"]
    assert results["csv"] == 'a,b c\n"1,5"," x"\n"q""",2\n'


def test_a_newer_request_cancels_the_one_in_flight(open_page: Callable[..., Playground]) -> None:
    playground = open_page()
    outcome = playground.page.evaluate(
        """async (key) => {
            const m = await import(new URL('playground/chart.js', document.baseURI));
            const drawer = new m.Drawer();
            const request = {chartUrl: new URL('ScatterPlot', document.baseURI).href,
                             params: [['n', '50000']], data: null, key};
            const first = drawer.draw(request, 'png').then(() => 'drawn', (e) => e.name);
            const second = drawer.draw(request, 'png').then((r) => r.blob.type, (e) => e.name);
            return [await first, await second];
        }""",
        KEY,
    )
    assert outcome == ["AbortError", "image/png"]


def test_every_control_is_reached_and_used_with_the_keyboard(
    open_page: Callable[..., Playground],
) -> None:
    playground = open_page()
    page = playground.page
    reached: list[str] = []
    page.focus("body")
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "document.activeElement.id || document.activeElement.outerHTML.slice(0, 120)"
        )
        if reached and focused == reached[0]:
            break
        reached.append(focused)
    wanted = page.evaluate(
        "[...document.querySelectorAll('input, select, textarea, button')]"
        ".filter(e => !e.matches(':disabled') && e.offsetParent !== null && e.type !== 'file')"
        ".map(e => e.id).filter(Boolean)"
    )
    assert set(wanted) <= set(reached), set(wanted) - set(reached)
    assert "data-file" in reached

    # type a title with the keys alone: focus it by tabbing, type, move on
    while page.evaluate("document.activeElement.id") != "opt-title":
        page.keyboard.press("Tab")
    playground.after_draw(lambda: page.keyboard.type("Typed"))
    assert httpx.URL(playground.chart_requests()[-1].url).params["title"] == "Typed"
    # and a checkbox with the space bar
    while page.evaluate("document.activeElement.id") != "opt-grid":
        page.keyboard.press("Tab")
    playground.after_draw(lambda: page.keyboard.press("Space"))
    assert httpx.URL(playground.chart_requests()[-1].url).params["grid"] == "true"


def test_no_serious_accessibility_violations(open_page: Callable[..., Playground]) -> None:
    playground = open_page()
    page = playground.page
    assert axe_violations(page) == []
    playground.after_draw(lambda: page.click("#use-example"))
    assert axe_violations(page) == []
    playground.after_draw(lambda: page.fill("#opt-dpi", "1"))
    assert page.text_content("#opt-dpi-error")
    assert axe_violations(page) == []
    phone = open_page(viewport=PHONE)
    assert axe_violations(phone.page) == []


@pytest.mark.parametrize(
    ("name", "viewport", "scale"),
    [("desktop", DESKTOP, 1), ("phone", PHONE, 2), ("zoom-200", ZOOMED, 2)],
)
def test_the_page_fits_a_desktop_a_phone_and_200_percent_zoom(
    open_page: Callable[..., Playground],
    screenshots: Path,
    name: str,
    viewport: ViewportSize,
    scale: float,
) -> None:
    playground = open_page(viewport=viewport, scale=scale)
    page = playground.page
    playground.after_draw(lambda: page.click("#use-example"))
    if page.locator("#opt-group").count():
        playground.after_draw(lambda: page.select_option("#opt-group", "site"))
    playground.after_draw(lambda: page.fill("#opt-title", "Rain by day"))
    assert no_horizontal_scroll(page)
    chart = page.locator("#chart").bounding_box()
    assert chart and chart["x"] >= 0 and chart["x"] + chart["width"] <= viewport["width"]
    data = page.locator(".data-panel").bounding_box()
    options = page.locator(".options-panel").bounding_box()
    assert data and options
    if viewport["width"] < 960:
        # one column: the chart comes right after the data, before the options
        assert data["y"] < chart["y"] < options["y"]
        playground.shoot(screenshots, name, at="#chart-panel" if name == "phone" else None)
    else:
        # two columns: the chart beside the data
        assert chart["x"] > data["x"] + data["width"]
        playground.shoot(screenshots, name)


def test_snippets_quote_what_they_carry(
    open_page: Callable[..., Playground], tmp_path: Path
) -> None:
    """snippets.js on its own: awkward text survives the shell and Python quoting."""
    csv = 'name,v\n"it\'s """""" \\\\ $HOME",1\n'
    made = open_page().page.evaluate(
        """async (csv) => {
            const m = await import(new URL('playground/snippets.js', document.baseURI));
            const request = {
                chartUrl: 'http://127.0.0.1:7071/api/ScatterPlot',
                params: [['x_column', 'v'], ['grid', 'true'], ['dpi', '72.5'],
                         ['title', "a'b\\\\c"], ['odd-name', 'x'], ['format', 'svg']],
                data: {csv, fileName: 'data.csv'},
                hasKey: true,
            };
            const kinds = {grid: 'boolean', dpi: 'number'};
            return {curl: m.curlSnippet(request), python: m.pythonSnippet(request, kinds)};
        }""",
        csv,
    )
    done = subprocess.run(
        ["bash", "-c", 'curl() { printf "%s\\0" "$@" > args; }\n' + made["curl"]],
        cwd=tmp_path,
        env={**os.environ, "SCATTERPLOT_KEY": "k"},
        check=True,
        timeout=30,
    )
    assert done.returncode == 0
    args = (tmp_path / "args").read_text().split("\0")[:-1]
    assert args[args.index("--data-binary") + 1] == csv
    assert args[args.index("-o") + 1] == "scatter.svg"
    assert "x-functions-key: k" in args
    assert "title=a'b%5Cc" in args[args.index("-X") + 2]

    tree = ast.parse(made["python"])
    assigned = next(n for n in ast.walk(tree) if isinstance(n, ast.Assign))
    read_csv = assigned.value
    assert isinstance(read_csv, ast.Call)
    string_io = read_csv.args[0]
    assert isinstance(string_io, ast.Call)
    assert ast.literal_eval(string_io.args[0]) == csv
    draw = next(
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "draw"
    )
    keywords = {k.arg: ast.literal_eval(k.value) for k in draw.keywords}
    assert keywords == {
        "x": "v",
        "grid": True,
        "dpi": 72.5,
        "title": "a'b\\c",
        "format": "svg",
        None: {"odd-name": "x"},
    }
    assert 'os.environ["SCATTERPLOT_KEY"]' in made["python"]
    assert 'chart.save("scatter.svg")' in made["python"]


def test_the_looks_controls_redraw_the_chart(open_page: Callable[..., Playground]) -> None:
    playground = open_page()
    page = playground.page
    legend = page.locator("fieldset.section-looks legend").text_content()
    assert legend == "Looks"
    themes = page.eval_on_selector_all("#opt-theme option", "nodes => nodes.map(n => n.value)")
    assert {"ggplot", "dark_background", "seaborn-v0_8-whitegrid"} <= set(themes)
    layouts = page.eval_on_selector_all("#opt-layout option", "nodes => nodes.map(n => n.value)")
    assert layouts == ["", "auto", "tight", "constrained", "none"]
    for name in ("background", "font_size", "xtick_format", "ytick_format", "scale"):
        assert page.locator(f"#opt-{name}").is_visible(), name
    playground.after_draw(lambda: page.select_option("#opt-theme", "dark_background"))
    playground.after_draw(lambda: page.fill("#opt-scale", "2"))
    assert playground.image_size() == (1280, 960)
    playground.after_draw(lambda: page.fill("#opt-ytick_format", "{x.real}"))
    message = page.text_content("#opt-ytick_format-error") or ""
    assert message.startswith("ytick_format holds '{x.real}'"), message


def test_trend_lines_labels_and_density_controls(open_page: Callable[..., Playground]) -> None:
    playground = open_page()
    page = playground.page
    playground.after_draw(lambda: page.click("#use-example"))
    reference = playground.pixels()
    # the controls come from the API description, in their own section and the columns'
    section = page.locator("fieldset.section-analysis")
    assert "Trend lines and density" in (section.locator("legend").text_content() or "")
    for name in ("trendline", "trendline_label", "kind", "gridsize", "bins", "log_counts"):
        assert section.locator(f"#opt-{name}").count() == 1, name
    assert page.locator("fieldset.section-columns #opt-label_column").count() == 1
    assert page.get_attribute("#opt-trendline_label", "type") == "checkbox"
    assert page.is_checked("#opt-trendline_label")  # the service's default

    playground.after_draw(lambda: page.select_option("#opt-trendline", "quadratic"))
    playground.after_draw(lambda: page.select_option("#opt-label_column", "site"))
    query = httpx.URL(playground.chart_requests()[-1].url).params
    assert (query["trendline"], query["label_column"]) == ("quadratic", "site")
    assert "trendline_label" not in query  # left at its default
    assert playground.status().startswith("Drawn")
    assert np.any(playground.pixels() != reference)

    # a density chart cannot label points: the error sits by the label picker
    playground.after_draw(lambda: page.select_option("#opt-kind", "hexbin"))
    message = page.text_content("#opt-label_column-error") or ""
    assert "kind=hexbin" in message, message
    assert page.get_attribute("#opt-label_column", "aria-invalid") == "true"
    playground.after_draw(lambda: page.select_option("#opt-label_column", ""))
    playground.after_draw(lambda: page.fill("#opt-gridsize", "20"))
    playground.after_draw(lambda: page.check("#opt-log_counts"))
    playground.after_draw(lambda: page.uncheck("#opt-trendline_label"))
    query = httpx.URL(playground.chart_requests()[-1].url).params
    assert query["kind"] == "hexbin" and query["gridsize"] == "20"
    assert query["log_counts"] == "true" and query["trendline_label"] == "false"
    assert playground.status().startswith("Drawn")
    assert axe_violations(page) == []
