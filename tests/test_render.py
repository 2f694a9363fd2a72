"""Renderer tests: decode the image and check its size and pixels."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from dataclasses import replace

import numpy as np
import pytest
from PIL import Image

from shared import get_settings
from shared.chart import render
from shared.chart.fast import POOL
from shared.chart.figure import render_plain
from shared.request.tables import reference_data
from shared.spec import ChartSpec
from tests.conftest import decode_png
from tests.recipe import recipe_png


def draw(spec: ChartSpec) -> bytes:
    """``render`` with the app's fast-path setting: ``./scripts/check`` runs these tests with
    ``SCATTERPLOT_FAST_PATH`` on and again off."""
    return render(spec, fast_path=get_settings().fast_path)


def reference_spec(**style: object) -> ChartSpec:
    x, y = reference_data(1000, seed=42)
    return ChartSpec(x=x, y=y, **style)  # type: ignore[arg-type]


def test_default_chart_is_pixel_identical_to_the_original_recipe() -> None:
    spec = reference_spec()
    ours = decode_png(draw(spec))
    theirs = decode_png(recipe_png(spec.x.tolist(), spec.y.tolist()))
    assert ours.shape == (480, 640, 4)
    assert np.array_equal(ours, theirs), "tolerance is zero: every pixel must match"


@pytest.mark.parametrize(
    ("width", "height", "dpi"), [(320, 240, 100), (1000, 333, 72), (17, 999, 150)]
)
def test_png_size_is_exactly_width_by_height(width: int, height: int, dpi: float) -> None:
    pixels = decode_png(draw(reference_spec(width=width, height=height, dpi=dpi)))
    assert pixels.shape == (height, width, 4)


def test_color_is_drawn_and_transparency_is_kept() -> None:
    red = decode_png(draw(reference_spec(color="#ff0000", size=80)))
    pure_red = (red[..., 0] == 255) & (red[..., 1] == 0) & (red[..., 2] == 0)
    assert pure_red.sum() > 1000
    opaque = decode_png(draw(reference_spec()))
    assert (opaque[..., 3] == 255).all()
    clear = decode_png(draw(reference_spec(transparent=True)))
    assert (clear[..., 3] == 0).sum() > clear.shape[0] * clear.shape[1] // 2


def test_every_style_option_changes_the_image() -> None:
    base = reference_spec()
    baseline = decode_png(draw(base))
    variants = [
        {"title": "Title"},
        {"xlabel": "time"},
        {"ylabel": "$\\alpha^2$"},
        {"alpha": 0.3},
        {"marker": "x"},
        {"grid": True},
        {"xlim": (100.0, 200.0)},
        {"ylim": (None, 0.0)},
        {"xscale": "log", "xlim": (1.0, None)},
        {"size": 4.0},
    ]
    for change in variants:
        image = decode_png(draw(replace(base, **change)))  # type: ignore[arg-type]
        assert image.shape == baseline.shape
        assert not np.array_equal(image, baseline), change


def test_svg_pdf_jpeg_and_webp_formats() -> None:
    svg = draw(reference_spec(format="svg"))
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg") and root.get("width") == "460.8pt"
    assert b"<dc:date>" not in svg
    pdf = draw(reference_spec(format="pdf"))
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert b"/CreationDate" not in pdf
    jpeg = Image.open(io.BytesIO(draw(reference_spec(format="jpeg"))))
    assert jpeg.format == "JPEG" and jpeg.size == (640, 480)
    lossless = draw(reference_spec(format="webp"))
    webp = Image.open(io.BytesIO(lossless))
    assert webp.format == "WEBP" and webp.size == (640, 480)
    assert np.array_equal(np.asarray(webp.convert("RGBA")), decode_png(draw(reference_spec())))
    lossy = draw(reference_spec(format="webp", quality=30))
    assert lossy != lossless and Image.open(io.BytesIO(lossy)).size == (640, 480)


def test_render_is_deterministic_for_the_same_spec() -> None:
    spec = reference_spec(title="same")
    assert draw(spec) == draw(spec)


def test_the_switch_off_takes_the_plain_path_for_every_chart() -> None:
    spec = reference_spec(title="plain")
    pooled = len(POOL)
    assert render(spec, fast_path=False) == render_plain(spec)  # matplotlib's own PNG writer
    assert len(POOL) == pooled
    fast = render(spec, fast_path=True)
    assert fast != render_plain(spec) and np.array_equal(
        decode_png(fast), decode_png(render_plain(spec))
    )
