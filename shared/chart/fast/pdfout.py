"""matplotlib's PDF renderer, writing the same bytes faster where a scatter chart spends its time.

``PdfRenderer`` is ``RendererPdf`` with two changes, neither of which changes a byte of what
matplotlib writes for the same figure:

* ``draw_markers`` writes the content-stream line of every marker in one pass: the positions
  come from the same ``Path.cleaned`` call ``Path.iter_segments`` makes, the same markers are
  skipped (outside the page), and each line is the one ``PdfFile.output`` would make
  (``pdfRepr`` of each number, ``_fill``'s 75-column wrapping), written in one piece to the
  same compressed stream;
* plain text (not math) reuses the glyph layout of each string, and its metrics, per string
  and font file: matplotlib recomputes both on every draw.

``restart`` points the renderer at a new ``PdfFile``, so that one renderer object serves a
prepared chart from request to request and matplotlib's text-metric caches, which are keyed by
renderer, keep hitting. matplotlib writes no random ids into PDFs, and ``CreationDate`` is left
out by the caller, so the bytes are the same for the same chart. This leans on internals of
the pinned matplotlib (3.11.x); the tests compare the output with matplotlib's own ``savefig``
byte for byte.
"""

from __future__ import annotations

import itertools
import math
from typing import Any, NamedTuple

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_pdf import Op, RendererPdf, _fill, pdfRepr
from matplotlib.font_manager import FontPath
from matplotlib.ft2font import LoadFlags

from .vectorkit import (
    FEW_MARKERS,
    Heights,
    font_height_metrics,
    font_key,
    marker_positions,
    metrics,
    remember,
)

__all__ = ["PdfRenderer"]


class _Face(NamedTuple):
    """What ``CharacterTracker.track_glyph`` reads of a font object."""

    fname: str
    face_index: int


class _Glyph(NamedTuple):
    """One item of ``FT2Font._layout``, with the font object replaced by its file."""

    face: _Face
    char: str
    glyph_index: int
    x: float
    y: float
    prev_kern: float


_layouts: dict[tuple[object, ...], tuple[_Glyph, ...]] = {}

_LINE = 75
"""``_fill``'s line length: a shorter line is the tokens joined by single spaces."""


def _number(value: float) -> bytes:
    """``pdfRepr`` of a finite float."""
    return (b"%.10f" % value).rstrip(b"0").rstrip(b".")


class PdfRenderer(RendererPdf):
    """``RendererPdf`` with one-pass markers and cached text metrics."""

    def restart(self, file: Any) -> None:
        """Draw into ``file`` (a new ``PdfFile``), keeping this object and caches keyed by it."""
        RendererPdf.__init__(self, file, self.image_dpi, self.height, self.width)

    def draw_markers(
        self,
        gc: Any,
        marker_path: Any,
        marker_trans: Any,
        path: Any,
        trans: Any,
        rgbFace: Any = None,
    ) -> None:
        uses = len(path)
        if len(marker_path) * uses < len(marker_path) + uses + 5 or uses < FEW_MARKERS:
            super().draw_markers(gc, marker_path, marker_trans, path, trans, rgbFace)
            return
        width = self.file.width * 72
        height = self.file.height * 72
        positions = marker_positions(path, trans, (0, 0, width, height))
        if positions is None:  # pragma: no cover - see marker_positions
            super().draw_markers(gc, marker_path, marker_trans, path, trans, rgbFace)
            return
        # from here on, what RendererPdf.draw_markers does, in the same order
        self.check_gc(gc, rgbFace)
        fill = gc.fill(rgbFace)
        stroke = gc.stroke()
        output = self.file.output
        marker = self.file.markerObject(
            marker_path, marker_trans, fill, stroke, self.gc._linewidth,
            gc.get_joinstyle(), gc.get_capstyle(),
        )  # fmt: skip
        output(Op.gsave)
        x = positions[:, 0]
        y = positions[:, 1]
        on_page = (x >= 0) & (x <= width) & (y >= 0) & (y <= height)
        x = x[on_page]
        y = y[on_page]
        # each step from the last drawn marker, as the loop's x - lastx (lastx starts at 0)
        steps_x = [_number(step) for step in np.diff(x, prepend=0.0).tolist()]
        steps_y = [_number(step) for step in np.diff(y, prepend=0.0).tolist()]
        template = b"1 0 0 1 %s %s " + b" ".join(
            pdfRepr(token) for token in (Op.concat_matrix, marker, Op.use_xobject)
        )
        lines = [template % step for step in zip(steps_x, steps_y, strict=True)]
        if lines and max(map(len, lines)) >= _LINE:  # PdfFile.output would wrap these
            lines = [_fill(line.split(b" ")) for line in lines]
        lines.append(b"")
        self.file.write(b"\n".join(lines))
        output(Op.grestore)

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
        if ismath or mpl.rcParams["pdf.use14corefonts"] or gc.get_url() is not None:
            super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
            return
        # RendererPdf.draw_text for plain text in an embedded font, with the layout cached
        self.check_gc(gc, gc._rgb)
        fontsize = prop.get_size_in_points()
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        glyphs = self._layout(s, prop, features, language)
        fonttype = mpl.rcParams["pdf.fonttype"]
        output = self.file.output

        def output_singlebyte_chunk(kerns_or_chars: list[Any]) -> None:
            if not kerns_or_chars:
                return
            output(
                [
                    (-1000 * next(group) / fontsize)
                    if kind is float
                    else self._encode_glyphs(group, fonttype)
                    for kind, group in itertools.groupby(kerns_or_chars, type)
                ],
                Op.showkern,
            )
            kerns_or_chars.clear()

        output(Op.gsave)
        a = math.radians(angle)
        output(math.cos(a), math.sin(a), -math.sin(a), math.cos(a), x, y, Op.concat_matrix)
        singlebyte_chunk: list[Any] = []
        prev_font: tuple[_Face, int] | None = None
        prev_start_x = 0.0
        output(Op.begin_text)
        tracker = self.file._character_tracker
        for item in glyphs:
            subset, charcode = tracker.track_glyph(item.face, item.char, item.glyph_index)
            if (item.face, subset) != prev_font:
                output_singlebyte_chunk(singlebyte_chunk)
                ft_name = self.file.fontName(FontPath(*item.face), subset)
                output(ft_name, fontsize, Op.selectfont)
                self._setup_textpos(item.x, 0, 0, prev_start_x, 0, 0)
                prev_font = (item.face, subset)
                prev_start_x = item.x
            if item.y:
                output_singlebyte_chunk(singlebyte_chunk)
                output(item.y, Op.textrise)
            if item.prev_kern:
                singlebyte_chunk.append(item.prev_kern)
            singlebyte_chunk.append(charcode)
            if item.y:
                output_singlebyte_chunk(singlebyte_chunk)
                output(0, Op.textrise)
        output_singlebyte_chunk(singlebyte_chunk)
        output(Op.end_text)
        output(Op.grestore)

    def _layout(self, s: str, prop: Any, features: Any, language: Any) -> tuple[_Glyph, ...]:
        """``FT2Font._layout`` of ``s`` in the font of ``prop``, remembered."""
        key = (s, font_key(prop), features, language)
        glyphs = _layouts.get(key)
        if glyphs is None:
            font = self._get_font_ttf(prop)
            glyphs = tuple(
                _Glyph(
                    _Face(item.ft_object.fname, item.ft_object.face_index),
                    item.char,
                    item.glyph_index,
                    item.x,
                    item.y,
                    item.prev_kern,
                )  # fmt: skip
                for item in font._layout(
                    s, LoadFlags.NO_HINTING, features=features, language=language
                )
            )
            remember(_layouts, key, glyphs)
        return glyphs

    def _get_font_height_metrics(self, prop: Any) -> Heights:
        """What ``Text._get_layout`` would read from the font's tables, remembered (PDF is
        drawn at 72 dpi); the 14 core fonts' metrics as matplotlib gives them."""
        if mpl.rcParams["pdf.use14corefonts"]:
            return super()._get_font_height_metrics(prop)  # type: ignore[no-any-return]
        return font_height_metrics(prop, 72.0)

    def get_text_width_height_descent(
        self, s: str, prop: Any, ismath: bool | str
    ) -> tuple[float, float, float]:
        if ismath:  # math depends on more rcParams than the font: not cached
            return super().get_text_width_height_descent(s, prop, ismath)  # type: ignore[no-any-return]
        key = ("pdf", s, font_key(prop), mpl.rcParams["pdf.use14corefonts"])
        measured = metrics.get(key)
        if measured is None:
            measured = super().get_text_width_height_descent(s, prop, ismath)
            remember(metrics, key, measured)
        return measured
