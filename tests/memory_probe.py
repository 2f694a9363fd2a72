"""Run a stream of requests through ``ScatterPlot.main`` and report the process's memory.

Run alone, in its own process, so nothing else the tests do moves the figures:
``python -m tests.memory_probe styles 2000`` prints one JSON line
``{"requests": ..., "statuses": {...}, "rss_warm": bytes, "rss_end": bytes}``, RSS (from
/proc/self/status) after a warm-up of ``WARM_UP[kind]`` requests of the same kind and at the
end.

Kinds:
``styles``      small charts (16 x 16) whose titles all differ: a new chart style each time
``pdf-glyphs``  PDFs whose 190-character title the fonts lack (Yi, drawn from LastResort)
``math``        PNG charts with a different math title each time
"""

from __future__ import annotations

import gc
import json
import sys
from collections import Counter
from collections.abc import Iterator
from urllib.parse import urlencode

import azure.functions as func

from ScatterPlot import main

__all__ = ["WARM_UP", "rss_bytes"]

WARM_UP = {"styles": 50, "pdf-glyphs": 5, "math": 20}
_LACKED = "".join(chr(0xA000 + index) for index in range(190))
"""Yi syllables: no font of the service has them (CJK is drawn from the shipped fonts)."""


def rss_bytes() -> int:
    """This process's resident memory."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def _queries(kind: str, count: int) -> Iterator[dict[str, str]]:
    for index in range(count):
        if kind == "styles":
            # layout=none: the recipe's layout, drawn by the fast path (layout=auto adapts
            # a 16 x 16 chart's text on the plain path, which keeps no figure)
            yield {"x": "1,2", "y": "3,4", "width": "16", "height": "16", "title": f"t{index}",
                   "layout": "none"}  # fmt: skip
        elif kind == "pdf-glyphs":
            yield {"x": "1,2", "y": "3,4", "format": "pdf", "output": "image", "title": _LACKED}
        elif kind == "math":
            yield {"x": "1,2", "y": "3,4", "title": f"$\\alpha_{{{index}}}^{{\\beta}}$"}
        else:
            raise SystemExit(f"unknown kind {kind!r}")


def _send(query: dict[str, str]) -> int:
    request = func.HttpRequest(
        method="GET",
        url="http://localhost/api/ScatterPlot?" + urlencode(query),
        headers={},
        params=query,
        body=b"",
    )
    return int(main(request).status_code)


def main_(argv: list[str]) -> int:
    kind, count = argv[0], int(argv[1])
    statuses: Counter[int] = Counter()
    for query in _queries(kind, WARM_UP[kind]):
        statuses[_send(query)] += 1
    gc.collect()
    warm = rss_bytes()
    for query in _queries(kind, count):
        statuses[_send(query)] += 1
    gc.collect()
    report = {"requests": count, "statuses": statuses, "rss_warm": warm, "rss_end": rss_bytes()}
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main_(sys.argv[1:]))
