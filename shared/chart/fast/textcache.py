"""An Agg renderer that remembers text layouts and glyph bitmaps between draws.

Matplotlib's Agg renderer lays out every string (``FT2Font._layout``) and renders every glyph
(``FT2Font._render_glyph``) on each draw, at the glyph's position in 1/64 pixel. Tick labels
repeat from one chart to the next, so ``GlyphCachingRenderer`` keeps:

* the layout of each (string, font properties, features, language) per thread, and
* the bitmap of each glyph per position *within its pixel* (the 1/64 fraction). FreeType
  renders an outline moved by whole pixels to the same bitmap moved by those pixels, so a
  bitmap rendered at the fraction and placed at the whole-pixel part is the one matplotlib
  would have rendered: the same ``draw_text_image`` call with the same pixels.

Only plain text is cached; mathtext and TeX go to matplotlib unchanged. This leans on
internals of the pinned matplotlib (3.11.x); the pixel-identity tests guard it, and if an
internal it needs is missing the renderer falls back to matplotlib's own ``draw_text``.
"""

from __future__ import annotations

import math
import threading
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.ft2font import RenderMode

from ..textbox import TextBounds, font_key, font_table_metrics

__all__ = ["CachingCanvas", "GlyphCachingRenderer"]

_MAX_LAYOUTS = 2048
"""The layout cache is emptied when it grows past this (~2 KB an entry: ~4 MB at most)."""
_MAX_GLYPHS = 4096
"""The glyph cache is emptied when it grows past this (~1 KB an entry: ~4 MB at most)."""
LAYOUT_BYTES = 2048
GLYPH_BYTES = 1024
"""What one cached layout or glyph bitmap costs, measured (RSS over thousands of entries)."""


class GlyphCachingRenderer(RendererAgg):
    """``RendererAgg`` whose ``draw_text`` reuses layouts and glyph bitmaps."""

    def __init__(self, width: int, height: int, dpi: float) -> None:
        super().__init__(width, height, dpi)  # type: ignore[no-untyped-call]
        self._layouts: dict[tuple[object, ...], tuple[tuple[Any, int, float, float], ...]] = {}
        self._glyphs: dict[tuple[object, ...], tuple[Any, int, int]] = {}
        self._heights: dict[tuple[object, ...], tuple[float | None, float | None, float | None]]
        self._heights = {}
        self.glyph_hits = 0
        self.text_bounds: TextBounds | None = None
        """Where the text drawn lies, when the chart's layout asks (``layout=auto``)."""

    def cache_bytes(self) -> int:
        """About what the cached layouts and glyph bitmaps hold."""
        return len(self._layouts) * LAYOUT_BYTES + len(self._glyphs) * GLYPH_BYTES

    def _get_font_height_metrics(
        self, prop: Any
    ) -> tuple[float | None, float | None, float | None]:
        """Ascent, descent and line gap of a font, as ``Text._get_layout`` reads them.

        ``Text._get_layout`` asks the renderer first (a hook matplotlib has for its PDF/PS
        backends) and otherwise reads the font's OS/2 or hhea table on every call; this is
        the same computation, remembered per font and dpi.
        """
        key = (font_key(prop), self.dpi)
        metrics = self._heights.get(key)
        if metrics is None:
            metrics = font_table_metrics(prop, self.dpi) or (None, None, None)
            self._heights[key] = metrics
        return metrics

    def draw_text(
        self,
        gc: Any,
        x: float,
        y: float,
        s: str,
        prop: Any,
        angle: float,
        ismath: bool | str = False,
        mtext: Any = None,
    ) -> None:
        if self.text_bounds is not None:
            self.text_bounds.add(self, x, y, s, prop, angle, ismath, mtext is not None)
        if ismath:
            super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)  # type: ignore[no-untyped-call]
            return
        flags = get_hinting_flag()  # type: ignore[no-untyped-call]
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        # FT2Font objects are per thread in matplotlib (its font cache is keyed by thread):
        # layouts, which hold them, are too; the glyph bitmaps are plain arrays and shared.
        key = (s, font_key(prop), flags, features, language, self.dpi, threading.get_ident())
        glyphs = self._layouts.get(key)
        if glyphs is None:
            font = self._prepare_font(prop)  # type: ignore[no-untyped-call]
            items = font._layout(s, flags=flags, features=features, language=language)
            glyphs = tuple((item.ft_object, item.glyph_index, item.x, item.y) for item in items)
            if len(self._layouts) > _MAX_LAYOUTS:
                self._layouts.clear()
            self._layouts[key] = glyphs
        size = prop.get_size_in_points()
        antialiased = gc.get_antialiased()
        cos = math.cos(math.radians(angle))
        sin = math.sin(math.radians(angle))
        height = self.height
        for font, index, dx, dy in glyphs:  # as RendererAgg._draw_text_glyphs_and_boxes
            fx = round(0x40 * (x + dx * cos - dy * sin))
            fy = round(0x40 * (height - y + dx * sin + dy * cos))
            fraction = (fx & 63, fy & 63)
            glyph_key = (font.fname, size, self.dpi, index, angle, flags, antialiased, fraction)
            glyph = self._glyphs.get(glyph_key)
            if glyph is None:
                glyph = self._render(font, size, index, angle, flags, antialiased, fx, fy)
                if len(self._glyphs) > _MAX_GLYPHS:
                    self._glyphs.clear()
                self._glyphs[glyph_key] = glyph
            else:
                self.glyph_hits += 1
            buffer, left, top = glyph
            top += fy >> 6
            self._renderer.draw_text_image(
                buffer, left + (fx >> 6), int(height) - top + buffer.shape[0], 0, gc
            )

    def _render(
        self,
        font: Any,
        size: float,
        index: int,
        angle: float,
        flags: Any,
        antialiased: bool,
        fx: int,
        fy: int,
    ) -> tuple[Any, int, int]:
        """The glyph's bitmap at the sub-pixel fraction of (fx, fy), with its pixel offset."""
        cos = math.cos(math.radians(angle))
        sin = math.sin(math.radians(angle))
        font.set_size(size, self.dpi)
        font._set_transform(
            (0x10000 * np.array([[cos, -sin], [sin, cos]])).round().astype(int),
            [fx & 63, fy & 63],
        )
        mode = RenderMode.NORMAL if antialiased else RenderMode.MONO
        bitmap = font._render_glyph(index, flags, mode)
        buffer = np.array(bitmap.buffer, copy=True)
        if not antialiased:
            buffer *= 0xFF
        return buffer, int(bitmap.left), int(bitmap.top)


class CachingCanvas(FigureCanvasAgg):
    """An Agg canvas drawing with a ``GlyphCachingRenderer`` kept while the size is unchanged;
    ``text_bounds``, when set, adds up where its renderer draws text."""

    text_bounds: TextBounds | None = None

    def get_renderer(self) -> GlyphCachingRenderer:
        width, height = self.get_width_height(physical=True)
        key = width, height, self.figure.dpi
        renderer = getattr(self, "renderer", None)
        if not isinstance(renderer, GlyphCachingRenderer) or self._lastKey != key:
            renderer = GlyphCachingRenderer(width, height, self.figure.dpi)
            self.renderer = renderer
            self._lastKey = key
        renderer.text_bounds = self.text_bounds
        return renderer
