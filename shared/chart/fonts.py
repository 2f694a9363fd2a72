"""Keeping matplotlib's cached FreeType fonts from growing with every request.

matplotlib keeps one ``FT2Font`` per font file and thread (``font_manager.get_font``, an LRU
cache), and an ``FT2Font`` keeps every glyph loaded into it until its text is set again. Two
users of those shared fonts load glyphs and never set text: the math-text layout (each parse
that misses matplotlib's parse cache, and a new renderer's parser always misses) and the PDF
writer embedding the fonts a chart used (``_get_pdf_charprocs`` and the widths of a Type 3
font load each glyph again). Measured on the plain path, per request: ~20-80 KB for a math
title, ~19 KB per character a PDF draws from the LastResort fallback font (a 190-character
CJK title: +3.6 MB per PDF, never freed).

``release_glyphs`` drops the cached fonts (the next use opens them again, ~0.7 ms each) after
a render that may have loaded glyphs this way: any math parse since the last release, or a
PDF. Fonts still held elsewhere (math layouts in matplotlib's own bounded parse cache, text
layouts of prepared figures) live on with only the glyphs of their last layout.
"""

from __future__ import annotations

import threading
from typing import Any, cast

__all__ = ["release_glyphs"]

_lock = threading.Lock()
_parses_seen = -1


def _math_parses() -> int:
    """How many math texts matplotlib has laid out (misses of its parse cache) so far."""
    from matplotlib.mathtext import MathTextParser

    return int(MathTextParser._parse_cached.cache_info().misses)  # type: ignore[attr-defined]


def release_glyphs(*, embedded: bool = False) -> None:
    """Drop matplotlib's cached fonts if glyphs may have piled up in them since the last call.

    ``embedded``: the render embedded fonts in its output (PDF), which loads their glyphs.
    """
    global _parses_seen
    with _lock:
        parses = _math_parses()
        if not embedded and parses == _parses_seen:
            return
        _parses_seen = parses
        from matplotlib import font_manager

        cast(Any, font_manager)._get_font.cache_clear()  # the LRU cache behind get_font
