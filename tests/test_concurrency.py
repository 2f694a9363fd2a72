"""Rendering from many threads at once gives exactly the pixels of rendering alone."""

from __future__ import annotations

import io
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import matplotlib
import numpy as np
from PIL import Image

from shared import ChartSpec, Settings, get_settings, parse_request, render
from shared.chart.fast.svgout import SVG_HASH_SALT
from shared.request.text import check_text

THREADS = 16


def draw(spec: ChartSpec) -> bytes:
    """``render`` with the app's fast-path setting: ``./scripts/check`` runs these tests with
    ``SCATTERPLOT_FAST_PATH`` on and again off."""
    return render(spec, fast_path=get_settings().fast_path)


def queries() -> list[dict[str, str]]:
    """A mix of sizes, formats, scales, markers, colours and math text."""
    return [
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
        {"x": "1,5,50", "y": "3,30,3000", "yscale": "log", "title": r"$\sqrt{x}$"},
        {"seed": "12", "n": "20", "title": r"$\sum_{i=0}^{n} x_i^2$", "ylabel": r"$\beta$"},
        {"x": "1,2", "y": "1,2", "xlabel": r"$\mathrm{d}t$", "title": r"$e^{i\pi}+1=0$"},
        {"x": "2,20,200", "y": "1,2,3", "xscale": "log", "format": "jpeg"},
        {"seed": "13", "n": "700", "format": "webp", "transparent": "true", "alpha": "0.5"},
        {"seed": "14", "n": "300", "format": "webp", "quality": "60", "marker": "D"},
        {"x": "1,2,3,4,5,6", "y": "6,3,4,1,2,5", "g": "a,b,a,c,b,c", "group": "g"},
        {"x": "1,2,3", "y": "3,1,2", "c": "0.1,0.5,0.9", "color_column": "c", "cmap": "plasma"},
        {"x": "1,2,3", "y": "3,1,2", "s": "1,5,9", "size_column": "s", "title": "sizes"},
        {"x": "2024-01-01,2024-02-01,2024-03-01", "y": "1,3,2", "e": "1,0,2", "yerr_column": "e"},
        {"x": "a,b,c,a", "y": "2024-01-01T10:00Z,2024-01-02,2024-01-05,2024-01-03"},
        {"seed": "15", "n": "900", "trendline": "cubic"},
        {"seed": "16", "n": "900", "trendline": "lowess", "format": "webp"},
        {"x": "1,2,3,4", "y": "4,1,3,2", "n1": "a,,c,d", "label_column": "n1"},
        {"seed": "17", "n": "5000", "kind": "hexbin", "gridsize": "25", "trendline": "linear"},
        {"seed": "18", "n": "5000", "kind": "hist2d", "log_counts": "true", "cmap": "magma"},
    ]


def vector_queries() -> list[dict[str, str]]:
    """SVG and PDF in several styles, with the same style twice on different data."""
    return [
        {"seed": "21", "n": "400", "format": "svg"},
        {"seed": "22", "n": "400", "format": "svg"},
        {"seed": "23", "n": "300", "format": "pdf", "title": r"$\alpha^2$", "grid": "true"},
        {"seed": "24", "n": "300", "format": "pdf", "title": r"$\alpha^2$", "grid": "true"},
        {"seed": "25", "n": "200", "format": "svg", "xmin": "0", "xmax": "100", "ymin": "0",
         "ymax": "500", "color": "tab:green"},
        {"x": "1,10,100", "y": "5,50,500", "xscale": "log", "format": "pdf", "marker": "x"},
        {"seed": "26", "n": "50", "format": "svg", "transparent": "true", "width": "300"},
        {"seed": "27", "n": "50", "format": "pdf", "width": "200", "height": "600", "dpi": "72"},
    ]  # fmt: skip


def chart(query: dict[str, str]) -> bytes:
    """Parse (which checks any math text) and render, as a request does."""
    return draw(parse_request(params=query, headers={}, body=b"", settings=Settings()).spec)


def pixels(image: bytes) -> np.ndarray[Any, Any]:
    return np.asarray(Image.open(io.BytesIO(image)).convert("RGBA"))


def test_sixteen_threads_draw_the_same_pixels_as_one() -> None:
    charts = queries()
    alone = [pixels(chart(query)) for query in charts]
    jobs = [index % len(charts) for index in range(THREADS * 2)]
    start = threading.Barrier(THREADS)

    def draw(index: int) -> tuple[int, bytes]:
        if index < THREADS:
            start.wait(timeout=60)  # the first wave starts together
        return index, chart(charts[jobs[index]])

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads often, so that races show
    try:
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            results = list(pool.map(draw, range(len(jobs))))
    finally:
        sys.setswitchinterval(interval)
    assert len(results) == len(jobs)
    for index, image in results:
        expected = alone[jobs[index]]
        got = pixels(image)
        assert got.shape == expected.shape, index
        assert np.array_equal(got, expected), f"job {index} differs in {np.sum(got != expected)}"


def test_sixteen_threads_write_the_same_svg_and_pdf_bytes_as_one() -> None:
    charts = vector_queries()
    with matplotlib.rc_context({"svg.hashsalt": SVG_HASH_SALT}):  # the plain path's ids too
        alone = [chart(query) for query in charts]
        jobs = [index % len(charts) for index in range(THREADS * 2)]
        start = threading.Barrier(THREADS)

        def draw(index: int) -> tuple[int, bytes]:
            if index < THREADS:
                start.wait(timeout=60)
            return index, chart(charts[jobs[index]])

        interval = sys.getswitchinterval()
        sys.setswitchinterval(1e-5)
        try:
            with ThreadPoolExecutor(max_workers=THREADS) as pool:
                results = list(pool.map(draw, range(len(jobs))))
        finally:
            sys.setswitchinterval(interval)
    assert len(results) == len(jobs)
    for index, image in results:
        assert image == alone[jobs[index]], f"job {index} ({charts[jobs[index]]}) differs"


def test_math_text_from_sixteen_threads_never_fails_to_parse() -> None:
    """Matplotlib's math parser is one per process; unique strings defeat its cache."""
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def work(thread: int) -> None:
        start.wait(timeout=60)
        try:
            for step in range(12):
                title = rf"$\sqrt{{x_{{{thread}}}}} + \frac{{{step}}}{{\alpha_{{{thread}}}}}$"
                check_text(title, "title", max_length=200)
                if step % 4 == 0:
                    chart({"x": "1,2", "y": "3,4", "title": title, "width": "64", "height": "48"})
        except BaseException as error:  # noqa: B036 - collected and asserted below
            errors.append(error)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        sys.setswitchinterval(interval)
    assert not errors, errors[:3]
