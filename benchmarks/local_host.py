"""What the local host adds: start-up time and per-request overhead against calling main().

Run: ``.venv/bin/python -m benchmarks.local_host [--requests 200]``. Prints medians; compare
figures within one run (the machine is shared).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from tests.conftest import make_request
from tests.hostprocess import REPO, running_host

QUERY = "seed=1&n=100&width=160&height=120&output=image"


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    count = parser.parse_args().requests

    from ScatterPlot import main as chart  # in-process baseline

    chart(make_request("/api/ScatterPlot?" + QUERY))  # warm up
    direct: list[float] = []
    served: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        with running_host(REPO, Path(folder) / "host.log") as host:
            url = f"{host.base_url}/api/ScatterPlot?{QUERY}"
            with httpx.Client(timeout=60) as http:
                assert http.get(url).status_code == 200
                ready = time.perf_counter() - started
                for _ in range(count):  # interleaved, so both see the same machine load
                    started = time.perf_counter()
                    chart(make_request("/api/ScatterPlot?" + QUERY))
                    direct.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    http.get(url).raise_for_status()
                    served.append(time.perf_counter() - started)
                started = time.perf_counter()
                with ThreadPoolExecutor(max_workers=4) as pool:
                    list(pool.map(lambda _: http.get(url).raise_for_status(), range(count)))
                parallel = time.perf_counter() - started

    print(f"chart: {QUERY}, {count} requests")
    print(f"process start to first chart:      {ready * 1000:8.0f} ms")
    print(f"main() called in-process, median:  {_median_ms(direct):8.2f} ms")
    print(f"over HTTP (keep-alive), median:    {_median_ms(served):8.2f} ms")
    print(f"host overhead per request:         {_median_ms(served) - _median_ms(direct):8.2f} ms")
    print(f"4 concurrent clients:              {count / parallel:8.1f} charts/s")
    print(f"1 client, sequential:              {count / sum(served):8.1f} charts/s")


if __name__ == "__main__":
    main()
