"""Checking titles and labels before they reach the renderer.

Matplotlib reads text between unescaped dollar signs as math and raises at draw time when the
math is malformed; here that becomes a 400 with the parser's own explanation.
"""

from __future__ import annotations

import threading
from functools import cache

from matplotlib import cbook
from matplotlib.mathtext import MathTextParser, VectorParse

from .errors import InvalidOption, InvalidText, shorten

__all__ = ["check_text"]

_parse_lock = threading.Lock()


@cache
def _parser() -> MathTextParser[VectorParse]:
    return MathTextParser("path")


def check_text(value: str, field: str, *, max_length: int) -> str:
    """Return ``value`` if it is short enough and any math in it parses; raise otherwise."""
    if len(value) > max_length:
        raise InvalidOption(
            f"{field} has {len(value)} characters; at most {max_length} are allowed",
            field=field,
        )
    if "\x00" in value:
        raise InvalidText(f"{field} contains a NUL character", field=field)
    if cbook.is_math_text(value):
        try:
            with _parse_lock:
                _parser().parse(value, dpi=72)
        except ValueError as error:
            reason = str(error).strip().splitlines()[-1] if str(error).strip() else "parse error"
            raise InvalidText(
                f"{field} {shorten(value, 60)} holds math text ($...$) that does not parse: "
                f"{reason}. Escape literal dollar signs as \\$",
                field=field,
            ) from None
    return value
