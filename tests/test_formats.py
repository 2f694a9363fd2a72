"""Every format from the fast path against the plain path (a new figure saved by matplotlib).

Raster (JPEG, WebP): the canvas the fast path encodes is the plain path's canvas, pixel for
pixel (tolerance zero up to ``THIN_ABOVE`` points), and the encoded bytes are the plain path's
bytes. Vector (SVG, PDF): the bytes are matplotlib's own ``savefig`` bytes with the same
``svg.hashsalt``; rasterized (resvg for SVG, PDFium for PDF, both pinned in
requirements-dev.txt) the two are the same pixels (tolerance zero), the SVG parses as XML with
the same element tree, and the same request always gives the same bytes.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import matplotlib
import numpy as np
import pypdfium2 as pdfium
import pytest
import resvg_py
from PIL import Image

import shared.chart.fast.prepared
import shared.chart.fast.vector
from shared import Settings, parse_request
from shared.chart import render
from shared.chart.fast import POOL_BYTES, raster_key, render_fast
from shared.chart.fast.figpool import FigurePool
from shared.chart.fast.prepared import PreparedChart
from shared.chart.fast.raster import encode_raster
from shared.chart.fast.svgout import SVG_HASH_SALT
from shared.chart.fast.vector import VectorChart
from shared.chart.figure import build_figure, render_plain
from shared.formats import JPEG_QUALITY, pil_options
from shared.request.tables import reference_data
from shared.spec import ChartSpec
from tests.conftest import decode_png
from tests.test_fast_render import FIXED, RECIPE_LAYOUT, STYLES

Pixels = np.ndarray[Any, Any]

BIG = {"default", "fixed limits", "colour alpha size marker", "far outside the canvas"}
"""Styles also drawn with 3000 points (the others keep the suite short)."""

VECTOR_STYLES: dict[str, dict[str, Any]] = {
    **STYLES,
    "far outside the canvas": {"xlim": (0.0, 1.0), "ylim": (0.0, 1.0)},  # clipped by cleaned()
    "title only on fixed log axes": {"xscale": "log", "xlim": (1.0, 3000.0), "title": "t"},
    # a marker wider than the figure: matplotlib draws a path collection, not markers
    "marker bigger than the figure": {
        "width": 64,
        "height": 48,
        "dpi": 300.0,
        "size": 10000.0,
        "looks": RECIPE_LAYOUT,  # text cut off: layout=auto would adapt it on the plain path
    },
    "pixel marker": {"marker": ",", "color": "k"},
}
RASTER_STYLES = [
    "default",
    "title and labels",
    "colour alpha size marker",
    "fixed limits, grid, title",
    "log scales",
    "odd size and dpi",
]


def _datasets(style: dict[str, Any], *, big: bool = False) -> Iterator[tuple[Pixels, Pixels]]:
    """Two data sets of the reference size, one point, and with ``big`` 3000 points."""
    for n, seed in ((1000, 1), (1000, 2), (1, 3), (3000, 4))[: 4 if big else 3]:
        x, y = reference_data(n, seed=seed)
        if style.get("xscale") == "log":
            x, y = x + 1.0, np.abs(y) + 1.0
        yield x, y


def plain(spec: ChartSpec) -> bytes:
    """The plain path's bytes, SVG ids salted as the fast path salts them."""
    with matplotlib.rc_context({"svg.hashsalt": SVG_HASH_SALT}):
        return render_plain(spec)


def fast(spec: ChartSpec, **pools: Any) -> bytes:
    image = render_fast(spec, **pools)
    assert image is not None, f"the fast path declined {spec.format}"
    return image


def rasterize(image: bytes, image_format: str, dpi: float) -> Pixels:
    """RGBA pixels of an SVG (resvg) or a PDF (PDFium) at ``dpi``."""
    if image_format == "svg":
        png = resvg_py.svg_to_bytes(svg_string=image.decode(), skip_system_fonts=True, dpi=dpi)
        return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))
    document = pdfium.PdfDocument(image)
    try:
        page = document[0]
        bitmap = page.render(scale=dpi / 72)
        return np.asarray(bitmap.to_pil().convert("RGBA"))
    finally:
        document.close()


def tree(svg: bytes) -> list[tuple[int, str, tuple[str, ...]]]:
    """Depth, tag and attribute names of every element, in document order."""
    out: list[tuple[int, str, tuple[str, ...]]] = []

    def visit(element: ET.Element, depth: int) -> None:
        out.append((depth, element.tag, tuple(sorted(element.attrib))))
        for child in element:
            visit(child, depth + 1)

    visit(ET.fromstring(svg), 0)
    return out


# --- raster ------------------------------------------------------------------------------------


def _spy_on_the_encoder(monkeypatch: pytest.MonkeyPatch) -> list[Pixels]:
    """The canvases the fast path hands to its encoder, copied as they come."""
    seen: list[Pixels] = []

    def spy(rgba: Pixels, spec: ChartSpec) -> bytes:
        seen.append(np.array(rgba, copy=True))
        return encode_raster(rgba, spec)

    monkeypatch.setattr("shared.chart.fast.encode_raster", spy)
    return seen


@pytest.mark.parametrize("name", RASTER_STYLES)
@pytest.mark.parametrize(
    ("image_format", "quality"), [("jpeg", None), ("jpeg", 40), ("webp", None), ("webp", 80)]
)
def test_jpeg_and_webp_are_the_plain_paths_bytes(
    name: str, image_format: str, quality: int | None
) -> None:
    pool: FigurePool[PreparedChart] = FigurePool(POOL_BYTES, max_items=4)
    for x, y in _datasets(STYLES[name], big=name in BIG):
        spec = ChartSpec(x=x, y=y, format=image_format, quality=quality, **STYLES[name])
        assert fast(spec, pool=pool) == plain(spec)
    assert len(pool) == 1


def test_the_canvas_encoded_is_the_plain_paths_canvas(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tolerance zero: the RGBA handed to the encoder is the plain path's, pixel for pixel."""
    seen = _spy_on_the_encoder(monkeypatch)
    pool: FigurePool[PreparedChart] = FigurePool(POOL_BYTES, max_items=4)
    for image_format in ("jpeg", "webp", "png"):
        for x, y in _datasets({}):
            spec = ChartSpec(x=x, y=y, format=image_format, title="canvas")
            fast(spec, pool=pool)
            expected = decode_png(render_plain(ChartSpec(x=x, y=y, title="canvas")))
            assert np.array_equal(seen[-1], expected)
    assert len(pool) == 1  # PNG, JPEG and WebP of one style share the prepared figure


def test_thinned_jpeg_canvas_stays_within_the_stated_tolerance(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Above THIN_ABOVE points: at most 1% of pixels differ and the mean difference is < 1/255."""
    monkeypatch.setattr(shared.chart.fast.prepared, "THIN_ABOVE", 10_000)
    seen = _spy_on_the_encoder(monkeypatch)
    x, y = reference_data(60_000, seed=7)
    jpeg = fast(ChartSpec(x=x, y=y, format="jpeg"), pool=None)
    expected = decode_png(render_plain(ChartSpec(x=x, y=y))).astype(np.int16)
    difference = np.abs(seen[-1].astype(np.int16) - expected)
    assert (difference > 0).any(axis=2).mean() <= 0.01
    assert difference.mean() < 1.0
    assert Image.open(io.BytesIO(jpeg)).size == (640, 480)


@pytest.mark.parametrize(
    ("image_format", "quality", "pil_format", "mode"),
    [("jpeg", None, "JPEG", "RGB"), ("webp", None, "WEBP", "RGB"), ("webp", 50, "WEBP", "RGB")],
)
def test_encoded_images_decode_to_the_size_and_format(
    image_format: str, quality: int | None, pil_format: str, mode: str
) -> None:
    x, y = reference_data(1000, seed=8)  # opaque: WebP stores no alpha channel then
    for fast_path in (True, False):
        spec = ChartSpec(x=x, y=y, format=image_format, quality=quality, width=333, height=222)
        image = Image.open(io.BytesIO(render(spec, fast_path=fast_path)))
        assert (image.format, image.size, image.mode) == (pil_format, (333, 222), mode)


def test_lossless_webp_decodes_to_the_png_pixels_even_transparent() -> None:
    x, y = reference_data(1000, seed=9)
    styles: list[dict[str, Any]] = [{}, {"transparent": True, "alpha": 0.5}]
    for style in styles:
        png = decode_png(render_plain(ChartSpec(x=x, y=y, **style)))
        webp = fast(ChartSpec(x=x, y=y, format="webp", **style), pool=None)
        assert np.array_equal(np.asarray(Image.open(io.BytesIO(webp)).convert("RGBA")), png)


def test_jpeg_default_is_what_matplotlib_writes_without_options() -> None:
    """Quality 75 is matplotlib's own savefig(format="jpeg") default (Pillow's)."""
    x, y = reference_data(1000, seed=10)
    figure, _ = build_figure(ChartSpec(x=x, y=y))
    untouched = io.BytesIO()
    figure.savefig(untouched, format="jpeg")
    spec = ChartSpec(x=x, y=y, format="jpeg")
    assert pil_options("jpeg", None) == {"quality": JPEG_QUALITY}
    assert fast(spec, pool=None) == untouched.getvalue() == render_plain(spec)


def test_raster_formats_of_a_style_share_one_pool_entry() -> None:
    x, y = reference_data(10, seed=11)
    keys = {
        raster_key(ChartSpec(x=x, y=y, format=f, quality=q))
        for f, q in (("png", None), ("jpeg", 75), ("webp", None), ("webp", 10))
    }
    assert len(keys) == 1
    assert raster_key(ChartSpec(x=x, y=y, grid=True)) not in keys


# --- vector ------------------------------------------------------------------------------------


@pytest.mark.parametrize("image_format", ["svg", "pdf"])
@pytest.mark.parametrize("name", list(VECTOR_STYLES))
def test_svg_and_pdf_are_matplotlibs_own_bytes(name: str, image_format: str) -> None:
    style = VECTOR_STYLES[name]
    pool: FigurePool[VectorChart] = FigurePool(4)
    for x, y in _datasets(style, big=name in BIG):
        spec = ChartSpec(x=x, y=y, format=image_format, **style)
        assert fast(spec, vector_pool=pool) == plain(spec), f"{name}, {len(x)} points"
    assert len(pool) == 1  # one prepared figure served every data set


@pytest.mark.parametrize("image_format", ["svg", "pdf"])
@pytest.mark.parametrize(
    "style", [{}, {"title": "Rain $\\alpha^2$", "grid": True}, {**FIXED, "marker": "x"}]
)
def test_rasterized_vector_output_is_the_same_drawing(
    image_format: str, style: dict[str, Any]
) -> None:
    """The plain path here keeps matplotlib's random SVG ids: only ids differ, not pixels."""
    pool: FigurePool[VectorChart] = FigurePool(4)
    for seed in (12, 13):
        x, y = reference_data(1000, seed=seed)
        spec = ChartSpec(x=x, y=y, format=image_format, dpi=100.0, **style)
        ours = rasterize(fast(spec, vector_pool=pool), image_format, spec.dpi)
        theirs = rasterize(render_plain(spec), image_format, spec.dpi)
        assert ours.shape[:2] in ((480, 640), (481, 640))  # PDFium rounds the height up
        assert ours.shape == theirs.shape
        difference = np.abs(ours.astype(np.int16) - theirs.astype(np.int16))
        assert difference.max() == 0, "tolerance zero: the same drawing"
        assert (ours[..., :3] < 128).any() and (ours[..., :3] > 128).any()  # something drawn


def test_svg_parses_with_the_same_element_tree_as_matplotlibs() -> None:
    pool: FigurePool[VectorChart] = FigurePool(2)
    for seed in (14, 15):
        x, y = reference_data(1000, seed=seed)
        spec = ChartSpec(x=x, y=y, format="svg", title="tree", grid=True)
        ours = fast(spec, vector_pool=pool)
        assert tree(ours) == tree(render_plain(spec))  # unsalted: ids differ, structure not
        uses = [e for e in ET.fromstring(ours).iter("{http://www.w3.org/2000/svg}use")]
        assert len(uses) >= 1000  # a <use> per marker, plus the glyphs


@pytest.mark.parametrize("image_format", ["svg", "pdf"])
def test_vector_bytes_are_deterministic(image_format: str) -> None:
    x, y = reference_data(1000, seed=16)
    spec = ChartSpec(x=x, y=y, format=image_format, title="again")
    first = fast(spec, vector_pool=None)
    pool: FigurePool[VectorChart] = FigurePool(2)
    other_x, other_y = reference_data(500, seed=17)
    fast(ChartSpec(x=other_x, y=other_y, format=image_format, title="again"), vector_pool=pool)
    assert fast(spec, vector_pool=pool) == first  # a reused figure writes the same bytes
    assert b"<dc:date>" not in first and b"/CreationDate" not in first
    with matplotlib.rc_context({"svg.hashsalt": None}):
        assert fast(spec, vector_pool=None) == first  # no random ids without a salt either


def test_a_figure_the_vector_path_cannot_redraw_is_declined(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Something besides the markers (here a line) would not follow the data: plain path."""
    built: list[int] = []

    def with_a_line(spec: ChartSpec) -> Any:
        built.append(1)
        figure, axes = build_figure(spec)
        axes.plot([0, 1], [0, 1])
        return figure, axes

    monkeypatch.setattr(shared.chart.fast.vector, "build_figure", with_a_line)
    x, y = reference_data(100, seed=18)
    spec = ChartSpec(x=x, y=y, format="svg", title="declined")
    assert render_fast(spec) is None
    assert render_fast(spec) is None and len(built) == 1  # declined once, remembered
    assert render(spec).startswith(b"<?xml")  # the plain path draws it


def test_jpeg_of_a_canvas_with_transparency_is_composited_onto_white() -> None:
    """The parser refuses transparent JPEG; the encoder still does what print_jpg does."""
    x, y = reference_data(300, seed=20)
    spec = ChartSpec(x=x, y=y, format="jpeg", transparent=True, alpha=0.5)
    figure, _ = build_figure(spec)
    expected = io.BytesIO()
    figure.savefig(expected, format="jpeg", transparent=True, pil_kwargs=pil_options("jpeg", None))
    assert fast(spec, pool=None) == expected.getvalue()


def _parsed(query: dict[str, str]) -> ChartSpec:
    return parse_request(params=query, headers={}, body=b"", settings=Settings()).spec


@pytest.mark.parametrize("image_format", ["svg", "pdf"])
@pytest.mark.parametrize(
    "query",
    [
        {"x": "2024-01-01,2024-02-01,2024-03-15,2024-07-01", "y": "1,3,2,5"},
        {"x": "a,b,c,a,b", "y": "2024-01-01T10:00Z,2024-01-02,2024-01-05,2024-01-03,2024-01-04"},
        {"x": "2024-01-01,2024-12-31", "y": "4,1", "xmin": "2023-12-01", "xmax": "2025-02-01"},
    ],
    ids=["date x", "category x, date y", "fixed date limits"],
)
def test_date_and_category_axes_are_matplotlibs_own_bytes(
    query: dict[str, str], image_format: str
) -> None:
    pool: FigurePool[VectorChart] = FigurePool(2)
    spec = _parsed({**query, "format": image_format})
    assert fast(spec, vector_pool=pool) == plain(spec)
    assert fast(spec, vector_pool=pool) == plain(spec)  # the prepared figure again


@pytest.mark.parametrize(
    "query",
    [
        {"x": "1,2,3,4", "y": "4,3,2,1", "g": "a,b,a,b", "group": "g"},
        {"x": "1,2,3", "y": "3,1,2", "c": "0.1,0.5,0.9", "color_column": "c"},
        {"x": "1,2,3", "y": "3,1,2", "s": "1,5,9", "size_column": "s"},
        {"x": "1,2,3", "y": "3,1,2", "e": "1,0,2", "yerr_column": "e"},
    ],
    ids=["groups", "colour column", "size column", "error bars"],
)
def test_vector_charts_of_several_series_or_per_point_values_take_the_plain_path(
    query: dict[str, str],
) -> None:
    for image_format in ("svg", "pdf"):
        spec = _parsed({**query, "format": image_format})
        assert render_fast(spec) is None
        assert render(spec) != b""
