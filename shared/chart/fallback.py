"""Fonts for text the default font cannot draw: matplotlib's font fallback over shipped files.

DejaVu Sans, matplotlib's default font, draws Latin, Greek, Cyrillic, Armenian, Georgian,
Hebrew, Arabic, many symbols and the emoticons block in one colour. The files in
``shared/fonts/`` (listed with their licences in its README) add Chinese, Japanese, Korean,
Devanagari, Bengali, Tamil and Thai. A chart whose text holds a character DejaVu Sans lacks is
drawn with ``font.family`` set to the theme's families followed by the shipped ones
(``fallback_families``): matplotlib takes each character from the first font that has it.

The files are registered with ``fontManager.addfont`` on their known paths (no directory scan,
and the font list that ``shared.mplconfig`` prepares stays as it is), once, the first time a
chart needs them; a chart of DejaVu Sans text never loads them. ``coverage`` answers, from the
fonts' character maps, whether a text needs the fallback and how many of its characters no
font has (those draw as boxes: the answer then carries a ``Warning`` header).
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import matplotlib
from matplotlib import ft2font
from matplotlib.font_manager import fontManager

from .mpllock import MATPLOTLIB_LOCK

__all__ = ["FONT_DIR", "Coverage", "coverage", "fallback_families", "font_files"]

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
_FIRST = "DroidSansFallback.ttf"
_registered = threading.Event()


@dataclass(frozen=True, slots=True)
class Coverage:
    """What the fonts make of a text."""

    needs_fallback: bool
    """Some character is not in DejaVu Sans but in a shipped font."""
    missing: int
    """Characters no font has: drawn as boxes."""


def font_files() -> tuple[Path, ...]:
    """The shipped font files, in fallback order (Droid Sans Fallback first, then by name)."""
    files = sorted(path for path in FONT_DIR.iterdir() if path.suffix.lower() in (".ttf", ".otf"))
    return tuple(sorted(files, key=lambda path: path.name != _FIRST))


@cache
def _charmap(path: str) -> frozenset[int]:
    with MATPLOTLIB_LOCK:  # FreeType faces share one library: opened under the lock
        return frozenset(ft2font.FT2Font(path).get_charmap())


@cache
def _default_charmap() -> frozenset[int]:
    return _charmap(str(Path(matplotlib.get_data_path(), "fonts", "ttf", "DejaVuSans.ttf")))


@cache
def _fallback_charmap() -> frozenset[int]:
    covered: set[int] = set()
    for path in font_files():
        covered |= _charmap(str(path))
    return frozenset(covered)


def _drawn(char: str) -> bool:
    """Whether a character needs a glyph (controls, format characters and spaces do not)."""
    return not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf")


def coverage(texts: tuple[str, ...] | list[str]) -> Coverage:
    """Whether ``texts`` need the shipped fonts, and how many characters none of them has."""
    if all(text.isascii() for text in texts):
        return Coverage(needs_fallback=False, missing=0)
    default = _default_charmap()
    lacking = [
        char
        for text in texts
        for char in text
        if not char.isascii() and ord(char) not in default and _drawn(char)
    ]
    if not lacking:
        return Coverage(needs_fallback=False, missing=0)
    fallback = _fallback_charmap()
    missing = sum(1 for char in lacking if ord(char) not in fallback)
    return Coverage(needs_fallback=len(lacking) > missing, missing=missing)


@cache
def _families() -> tuple[str, ...]:
    with MATPLOTLIB_LOCK:
        return tuple(ft2font.FT2Font(str(path)).family_name for path in font_files())


def fallback_families() -> tuple[str, ...]:
    """The shipped fonts' family names, registered with matplotlib's font manager first."""
    if not _registered.is_set():
        with MATPLOTLIB_LOCK:
            if not _registered.is_set():
                for path in font_files():
                    fontManager.addfont(path)
                _registered.set()
    return _families()
