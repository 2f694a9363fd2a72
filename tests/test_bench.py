"""A smoke test of the benchmark script on tiny sizes (the benchmark itself is not run in CI)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import shared.chart
from benchmarks import bench, formats, render_queue
from shared.chart.queue import RENDER_QUEUE
from tests.conftest import decode_png


def test_statistics_helpers() -> None:
    samples = [float(i) for i in range(1, 101)]
    assert bench.percentile(samples, 50) in (50.0, 51.0)
    assert bench.percentile(samples, 99) == 99.0
    out: list[str] = []
    assert bench.compare("x", [10.0, 10.0], [2.0, 2.0], out) == 5.0
    assert "5.0x" in out[-1]


def test_request_section_runs_both_sides() -> None:
    out: list[str] = []
    bench.section_requests(1, out)
    assert sum("recipe/ours" in line for line in out) == 2


def test_latency_chart_is_drawn_by_the_project(tmp_path: Path) -> None:
    path = tmp_path / "latency.png"
    bench.latency_chart([(1000, 40.0, 8.0), (10_000, 90.0, 15.0)], path)
    pixels = decode_png(path.read_bytes())
    assert pixels.shape == (480, 640, 4)
    blue = (pixels[..., 0] == 31) & (pixels[..., 1] == 119) & (pixels[..., 2] == 180)
    orange = (pixels[..., 0] == 255) & (pixels[..., 1] == 127) & (pixels[..., 2] == 14)
    assert np.count_nonzero(blue) > 20 and np.count_nonzero(orange) > 20


def test_formats_benchmark_times_both_paths_for_every_format() -> None:
    rows = formats.run(rounds=1, points=50, echo=False)
    assert [row.label.split()[0] for row in rows] == ["png", "jpeg", "webp", "webp", "svg", "pdf"]
    for row in rows:
        assert row.fast_ms > 0 and row.plain_ms > 0 and row.fast_bytes > 0
        assert row.ratio == row.plain_ms / row.fast_ms
    assert all(row.fast_bytes == row.plain_bytes for row in rows[1:])  # only PNG's writer differs


def test_data_section_compares_each_chart_with_plain_matplotlib() -> None:
    out: list[str] = []
    medians = bench.section_data(1, out)
    assert list(medians) == [label for label, _, _ in bench.DATA_ROWS]
    assert sum("plain/ours" in line for line in out) == len(bench.DATA_ROWS)
    assert "3 groups" in out[-1]


def test_looks_section_compares_each_row_with_plain_matplotlib() -> None:
    out: list[str] = []
    bench.section_looks(1, out)
    assert sum("plain/ours" in line for line in out) == len(bench.LOOKS_ROWS)


def test_analysis_section_compares_with_plain_matplotlib_and_the_scatter() -> None:
    out: list[str] = []
    medians = bench.section_analysis(1, out, big=20_000)
    assert sum("plain/ours" in line for line in out) == 3
    assert any("scatter/ours" in line for line in out)
    assert "hexbin (kind=hexbin), 20,000 points" in medians


def test_render_queue_benchmark_runs_both_ways_and_restores_the_queue() -> None:
    rounds = render_queue.run(threads=2, seconds=0.3, rounds=1, echo=False)
    assert [one.queue for one in rounds] == ["fifo", "none"]
    for one in rounds:
        assert one.rate > 0 and 0 < one.p50_ms <= one.p99_ms <= one.max_ms
    assert shared.chart.RENDER_QUEUE is RENDER_QUEUE  # type: ignore[attr-defined]
