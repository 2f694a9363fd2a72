"""What the Python client costs on top of the service: turning data into the request body, and
a whole ``draw`` against a bare httpx request for the same chart from the local host.

Run: ``.venv/bin/python -m benchmarks.client [--rows 10000 100000] [--requests 50]``. Prints,
for each data kind and row count, the median time to build the body and its size (with
pandas' ``to_json(orient="split")`` of the same frame beside it, the other shape the service
reads), then the median milliseconds per chart from ``ScatterPlot.draw`` and from
``httpx.Client.get`` on one kept connection, and their ratio. Compare figures within one run
(the machine is shared).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

import httpx
import numpy as np
import pandas as pd

from client import ScatterPlot
from client.tables import prepare
from tests.hostprocess import REPO, running_host

__all__ = ["data_kinds", "encode_times", "main"]


def _median_ms(run: Callable[[], object], repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def data_kinds(rows: int) -> dict[str, object]:
    """The same points as each kind of data ``draw`` takes."""
    rng = np.random.default_rng(1)
    x, y = np.arange(rows), rng.normal(size=rows)
    days = pd.date_range("2024-01-01", periods=rows, freq="min")
    sites = pd.Categorical(rng.choice(["harbour", "hill", "town"], rows))
    return {
        "DataFrame (numbers)": pd.DataFrame({"x": x, "y": y}),
        "DataFrame (dates, category)": pd.DataFrame({"x": days, "y": y, "site": sites}),
        "dict of lists": {"x": x.tolist(), "y": y.tolist()},
        "dict of arrays": {"x": x, "y": y},
        "2-D array": np.column_stack([x, y]),
    }


def encode_times(rows: int, repeats: int, out: list[str]) -> None:
    """Body-building time and size per data kind."""
    for name, data in data_kinds(rows).items():
        body, _ = prepare(data)
        assert body is not None
        ms = _median_ms(partial(prepare, data), repeats)
        out.append(f"{rows:>9,} rows  {name:30} {ms:9.1f} ms  {len(body.content) / 1e6:7.2f} MB")
        if isinstance(data, pd.DataFrame) and "site" in data:
            text = data.to_json(orient="split", date_format="iso")
            split = partial(data.to_json, orient="split", date_format="iso")
            ms = _median_ms(split, repeats)
            label = "  (to_json split, same frame)"
            out.append(f"{rows:>9,} rows  {label:30} {ms:9.1f} ms  {len(text) / 1e6:7.2f} MB")


def draw_overhead(requests: int, out: list[str]) -> None:
    """Milliseconds per chart: the client's draw against a bare GET, same host and chart."""
    with (
        tempfile.TemporaryDirectory() as folder,
        running_host(REPO, Path(folder) / "h.log") as host,
    ):
        url = host.base_url + "/api/ScatterPlot"
        params = {"seed": "1", "output": "image"}
        with ScatterPlot(url, environ={}) as plot, httpx.Client(timeout=60) as bare:
            plot.draw(seed=1)
            bare.get(url, params=params).raise_for_status()
            client_ms = _median_ms(lambda: plot.draw(seed=1), requests)
            bare_ms = _median_ms(lambda: bare.get(url, params=params).content, requests)
    out.append(f"ScatterPlot.draw        {client_ms:7.2f} ms per chart (median of {requests})")
    out.append(f"httpx.Client.get        {bare_ms:7.2f} ms per chart")
    out.append(f"draw / bare GET         {client_ms / bare_ms:7.2f}x")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.client", description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000, 100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--requests", type=int, default=50, help="0 skips the host")
    args = parser.parse_args(argv)
    out: list[str] = []
    for rows in args.rows:
        encode_times(rows, args.repeats, out)
        print("\n".join(out), flush=True)
        out.clear()
    if args.requests:
        draw_overhead(args.requests, out)
        print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
