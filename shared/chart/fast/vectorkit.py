"""What the fast SVG and PDF renderers share: marker positions and text caches.

``marker_positions`` gives, as one array, the positions matplotlib's ``draw_markers`` loops
over (``Path.iter_segments`` is ``Path.cleaned`` followed by a Python loop). The text caches
hold what matplotlib recomputes on every draw although it depends only on the string and the
font: glyph layouts (SVG) and text metrics (SVG and PDF). They are shared by all threads (the
values are plain numbers, strings and arrays, never font objects) and emptied past a bound.
"""

from __future__ import annotations

import threading
from typing import Any, Final

import numpy as np
import numpy.typing as npt
from matplotlib.font_manager import fontManager
from matplotlib.path import Path

from ..textbox import font_table_metrics

__all__ = [
    "FEW_MARKERS",
    "font_height_metrics",
    "font_key",
    "layouts",
    "marker_positions",
    "metrics",
    "remember",
]

FEW_MARKERS: Final = 8
"""Below this many positions (a tick mark draws one), matplotlib's own loop is used."""

MAX_ENTRIES: Final = 20_000
"""Either text cache is emptied when it grows past this (a few MB at most)."""

_MARKER_CODES = (Path.MOVETO, Path.LINETO)

Layout = tuple[list[tuple[str, float, float, float]], dict[str, Any]]
"""Glyph placements (id, x, y, scale) and every glyph's outline by id, in order of first use."""

layouts: dict[tuple[object, ...], Layout] = {}
metrics: dict[tuple[object, ...], tuple[float, float, float]] = {}
Heights = tuple[float | None, float | None, float | None]
heights: dict[tuple[object, ...], Heights] = {}
_cache_lock = threading.Lock()


def marker_positions(
    path: Path, transform: Any, clip: tuple[float, float, float, float]
) -> npt.NDArray[np.float64] | None:
    """The marker positions ``Path.iter_segments`` would give, as an (n, 2) array.

    The same ``cleaned`` call (transform, clipping to ``clip``, NaN removal, no
    simplification), so the same numbers. ``None`` when the cleaned path holds anything but
    moves and lines (never seen for a scatter's offsets; the caller then takes matplotlib's
    own loop).
    """
    cleaned = path.cleaned(
        transform=transform, remove_nans=True, clip=clip, snap=False, stroke_width=1.0,
        simplify=False, curves=True, sketch=None,
    )  # fmt: skip
    vertices = np.asarray(cleaned.vertices, dtype=np.float64)
    if cleaned.codes is None:  # pragma: no cover - cleaned paths always carry codes
        return vertices
    codes = np.asarray(cleaned.codes)
    stops = np.flatnonzero(codes == Path.STOP)
    end = int(stops[0]) if len(stops) else len(codes)
    if not np.isin(codes[:end], _MARKER_CODES).all():  # pragma: no cover - see above
        return None
    return vertices[:end]


def font_key(prop: Any) -> tuple[object, ...]:
    """The font files ``prop`` resolves to under the rcParams in force, and its size."""
    return (*fontManager._find_fonts_by_props(prop), prop.get_size_in_points())


def remember(cache: dict[Any, Any], key: object, value: Any) -> None:
    """Store ``value``; empty the cache first when it is full."""
    with _cache_lock:
        if len(cache) > MAX_ENTRIES:
            cache.clear()
        cache[key] = value


def font_height_metrics(prop: Any, dpi: float) -> Heights:
    """Ascent, descent and line gap of ``prop``'s font at ``dpi``, as ``Text._get_layout``
    computes them when the renderer has no ``_get_font_height_metrics`` (from the font's OS/2
    or hhea table, with the same arithmetic), remembered per font file, size and dpi."""
    key = (font_key(prop), dpi)
    found = heights.get(key)
    if found is not None:
        return found
    found = font_table_metrics(prop, dpi) or (None, None, None)
    remember(heights, key, found)
    return found
