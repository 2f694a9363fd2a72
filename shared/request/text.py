"""Checking titles and labels before they reach the renderer.

Matplotlib reads text between unescaped dollar signs as math and raises at draw time when the
math is malformed; here that becomes a 400 with the parser's own explanation. The math parser is
imported and built only when a text holds a ``$``: most charts never need it.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from matplotlib import cbook

from ..chart.mpllock import MATPLOTLIB_LOCK
from ..errors import InvalidData, InvalidOption, InvalidText, shorten

if TYPE_CHECKING:
    from matplotlib.mathtext import MathTextParser, VectorParse

__all__ = ["MAX_MATH_DEPTH", "check_text", "data_label"]

MAX_MATH_DEPTH = 10
"""Deepest nesting of math groups: matplotlib's math parser recurses about 40 frames per
level and fails near 25 levels."""

# C0 controls but the line feed, DEL and C1 controls, and UTF-16 surrogates (which a JSON
# "\ud800" escape or a lenient URL decoder can produce, and which fonts cannot encode)
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


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
def _parser() -> MathTextParser[VectorParse]:
    from matplotlib.mathtext import MathTextParser

    return MathTextParser("path")


def check_text(value: str, field: str, *, max_length: int) -> str:
    """Return ``value`` if it is short enough and any math in it parses; raise otherwise."""
    if len(value) > max_length:
        raise InvalidOption(
            f"{field} has {len(value)} characters; at most {max_length} are allowed",
            field=field,
        )
    bad = _CONTROL.search(value)
    if bad is not None:
        raise InvalidText(
            f"{field} contains the character U+{ord(bad.group()):04X} at {bad.start()}, which "
            "cannot be drawn (control characters and lone surrogates are not text); "
            "only line breaks are allowed",
            field=field,
        )
    if cbook.is_math_text(value):
        depth = _brace_depth(value)
        if depth > MAX_MATH_DEPTH:
            raise InvalidText(
                f"{field} nests math groups {{...}} {depth} deep; at most {MAX_MATH_DEPTH} "
                "levels are allowed",
                field=field,
            )
        try:
            with MATPLOTLIB_LOCK:
                _parser().parse(value, dpi=72)
        except RecursionError:
            raise InvalidText(f"{field} holds math text nested too deeply", field=field) from None
        except ValueError as error:
            reason = str(error).strip().splitlines()[-1] if str(error).strip() else "parse error"
            raise InvalidText(
                f"{field} {shorten(value, 60)} holds math text ($...$) that does not parse: "
                f"{reason}. Escape literal dollar signs as \\$",
                field=field,
            ) from None
    return value


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
