"""Every image format of the reference chart: the fast path against the plain path, in one run.

Run from the repository root:  .venv/bin/python -m benchmarks.formats  [--rounds N] [--points N]

For each format the two paths are timed alternately (fast, plain, fast, plain, ...) on fresh
random reference data each time (1000 points, 640 x 480, as the reference request), so both
see the same machine load; it prints the median wall time of ``shared.chart.render`` with
``fast_path`` on and off and their ratio, the same in CPU time of the rendering thread (less
disturbed by other jobs on a shared machine), and the fast path's image size (the plain
path's is the same but for PNG, whose fast writer compresses less). The answer stage around
it (base64, JSON) is the same for both paths and is left out.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from shared.chart import render  # noqa: E402
from shared.request.tables import reference_data  # noqa: E402
from shared.spec import ChartSpec  # noqa: E402

__all__ = ["FORMATS", "Row", "measure", "run"]

FORMATS: dict[str, dict[str, object]] = {
    "png": {"format": "png"},
    "jpeg (quality 75)": {"format": "jpeg"},
    "webp lossless": {"format": "webp"},
    "webp lossy (quality 80)": {"format": "webp", "quality": 80},
    "svg": {"format": "svg"},
    "pdf": {"format": "pdf"},
}


@dataclass(frozen=True)
class Row:
    """One format's figures, in milliseconds and bytes."""

    label: str
    fast_ms: float
    plain_ms: float
    fast_cpu_ms: float
    plain_cpu_ms: float
    fast_bytes: int
    plain_bytes: int

    @property
    def ratio(self) -> float:
        """How many times faster the fast path is (wall time)."""
        return self.plain_ms / self.fast_ms

    @property
    def cpu_ratio(self) -> float:
        """The same in CPU time, which other jobs on the machine disturb less."""
        return self.plain_cpu_ms / self.fast_cpu_ms


def _timed(call: Callable[[], bytes]) -> tuple[float, float, int]:
    started, started_cpu = time.perf_counter(), time.thread_time()
    size = len(call())
    return (time.perf_counter() - started) * 1000, (time.thread_time() - started_cpu) * 1000, size


def measure(label: str, style: dict[str, object], *, rounds: int, points: int) -> Row:
    """Median times of ``render`` with the fast path on and off, interleaved."""

    def spec() -> ChartSpec:
        x, y = reference_data(points, None)  # fresh random data, as the reference request
        return ChartSpec(x=x, y=y, **style)  # type: ignore[arg-type]

    fast: list[tuple[float, float, int]] = []
    plain: list[tuple[float, float, int]] = []
    render(spec(), fast_path=True)  # warm-up: the prepared figure, text caches
    render(spec(), fast_path=False)
    for _ in range(rounds):
        chart = spec()
        fast.append(_timed(partial(render, chart, fast_path=True)))
        plain.append(_timed(partial(render, chart, fast_path=False)))
    return Row(
        label,
        fast_ms=statistics.median(t for t, _, _ in fast),
        plain_ms=statistics.median(t for t, _, _ in plain),
        fast_cpu_ms=statistics.median(c for _, c, _ in fast),
        plain_cpu_ms=statistics.median(c for _, c, _ in plain),
        fast_bytes=fast[-1][2],
        plain_bytes=plain[-1][2],
    )


def run(*, rounds: int, points: int, echo: bool = True) -> list[Row]:
    """Measure every format; print a table when ``echo``."""
    rows = []
    if echo:
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
              f"{os.getloadavg()[0]:.2f}; {points} points, 640x480, {rounds} rounds")  # fmt: skip
        print(f"{'format':<26}{'fast ms':>9}{'plain ms':>10}{'plain/fast':>12}"
              f"{'fast cpu':>10}{'plain cpu':>11}{'cpu ratio':>11}{'bytes':>9}")  # fmt: skip
    for label, style in FORMATS.items():
        row = measure(label, style, rounds=rounds, points=points)
        rows.append(row)
        if echo:
            print(f"{label:<26}{row.fast_ms:>9.1f}{row.plain_ms:>10.1f}{row.ratio:>11.1f}x"
                  f"{row.fast_cpu_ms:>10.1f}{row.plain_cpu_ms:>11.1f}{row.cpu_ratio:>10.1f}x"
                  f"{row.fast_bytes:>9}", flush=True)  # fmt: skip
    return rows


def cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100, help="timed pairs per format")
    parser.add_argument("--points", type=int, default=1000, help="points per chart")
    args = parser.parse_args(argv)
    run(rounds=args.rounds, points=args.points)
    return 0


if __name__ == "__main__":
    raise SystemExit(cli())
