"""Rendering from many threads at once gives exactly the pixels of rendering alone."""

from __future__ import annotations

import io
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from PIL import Image

from shared import ChartSpec, Settings, parse_request, render

THREADS = 16


def specs() -> list[ChartSpec]:
    """A mix of sizes, formats, scales, markers, colours and math text."""
    queries: list[dict[str, str]] = [
        {"seed": "1", "n": "500"},
        {"seed": "2", "n": "2000", "width": "320", "height": "240", "dpi": "50"},
        {"seed": "3", "n": "300", "format": "jpeg", "color": "tab:red", "marker": "^"},
        {"seed": "4", "n": "800", "transparent": "true", "alpha": "0.3", "size": "200"},
        {"x": "1,10,100,1000", "y": "2,20,200,2000", "xscale": "log", "yscale": "log"},
        {"seed": "5", "n": "100", "title": r"$\frac{a}{b}\sqrt{x^2}$", "grid": "true"},
        {"seed": "6", "n": "100", "xlabel": r"$\alpha_i$ (m)", "ylabel": "ünïcödé"},
        {"seed": "7", "n": "1000", "xmin": "100", "xmax": "200", "ymin": "-50", "ymax": "300"},
        {"seed": "8", "n": "50", "width": "1000", "height": "200", "dpi": "150", "marker": "s"},
        {"seed": "9", "n": "400", "color": "#123456aa", "marker": "x", "size": "80"},
        {"seed": "10", "n": "10", "width": "16", "height": "16", "dpi": "10"},
        {"seed": "11", "n": "600", "format": "jpeg", "width": "480", "height": "480"},
    ]
    return [
        parse_request(params=q, headers={}, body=b"", settings=Settings()).spec for q in queries
    ]


def pixels(image: bytes) -> np.ndarray[Any, Any]:
    return np.asarray(Image.open(io.BytesIO(image)).convert("RGBA"))


def test_sixteen_threads_draw_the_same_pixels_as_one() -> None:
    charts = specs()
    alone = [pixels(render(spec)) for spec in charts]
    jobs = [index % len(charts) for index in range(THREADS * 2)]
    start = threading.Barrier(THREADS)

    def draw(index: int) -> tuple[int, bytes]:
        if index < THREADS:
            start.wait(timeout=60)  # the first wave starts together
        return index, render(charts[jobs[index]])

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(draw, range(len(jobs))))
    assert len(results) == len(jobs)
    for index, image in results:
        expected = alone[jobs[index]]
        got = pixels(image)
        assert got.shape == expected.shape, index
        assert np.array_equal(got, expected), f"job {index} differs in {np.sum(got != expected)}"
