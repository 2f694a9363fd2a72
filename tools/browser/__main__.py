"""Load a page in headless Chromium that uses the chart function as browsers do, and check it.

The local host runs with CORS for the page's origin; the page, served from another port (so
another origin), shows the chart through an ``<img>`` tag (the browser's ``Accept`` header
picks the raw PNG) and fetches the Azure ML table cross-origin, drawing its ``data:`` URI. The
page writes what it saw into the DOM; Chromium's ``--dump-dom`` hands it back. Exit status 0
when every check holds, 1 otherwise. Only loopback addresses are used.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.hostprocess import REPO, running_host
from tools.browser import LAUNCH_FLAGS, find_chromium

PAGE = Path(__file__).resolve().parent / "page.html"
CHROMIUM_FLAGS = ("--headless", *LAUNCH_FLAGS, "--virtual-time-budget=15000")
EXPECTED = {
    "tag": [320, 240],
    "fetch_status": 200,
    "table": [300, 200],
    "uri_prefix": "data:image/png;base64,",
}


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves the page folder without a log line per request."""

    def log_message(self, format: str, *args: object) -> None:
        return


def chromium() -> str:
    """The Chromium binary (Debian's ``chromium`` package)."""
    found = find_chromium()
    if found is None:
        raise SystemExit("Error: no chromium on PATH (apt-get install chromium)")
    return found


def dump_dom(browser: str, url: str) -> str:
    """The page's DOM after its scripts ran."""
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    return done.stdout


def main() -> int:
    """Run the check; print what the page saw."""
    browser = chromium()
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder)
        page_server = ThreadingHTTPServer(
            ("127.0.0.1", 0), partial(_QuietHandler, directory=str(site))
        )
        page_origin = f"http://127.0.0.1:{page_server.server_address[1]}"
        threading.Thread(target=page_server.serve_forever, daemon=True).start()
        try:
            with running_host(REPO, site / "host.log", args=["--cors", page_origin]) as host:
                chart_url = f"{host.base_url}/api/ScatterPlot"
                html = PAGE.read_text(encoding="utf-8").replace("CHART_URL", chart_url)
                (site / "index.html").write_text(html, encoding="utf-8")
                dom = dump_dom(browser, f"{page_origin}/index.html")
        finally:
            page_server.shutdown()
    match = re.search(r'<pre id="result">(.*?)</pre>', dom, flags=re.S)
    seen = json.loads(match.group(1)) if match and match.group(1).startswith("{") else {}
    print(f"the page saw: {json.dumps(seen)}")
    problems = [
        f"{key}: expected {value!r}, got {seen.get(key)!r}"
        for key, value in EXPECTED.items()
        if seen.get(key) != value
    ]
    if not seen.get("etag"):
        problems.append("etag: the ETag header was not exposed to the page (CORS)")
    for problem in problems:
        print(f"FAILED {problem}", file=sys.stderr)
    print("browser check: " + ("passed" if not problems else "failed"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
