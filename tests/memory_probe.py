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

``python -m tests.memory_probe bodies 1`` instead sends the costliest bodies the default limits
accept, once each after a warm-up, and prints one JSON line per body:
``{"body": name, "status": ..., "bytes": body size, "peak": peak traced allocation}``.
"""

from __future__ import annotations

import gc
import json
import sys
import tracemalloc
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


def costliest_bodies(rows: int = 1_000_000) -> dict[str, tuple[dict[str, str], str, bytes]]:
    """The costliest bodies the default limits accept (each at the most values per point the
    limits let through): name -> (query, content type, body)."""
    image = {"output": "image"}
    fields = "".join(f"{i % 97:02d},{i % 89:02d},ab,cd,ef\n" for i in range(rows))
    quoted = "".join(f'"{i % 97:02d}","{i % 89:02d}","ab","cd","ef"\n' for i in range(rows))
    strings = [[str(i), str(rows - i), "a", "b"] for i in range(rows)]
    numbers = list(range(rows))
    groups = [f"group {i % 20}" for i in range(rows)]
    labels = [f"point {i}" if i < 500 else None for i in range(rows)]
    days = [f"2024-01-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00+01:00" for i in range(1440)]
    return {
        "CSV, a million rows of five two-character fields": (
            {"x_column": "a", "y_column": "b", **image},
            "text/csv",
            ("a,b,c,d,e\n" + fields).encode(),
        ),
        "CSV with quotes, a million rows of five quoted two-character fields": (
            {"x_column": "a", "y_column": "b", **image},
            "text/csv",
            ('"a","b","c","d","e"\n' + quoted).encode(),
        ),
        "Azure ML table, a million rows of four string columns": (
            image,
            "application/json",
            json.dumps(
                {"Inputs": {"input1": {"ColumnNames": ["x", "y", "a", "b"], "Values": strings}}}
            ).encode(),
        ),
        "JSON, a million points of four values": (
            {"group": "g", "label_column": "label", **image},
            "application/json",
            json.dumps({"x": numbers, "y": numbers, "g": groups, "label": labels}).encode(),
        ),
        "CSV, a million dates with a zone": (
            image,
            "text/csv",
            ("x,y\n" + "".join(f"{days[i % 1440]},{i}\n" for i in range(rows))).encode(),
        ),
    }


def _post(query: dict[str, str], content_type: str, body: bytes) -> int:
    request = func.HttpRequest(
        method="POST",
        url="http://localhost/api/ScatterPlot?" + urlencode(query),
        headers={"Content-Type": content_type},
        params=query,
        body=body,
    )
    return int(main(request).status_code)


def bodies() -> int:
    """Each costliest body's peak traced allocation through ``ScatterPlot.main``."""
    cases = costliest_bodies()
    small = costliest_bodies(5_000)  # warm-up: imports (pandas for big CSVs), fonts, figures
    for query, content_type, body in small.values():
        _post(query, content_type, body)
    for name, (query, content_type, body) in cases.items():
        gc.collect()
        tracemalloc.start()
        try:
            status = _post(query, content_type, body)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        report = {"body": name, "status": status, "bytes": len(body), "peak": peak}
        print(json.dumps(report), flush=True)
    return 0


def main_(argv: list[str]) -> int:
    if argv[0] == "bodies":
        return bodies()
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
