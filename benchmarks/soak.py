"""Soak a running ScatterPlot host over loopback: a bounded mix of good and bad requests.

Prints the host's RSS (``--pid`` and its child processes, from /proc) every ``--every``
requests, then the counts by status and the slowest answers. With ``--styles N`` it then
sends N charts of as many distinct small styles (each a new prepared figure for the host to
pool) and measures the RSS again: the memory-ceiling run. Exits 1 on any 5xx, any request
that got no answer, or RSS growth beyond ``--max-growth-mb`` after the warm-up interval (of
either run); 2 on bad arguments.

    python -m benchmarks.soak --url http://127.0.0.1:7071 --pid "$(pgrep -n -f devhost)"

Only loopback hosts are accepted: this is a load generator, never point it elsewhere.
"""

from __future__ import annotations

import argparse
import base64
import ipaddress
import json
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

__all__ = ["Probe", "main", "probes", "rss_bytes", "style_probes"]

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "hostile.json"
_MAX_CORPUS_BODY = 256 * 1024  # skip the corpus's multi-megabyte bodies: this is a soak
_TIMEOUT = 30.0


@dataclass(frozen=True)
class Probe:
    """One request to send: path and query, method, headers, body."""

    name: str
    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""


def _good() -> list[Probe]:
    chart = "/api/ScatterPlot?"
    xy = json.dumps({"x": list(range(200)), "y": [i % 17 for i in range(200)]}).encode()
    table = json.dumps(
        {
            "Inputs": {
                "input1": {
                    "ColumnNames": ["x", "y"],
                    "Values": [[str(i), str(-i)] for i in range(50)],
                }
            },
            "GlobalParameters": {"width": "320", "height": "240"},
        }
    ).encode()
    csv = ("x,y\n" + "".join(f"{i},{i * i}\n" for i in range(100))).encode()
    js = {"Content-Type": "application/json"}
    cjk = "".join(chr(0x4E00 + i) for i in range(190))  # drawn from the fallback font
    return [
        Probe("reference chart", "GET", chart, {}),
        Probe("seeded table", "GET", chart + "seed=7", {}),
        Probe("seeded png", "GET", chart + "seed=8&output=image", {}),
        Probe(
            "svg record",
            "GET",
            chart + urlencode({"n": "300", "format": "svg", "output": "record"}),
            {},
        ),
        Probe("math title", "GET", chart + urlencode({"seed": "3", "title": r"$\sqrt{x}$"}), {}),
        Probe("conditional", "GET", chart + "seed=7", {"If-None-Match": "*"}),
        Probe("json data", "POST", chart + "output=record", js, xy),
        Probe("azure ml table", "POST", chart + "api-version=2.0", js, table),
        Probe("csv", "POST", chart + "output=image&format=jpeg", {"Content-Type": "text/csv"}, csv),
        Probe(
            "pdf, glyphs the fonts lack",
            "GET",
            chart + urlencode({"seed": "2", "format": "pdf", "output": "image", "title": cjk}),
            {},
        ),
        Probe("health", "GET", "/api/health", {}),
        Probe("description", "GET", "/api/openapi.json", {}),
    ]


def _bad() -> list[Probe]:
    probes: list[Probe] = []
    for entry in json.loads(CORPUS.read_text())["requests"]:
        if "body_repeat" in entry:
            repeat = entry["body_repeat"]
            size = len(repeat["prefix"]) + len(repeat["unit"]) * repeat["times"]
            if size > _MAX_CORPUS_BODY:
                continue
            body = (repeat["prefix"] + repeat["unit"] * repeat["times"] + repeat["suffix"]).encode()
        elif "body_base64" in entry:
            body = base64.b64decode(entry["body_base64"])
        else:
            body = str(entry.get("body", "")).encode()
        query = urlencode(entry["query"])
        if len(query) > 2000:  # the real host refuses URLs over 4 KB before the app sees them
            continue
        path = "/api/ScatterPlot" + ("?" + query if query else "")
        probes.append(Probe(entry["name"], entry["method"], path, entry["headers"], body))
    return probes


def style_probes(count: int, start: int = 0) -> Iterator[Probe]:
    """``count`` small charts, each of a style of its own (its title differs), drawn with the
    recipe's layout (``layout=none``): adapted to fit, text on a 16 x 16 canvas would send every
    one to the plain path, and the pool of prepared figures this run weighs would stay empty."""
    for index in range(start, start + count):
        query = {"x": "1,2", "y": "3,4", "width": "16", "height": "16", "title": f"s{index}"}
        query["layout"] = "none"
        yield Probe("distinct style", "GET", "/api/ScatterPlot?" + urlencode(query), {})


def probes(count: int) -> Iterator[Probe]:
    """``count`` requests: the good ones and the hostile corpus, interleaved, round-robin."""
    good, bad = _good(), _bad()
    for index in range(count):
        yield good[index // 2 % len(good)] if index % 2 == 0 else bad[index // 2 % len(bad)]


def rss_bytes(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, from /proc."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                pending.extend(int(child) for child in task.read_text().split())
            except OSError:
                continue
    return total


def _loopback_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(f"{value!r} is not an http(s) URL")
    host = parts.hostname
    if host != "localhost":
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise argparse.ArgumentTypeError(
                f"{host!r} is not a loopback address; use 127.0.0.1, ::1 or localhost"
            )
    return value.rstrip("/")


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.soak", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument("--url", type=_loopback_url, default="http://127.0.0.1:7071")
    parser.add_argument("--requests", type=_positive, default=20_000)
    parser.add_argument("--concurrency", type=_positive, default=4)
    parser.add_argument("--pid", type=_positive, help="host process whose RSS to sample")
    parser.add_argument("--every", type=_positive, default=1_000, help="requests between samples")
    parser.add_argument("--max-growth-mb", type=float, default=50.0)
    parser.add_argument(
        "--styles",
        type=int,
        default=0,
        help="then send this many charts of distinct small styles and check RSS again",
    )
    parser.add_argument("--key", help="function key, sent as x-functions-key")
    return parser


class _Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: Counter[str] = Counter()
        self.slowest: list[tuple[float, str]] = []
        self.done = 0

    def add(self, status: str, seconds: float, name: str) -> int:
        with self.lock:
            self.statuses[status] += 1
            self.slowest = sorted([*self.slowest, (seconds, name)], reverse=True)[:5]
            self.done += 1
            return self.done


def _send(opener: urllib.request.OpenerDirector, base: str, probe: Probe, key: str | None) -> str:
    headers = dict(probe.headers)
    if key:
        headers["x-functions-key"] = key
    data = probe.body if probe.method == "POST" else None
    request = urllib.request.Request(
        base + probe.path, data=data, headers=headers, method=probe.method
    )
    try:
        with opener.open(request, timeout=_TIMEOUT) as response:
            response.read()
            return str(response.status)
    except urllib.error.HTTPError as error:
        error.read()
        return str(error.code)
    except (urllib.error.URLError, OSError) as error:
        return f"no answer ({type(error).__name__})"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
    tally = _Tally()
    samples: list[tuple[int, int]] = []
    if args.pid:
        samples.append((0, rss_bytes(args.pid)))
        print(f"{0:>8} requests  rss {samples[-1][1] / 2**20:8.1f} MB", flush=True)
    started = time.perf_counter()

    def run(probe: Probe) -> None:
        begin = time.perf_counter()
        status = _send(opener, args.url, probe, args.key)
        done = tally.add(status, time.perf_counter() - begin, probe.name)
        if done % args.every == 0:
            line = f"{done:>8} requests"
            if args.pid:
                samples.append((done, rss_bytes(args.pid)))
                line += f"  rss {samples[-1][1] / 2**20:8.1f} MB"
            print(f"{line}  {done / (time.perf_counter() - started):6.1f} req/s", flush=True)

    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        for _ in pool.map(run, probes(args.requests)):
            pass
    growth = 0.0
    if len(samples) >= 3:  # from the first interval (warm-up done) to the end
        growth = (samples[-1][1] - samples[1][1]) / 2**20
        print(f"rss growth after warm-up: {growth:.1f} MB (limit {args.max_growth_mb} MB)")
    styles_growth = _styles_run(args, opener, tally) if args.styles else 0.0
    print("status counts: " + ", ".join(f"{k}: {v}" for k, v in sorted(tally.statuses.items())))
    print("slowest: " + ", ".join(f"{s * 1000:.0f} ms {n}" for s, n in tally.slowest))
    failures = [
        status for status in tally.statuses if status.startswith("5") or not status.isdigit()
    ]
    if failures:
        print(f"FAIL: answers {', '.join(sorted(failures))}", file=sys.stderr)
    worst = max(growth, styles_growth)
    if worst > args.max_growth_mb:
        print(f"FAIL: rss grew {worst:.1f} MB", file=sys.stderr)
    return 1 if failures or worst > args.max_growth_mb else 0


def _styles_run(
    args: argparse.Namespace, opener: urllib.request.OpenerDirector, tally: _Tally
) -> float:
    """The memory-ceiling run: distinct small styles; the RSS growth after its warm-up, in MB."""
    warm_up = max(1, min(100, args.styles // 10))

    def send(probe: Probe) -> None:
        begin = time.perf_counter()
        tally.add(_send(opener, args.url, probe, args.key), time.perf_counter() - begin, probe.name)

    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        for _ in pool.map(send, style_probes(warm_up)):
            pass
        before = rss_bytes(args.pid) if args.pid else 0
        for _ in pool.map(send, style_probes(args.styles, start=warm_up)):
            pass
    if not args.pid:
        print(f"{args.styles} distinct styles sent (no --pid: RSS not measured)")
        return 0.0
    growth = (rss_bytes(args.pid) - before) / 2**20
    print(
        f"{args.styles} distinct styles: rss {before / 2**20:.1f} MB -> "
        f"{rss_bytes(args.pid) / 2**20:.1f} MB, growth {growth:.1f} MB "
        f"(limit {args.max_growth_mb} MB)",
        flush=True,
    )
    return growth


if __name__ == "__main__":
    sys.exit(main())
