"""matplotlib's SVG renderer, writing the same bytes faster where a scatter chart spends its time.

``SvgRenderer`` is ``RendererSVG`` with three changes, none of which changes a byte of what
matplotlib would write for the same figure with the same ``svg.hashsalt``:

* ids are hashed with a fixed salt when ``rcParams["svg.hashsalt"]`` is unset (matplotlib then
  uses a random one), so the same chart always gives the same bytes and a strong ETag holds;
* ``draw_markers`` writes the ``<use>`` element of every marker in one pass: the positions come
  from the same ``Path.cleaned`` call ``Path.iter_segments`` makes (same transform, clipping and
  NaN removal), are formatted as matplotlib formats them, and the style string, which is the
  same for every marker, is computed once instead of once per marker;
* plain text (not math) reuses the glyph layout of each string, and its metrics, per string
  and font file: matplotlib recomputes both on every draw.

``restart`` points the renderer at a new document, so that one renderer object serves a
prepared chart from request to request and matplotlib's text-metric caches, which are keyed by
renderer, keep hitting. This leans on internals of the pinned matplotlib (3.11.x); the tests
compare the output with matplotlib's own ``savefig`` byte for byte.
"""

from __future__ import annotations

import hashlib
from typing import Any, Final

import matplotlib as mpl
from matplotlib.backends.backend_svg import (
    RendererSVG,
    _generate_css,
    _generate_transform,
    _quote_escape_attrib,
    _short_float_fmt,
)
from matplotlib.colors import rgb2hex
from matplotlib.transforms import Affine2D

from .vectorkit import (
    FEW_MARKERS,
    Heights,
    font_height_metrics,
    font_key,
    layouts,
    marker_positions,
    metrics,
    remember,
)

__all__ = ["SVG_HASH_SALT", "SvgRenderer"]

SVG_HASH_SALT: Final = "scatterplot"
"""The salt of element ids when ``rcParams["svg.hashsalt"]`` is unset. Setting that rcParam to
this value makes matplotlib's own ``savefig`` write the same bytes as this renderer."""


class SvgRenderer(RendererSVG):
    """``RendererSVG`` with deterministic ids, one-pass markers and cached text layouts."""

    def __init__(self, width: float, height: float, svgwriter: Any, *, image_dpi: float) -> None:
        super().__init__(width, height, svgwriter, image_dpi=image_dpi, metadata={"Date": None})
        self._file = svgwriter

    def restart(self, width: float, height: float, svgwriter: Any, *, image_dpi: float) -> None:
        """Start a new document on ``svgwriter``, keeping this object (and caches keyed by it)."""
        self.__init__(width, height, svgwriter, image_dpi=image_dpi)  # type: ignore[misc]

    def _make_id(self, type: str, content: object) -> str:
        salt = mpl.rcParams["svg.hashsalt"]
        if salt is None:
            salt = SVG_HASH_SALT
        digest = hashlib.sha256()
        digest.update(salt.encode("utf8"))
        digest.update(str(content).encode("utf8"))
        return f"{type}{digest.hexdigest()[:10]}"

    def draw_markers(
        self,
        gc: Any,
        marker_path: Any,
        marker_trans: Any,
        path: Any,
        trans: Any,
        rgbFace: Any = None,
    ) -> None:
        if len(path.vertices) < FEW_MARKERS or gc.get_url() is not None:
            super().draw_markers(gc, marker_path, marker_trans, path, trans, rgbFace)
            return
        trans_and_flip = self._make_flip_transform(trans)
        clip = (0, 0, self.width * 72, self.height * 72)
        positions = marker_positions(path, trans_and_flip, clip)
        if positions is None:  # pragma: no cover - see marker_positions
            super().draw_markers(gc, marker_path, marker_trans, path, trans, rgbFace)
            return
        # from here on, what RendererSVG.draw_markers does, in the same order
        writer = self.writer
        path_data = self._convert_path(
            marker_path, marker_trans + Affine2D().scale(1.0, -1.0), simplify=False
        )
        style = self._get_style_dict(gc, rgbFace)
        dictkey = (path_data, _generate_css(style))
        oid = self._markers.get(dictkey)
        stroke = _generate_css({k: v for k, v in style.items() if k.startswith("stroke")})
        if oid is None:
            oid = self._make_id("m", dictkey)
            writer.start("defs")
            writer.element("path", id=oid, d=path_data, style=stroke)
            writer.end("defs")
            self._markers[dictkey] = oid
        writer.start("g", **self._get_clip_attrs(gc))
        if not len(positions):
            writer.end("g")
            return
        use_style = self._get_style(gc, rgbFace)
        first_x, first_y = positions[0]
        attrib = {"xlink:href": f"#{oid}", "x": _short_float_fmt(first_x)}
        attrib["y"] = _short_float_fmt(first_y)
        attrib["style"] = use_style
        writer.element("use", attrib=attrib)  # closes the open <g> tag; the writer is idle after
        self._write_uses(positions[1:], oid, use_style)
        writer.end("g")

    def _write_uses(self, positions: Any, oid: str, style: str) -> None:
        """The rest of the ``<use>`` elements, written as ``_XMLWriter.element`` writes them."""
        tags = vars(self.writer)["_XMLWriter__tags"]  # the elements open around the <use>s
        indent = " " * len(tags)
        head = f'{indent}<use xlink:href={_quote_escape_attrib("#" + oid)} x="'
        tail = f'" style={_quote_escape_attrib(style)}/>\n' if style else '"/>\n'
        lines = [
            f'{head}{f"{x:f}".rstrip("0").rstrip(".")}" y="{f"{y:f}".rstrip("0").rstrip(".")}{tail}'
            for x, y in positions.tolist()
        ]
        self._file.write("".join(lines))

    def _draw_text_as_path(
        self,
        gc: Any,
        x: float,
        y: float,
        s: str,
        prop: Any,
        angle: float,
        ismath: bool | str,
        mtext: Any = None,
    ) -> None:
        if ismath:
            super()._draw_text_as_path(gc, x, y, s, prop, angle, ismath, mtext)
            return
        # RendererSVG._draw_text_as_path for plain text, with the glyph layout cached
        writer = self.writer
        writer.comment(s)
        text2path: Any = self._text2path
        color = rgb2hex(gc.get_rgb())
        fontsize = prop.get_size_in_points()
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        style = {}
        if color != "#000000":
            style["fill"] = color
        alpha = gc.get_alpha() if gc.get_forced_alpha() else gc.get_rgb()[3]
        if alpha != 1:
            style["opacity"] = _short_float_fmt(alpha)
        font_scale = fontsize / text2path.FONT_SCALE
        writer.start(
            "g",
            style=_generate_css(style),
            transform=_generate_transform(
                [
                    ("translate", (x, y)),
                    ("rotate", (-angle,)),
                    ("scale", (font_scale, -font_scale)),
                ]
            ),
        )
        key = (s, font_key(prop), features, language)
        cached = layouts.get(key)
        if cached is None:
            font = text2path._get_font(prop)
            glyph_info, every_glyph, _ = text2path.get_glyphs_with_font(
                font, s, features=features, language=language, glyph_map={},
                return_new_glyphs_only=True,
            )  # fmt: skip
            cached = (glyph_info, dict(every_glyph))
            remember(layouts, key, cached)
        glyph_info, every_glyph = cached
        defined = self._glyph_map
        self._update_glyph_map_defs({k: v for k, v in every_glyph.items() if k not in defined})
        for glyph_repr, xposition, yposition, scale in glyph_info:
            writer.element(
                "use",
                transform=_generate_transform(
                    [("translate", (xposition, yposition)), ("scale", (scale,))]
                ),
                attrib={"xlink:href": f"#{glyph_repr}"},
            )
        writer.end("g")

    def _get_font_height_metrics(self, prop: Any) -> Heights:
        """What ``Text._get_layout`` would read from the font's tables, remembered (SVG is
        drawn at 72 dpi)."""
        return font_height_metrics(prop, 72.0)

    def get_text_width_height_descent(
        self, s: str, prop: Any, ismath: bool | str
    ) -> tuple[float, float, float]:
        if ismath:  # math depends on more rcParams than the font: not cached
            return super().get_text_width_height_descent(s, prop, ismath)  # type: ignore[no-any-return]
        key = ("svg", s, font_key(prop))
        measured = metrics.get(key)
        if measured is None:
            measured = super().get_text_width_height_descent(s, prop, ismath)
            remember(metrics, key, measured)
        return measured
