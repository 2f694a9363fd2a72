"""Memory stays bounded whatever a stream of requests asks for.

Measured in a subprocess (``tests.memory_probe``) so that nothing else the tests do moves the
process's RSS: the growth after a warm-up must stay under a stated ceiling.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
from matplotlib import font_manager

from shared.chart import render
from shared.chart.fast import POOL_BYTES
from shared.spec import ChartSpec

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024
STYLES_CEILING = POOL_BYTES + 16 * MIB
"""The figure pool's own bound plus allocator slack: before the pool weighed figures by what
they cost, 1000 distinct 16 x 16 styles grew the process by ~470 MB."""
GLYPHS_CEILING = 16 * MIB
"""Before the cached fonts were released, 40 such PDFs grew the process by ~150 MB."""


def probe(kind: str, count: int) -> dict[str, Any]:
    environment = {**os.environ, "PYTHONWARNINGS": "ignore"}
    result = subprocess.run(
        [sys.executable, "-m", "tests.memory_probe", kind, str(count)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    report: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(report["statuses"]) == {"200"}, report
    return report


def test_a_thousand_distinct_small_styles_keep_memory_under_the_ceiling() -> None:
    report = probe("styles", 1000)
    growth = report["rss_end"] - report["rss_warm"]
    assert growth < STYLES_CEILING, f"grew {growth / MIB:.0f} MiB"


def test_pdfs_drawing_glyphs_the_fonts_lack_do_not_grow_memory() -> None:
    report = probe("pdf-glyphs", 40)
    growth = report["rss_end"] - report["rss_warm"]
    assert growth < GLYPHS_CEILING, f"grew {growth / MIB:.0f} MiB"


def test_no_cached_font_keeps_the_glyphs_a_pdf_embedded() -> None:
    x = np.array([1.0, 2.0])
    title = "".join(chr(0xA000 + index) for index in range(50))  # Yi: in no shipped font
    render(ChartSpec(x=x, y=x, title=title, format="pdf"))
    fallback = Path(matplotlib.get_data_path(), "fonts", "ttf", "LastResortHE-Regular.ttf")
    assert fallback.exists()
    # the PDF writer loaded two glyphs per character into the cached fallback font
    assert font_manager.get_font(fallback).get_num_glyphs() == 0


BODY_BASE = 24 * MIB
BODY_FACTOR = 10
"""Reading any body the limits accept: peak traced allocation below 24 MiB + 10 x its size
(before quote-free CSVs were read column by column, a million CSV rows held 478 MiB for
14 MiB)."""


def test_the_costliest_accepted_bodies_stay_within_the_stated_bound() -> None:
    environment = {**os.environ, "PYTHONWARNINGS": "ignore"}
    result = subprocess.run(
        [sys.executable, "-m", "tests.memory_probe", "bodies", "1"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    reports = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert len(reports) == 5
    for report in reports:
        assert report["status"] == 200, report
        bound = BODY_BASE + BODY_FACTOR * report["bytes"]
        assert report["peak"] < bound, report
