"""Checking titles and labels before they reach the renderer, the way matplotlib will draw them.

Matplotlib lays out each line of a text on its own, and reads a line between unescaped dollar
signs as math, which raises at draw time when it is malformed, nests too deeply, or sizes a
glyph FreeType cannot render (a script too small at a low dpi, a rule thousands of pages
thick). So each math line is laid out here as the chart's format will lay it out (raster
formats: rendered to pixels at the chart's dpi; SVG and PDF: as paths at 72 dpi, the points
those backends use) with the title's or the label's font, and any failure, or a line too large
to be drawn at all, is a 400 ``InvalidText`` naming the field. The math parser is imported
and built only when a text holds a ``$``: most charts never need it.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, Literal, cast

from ..chart.fonts import release_glyphs
from ..errors import InvalidData, InvalidOption, InvalidText, shorten
from ..formats import FORMATS
from ..quiet import matplotlib_work

__all__ = ["MAX_MATH_DEPTH", "MAX_TEXT_SIDE", "check_text", "data_label"]

MAX_MATH_DEPTH = 10
"""Deepest nesting of math groups: matplotlib's math parser recurses about 40 frames per
level and fails near 25 levels."""

MAX_TEXT_SIDE = 32_768
"""Widest or tallest line of math, in pixels at the chart's dpi (points for SVG and PDF): a
line of the longest text at 600 dpi is about 24 000 pixels wide; FreeType's and Agg's
coordinates overflow not far beyond."""

RASTER_CHECK_SIDE = 1024
"""A line of math larger than this (pixels) is also rendered to pixels by the check; smaller
ones are laid out only (rendering doubled the check's cost, ~25 ms for deep math)."""

# C0 controls but the line feed, DEL and C1 controls, UTF-16 surrogates (which a JSON
# "\ud800" escape or a lenient URL decoder can produce, and which fonts cannot encode), and
# U+FEFF (a byte-order mark, which matplotlib's PDF writer cannot place)
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff]")
_FIELD_FONT = {"title": "axes.title", "xlabel": "axes.label", "ylabel": "axes.label"}


def _brace_depth(value: str) -> int:
    """How deeply ``{...}`` groups nest (escaped ``\\{`` does not count)."""
    depth = deepest = 0
    escaped = False
    for char in value:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "{":
            depth += 1
            deepest = max(deepest, depth)
        elif char == "}":
            depth = max(depth - 1, 0)
    return deepest


@cache
def _parser(output: Literal["path", "agg"]) -> Any:
    """matplotlib's math parser for ``"path"`` (vector) or ``"agg"`` (raster) output."""
    from matplotlib.mathtext import MathTextParser  # imported only when a text holds math

    return MathTextParser(output)


@cache
def _font(field: str) -> Any:
    """The font properties matplotlib gives the title or an axis label."""
    import matplotlib as mpl
    from matplotlib.font_manager import FontProperties

    prefix = _FIELD_FONT.get(field, "axes.label")
    rc = cast(dict[str, Any], mpl.rcParams)
    return FontProperties(size=rc[f"{prefix}size"], weight=rc[f"{prefix}weight"])


def check_text(
    value: str,
    field: str,
    *,
    max_length: int,
    image_format: str = "png",
    dpi: float = 100.0,
    max_pixels: int = 4096 * 4096,
) -> str:
    """Return ``value`` if it can be drawn as ``image_format`` at ``dpi``; raise otherwise.

    ``max_pixels`` bounds the area of one line of math (a line larger than the largest
    chart can never be shown).
    """
    if len(value) > max_length:
        raise InvalidOption(
            f"{field} has {len(value)} characters; at most {max_length} are allowed",
            field=field,
        )
    bad = _CONTROL.search(value)
    if bad is not None:
        raise InvalidText(
            f"{field} contains the character U+{ord(bad.group()):04X} at {bad.start()}, which "
            "cannot be drawn (control characters, byte-order marks and lone surrogates are "
            "not text); only line breaks are allowed",
            field=field,
        )
    if "$" not in value:
        return value
    from matplotlib import cbook

    try:
        for line in value.split("\n"):  # matplotlib lays out each line on its own
            if cbook.is_math_text(line):
                _check_math(line, field, FORMATS[image_format].raster, dpi, max_pixels)
    finally:
        release_glyphs()  # a request refused later must not leave its glyphs behind
    return value


def _extent(box: Any, em: float) -> tuple[float, float]:
    """Width and height of what a parsed line covers: its box, and every glyph and rule in it
    (a negative space can move a glyph far outside the box), with an em of slack."""
    xs = [0.0, box.width]
    ys = [0.0, box.height]
    for *_, x, y in box.glyphs:
        xs.append(x)
        ys.append(y)
    for x, y, w, h in box.rects:
        xs += (x, x + w)
        ys += (y, y + h)
    return max(xs) - min(xs) + 2 * em, max(ys) - min(ys) + 2 * em


def _check_math(line: str, field: str, raster: bool, dpi: float, max_pixels: int) -> None:
    """Lay out one line of math as the chart will; ``InvalidText`` if that cannot be done."""
    depth = _brace_depth(line)
    if depth > MAX_MATH_DEPTH:
        raise InvalidText(
            f"{field} nests math groups {{...}} {depth} deep; at most {MAX_MATH_DEPTH} "
            "levels are allowed",
            field=field,
        )
    at = dpi if raster else 72.0
    where = f"at {dpi:g} dpi" if raster else "as a vector image"
    try:
        with matplotlib_work():
            box = _parser("path").parse(line, at, _font(field))
            width, height = _extent(box, _font(field).get_size_in_points() * at / 72)
            if max(width, height) > MAX_TEXT_SIDE or width * height > max_pixels:
                raise InvalidText(
                    f"{field} holds math text {width:.0f} x {height:.0f} pixels large {where}; "
                    f"a line may be at most {MAX_TEXT_SIDE} pixels wide or tall and "
                    f"{max_pixels} pixels in all",
                    field=field,
                )
            if raster and max(width, height) > RASTER_CHECK_SIDE:
                # rendered as the chart will render it: FreeType's rasterizer has limits of
                # its own on large outlines (sizes it refuses already failed in the layout)
                _parser("agg").parse(line, at, _font(field))
    except InvalidText:
        raise
    except RecursionError:
        raise InvalidText(f"{field} holds math text nested too deeply", field=field) from None
    except ValueError as error:
        reason = str(error).strip().splitlines()[-1] if str(error).strip() else "parse error"
        raise InvalidText(
            f"{field} {shorten(line, 60)} holds math text ($...$) that does not parse: "
            f"{reason}. Escape literal dollar signs as \\$",
            field=field,
        ) from None
    except Exception as error:  # FreeType refusing a size, an overflow: the text's doing
        raise InvalidText(
            f"{field} holds math text that cannot be drawn {where} "
            f"({type(error).__name__}: a glyph, rule or space too small or too large for the "
            "font renderer)",
            field=field,
        ) from None


def data_label(value: str, field: str, *, max_length: int) -> str:
    """Text from the client's data (a column name, a category, a group) as a label.

    It is drawn as written: dollar signs are escaped, so ``$5`` never starts math. Control
    characters and text longer than ``max_length`` are refused with ``InvalidData``.
    """
    if len(value) > max_length:
        raise InvalidData(
            f"{shorten(value, 60)} ({field}) would be drawn as a label of {len(value)} "
            f"characters; labels may have at most {max_length}",
            field=field,
        )
    bad = _CONTROL.search(value)
    if bad is not None:
        raise InvalidData(
            f"{shorten(value, 60)} ({field}) holds the character U+{ord(bad.group()):04X} at "
            f"{bad.start()}, which cannot be drawn as a label",
            field=field,
        )
    return value.replace("$", "\\$")
