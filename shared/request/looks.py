"""The looks options checked: theme, background, font size, tick formats, grid, layout, fonts.

Tick formats are read, never evaluated: a number format is parsed with ``string.Formatter``
and may hold only the field ``x`` with a standard format spec (fill, align, sign, width and
precision of at most two digits, grouping, a float type), no attribute or index access, no
conversion and no nested field; a date format may hold only the strftime directives listed in
``DATE_DIRECTIVES``. Dollar signs in their text are escaped, so a format never starts math.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable

from matplotlib.colors import to_rgba

from ..chart.fallback import coverage
from ..chart.looks import theme_rc
from ..errors import InvalidOption, InvalidText, shorten
from ..spec import AxisType, ChartSpec, Looks
from .options import OPTION_HELP, ChartOptions

__all__ = ["DATE_DIRECTIVES", "check_background", "glyph_warnings", "looks_of", "theme_grid"]

DATE_DIRECTIVES = "aAbBcdfHIjmMpSUwWyYzZ%"
"""strftime directives a date tick format may use (the ones every platform's C library has)."""

_NUMBER_SPEC = re.compile(
    r"(?:[^{}$\\]?[<>=^])?[-+ ]?z?#?0?(?:[1-9][0-9]?)?[,_]?(?:\.[0-9]{1,2})?[eEfFgGn%]?\Z"
)
_DIRECTIVE = re.compile(r"%(.?)")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_SAMPLES = (0.0, -1234.5678, 0.25, 1e300, -1e-300)


def theme_grid(theme: str) -> bool:
    """Whether the theme draws grid lines."""
    return bool(theme_rc(theme).get("axes.grid", False))


def check_background(options: ChartOptions) -> None:
    """A background colour matplotlib knows, and not with ``transparent``."""
    if options.background is None:
        return
    try:
        to_rgba(options.background)
    except ValueError:
        raise InvalidOption(
            f"background is {shorten(options.background)}; expected {OPTION_HELP['background']}",
            field="background",
        ) from None
    if options.transparent:
        raise InvalidOption(
            "background colours the figure, but transparent leaves it clear; give one of them",
            field="background",
        )


def number_format(value: str, field: str) -> str:
    """A ``{x:...}`` format checked and made safe to draw; raises ``InvalidOption``."""
    help_text = (
        f"expected a format with the field x, like '{{x:,.0f}}', '{{x:.0%}}' or "
        f"'{{x:.2e}} m' ({OPTION_HELP[field]})"
    )
    try:
        parts = list(string.Formatter().parse(value))
    except ValueError as error:
        raise InvalidOption(
            f"{field} is {shorten(value)}: {error}; {help_text}", field=field
        ) from None
    rebuilt: list[str] = []
    fields = 0
    for literal, name, spec, conversion in parts:
        rebuilt.append(literal.replace("{", "{{").replace("}", "}}").replace("$", "\\$"))
        if name is None:
            continue
        if name != "x" or conversion is not None or not _NUMBER_SPEC.match(spec or ""):
            shown = "{" + name + (f"!{conversion}" if conversion else "")
            shown += (f":{spec}" if spec else "") + "}"
            raise InvalidOption(
                f"{field} holds {shorten(shown)}, which is not allowed: only the field x with a "
                f"number format (fill, align, sign, width and precision up to 99, grouping, "
                f"type e, f, g, n or %); {help_text}",
                field=field,
            )
        rebuilt.append("{x" + (f":{spec}" if spec else "") + "}")
        fields += 1
    if not fields:
        raise InvalidOption(f"{field} is {shorten(value)} without {{x}}; {help_text}", field=field)
    result = "".join(rebuilt)
    try:
        for sample in _SAMPLES:
            result.format(x=sample)
    except (ValueError, TypeError) as error:
        raise InvalidOption(
            f"{field} is {shorten(value)}: {error}; {help_text}", field=field
        ) from None
    return result


def date_format(value: str, field: str) -> str:
    """A strftime format checked and made safe to draw; raises ``InvalidOption``."""
    for match in _DIRECTIVE.finditer(value):
        if not match.group(1) or match.group(1) not in DATE_DIRECTIVES:
            raise InvalidOption(
                f"{field} is {shorten(value)}: {shorten(match.group())} is not a date directive "
                f"allowed here; use %{', %'.join(DATE_DIRECTIVES)} (for example '%Y-%m-%d' or "
                "'%b %d')",
                field=field,
            )
    if "%" not in value:
        raise InvalidOption(
            f"{field} is {shorten(value)} without a date directive; on a date axis it is a "
            "strftime format like '%Y-%m' or '%d %b'",
            field=field,
        )
    return value.replace("$", "\\$")


def _tick_format(value: str | None, field: str, kind: AxisType) -> str:
    if value is None:
        return ""
    bad = _CONTROL.search(value)
    if bad is not None:
        raise InvalidText(
            f"{field} contains the character U+{ord(bad.group()):04X}, which cannot be drawn",
            field=field,
        )
    if kind.kind == "category":
        raise InvalidOption(
            f"{field} formats the ticks of a number or date axis; this axis shows categories, "
            "drawn by name",
            field=field,
        )
    if kind.kind == "date":
        if "{" in value:
            raise InvalidOption(
                f"{field} is {shorten(value)}, a number format, but this axis shows dates: "
                "give a strftime format like '%Y-%m' or '%d %b'",
                field=field,
            )
        return date_format(value, field)
    return number_format(value, field)


def looks_of(options: ChartOptions, xtype: AxisType, ytype: AxisType) -> Looks:
    """The ``Looks`` of the options (without fonts, which ``glyph_warnings`` decides)."""
    check_background(options)
    return Looks(
        theme=options.theme,
        background=options.background,
        font_size=options.font_size,
        xtick_format=_tick_format(options.xtick_format, "xtick_format", xtype),
        ytick_format=_tick_format(options.ytick_format, "ytick_format", ytype),
        layout=options.layout,
    )


def _texts(spec: ChartSpec) -> Iterable[tuple[str, str]]:
    """Every text the chart draws, with the option or column it comes from."""
    yield from (
        ("title", spec.title),
        ("xlabel", spec.xlabel),
        ("ylabel", spec.ylabel),
        ("group", spec.legend_title),
        ("color_column", spec.color_label),
        ("size_column", spec.size_label),
        ("xtick_format", spec.looks.xtick_format),
        ("ytick_format", spec.looks.ytick_format),
    )
    for item in spec.series:
        yield ("group", item.label)
    for label in spec.label_texts:
        yield ("label_column", label)
    for name, axis in (("x_column", spec.xtype), ("y_column", spec.ytype)):
        for category in axis.categories:
            yield (name, category)


def glyph_warnings(spec: ChartSpec) -> tuple[bool, tuple[str, ...]]:
    """Whether the chart needs the shipped fonts, and the ``Warning`` header values for text
    no font can draw (naming the fields, never quoting their text)."""
    texts = [(field, text) for field, text in _texts(spec) if text and not text.isascii()]
    if not texts:
        return False, ()
    found = coverage([text for _, text in texts])
    if not found.missing:
        return found.needs_fallback, ()
    fields = list(dict.fromkeys(field for field, text in texts if coverage([text]).missing))
    named = ", ".join(fields)
    return found.needs_fallback, (
        f"299 - \"{named}: {found.missing} character(s) have no glyph in the service's fonts "
        'and are drawn as boxes"',
    )
