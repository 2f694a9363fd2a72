"""Where the text of a drawn figure lies: the union of the boxes of every line drawn.

Every line of text matplotlib draws goes through one renderer call,
``draw_text(gc, x, y, s, prop, angle, ismath, mtext)``, at the line's baseline start (y
downwards from the top on a renderer that ``flipy``, as Agg). Its box
is the one ``Text.get_window_extent`` gives that line: the string's width, its ascent and
descent but at least the font's (the OS/2 or hhea table, as ``Text._get_layout`` reads them),
half the font's line gap more on each side when the line is one of several (matplotlib passes
``mtext=None`` then), turned by the text's angle about the baseline start.

``TextBounds`` adds those boxes up. The plain path feeds it from a measuring pass
(``measure``: the figure drawn with every drawing call but ``draw_text`` switched off), the
fast path from the drawing calls its renderer makes anyway, replayed ones included; both
compute the same numbers from the same calls, so both decide alike whether a chart's text
fits its canvas (``shared.chart.layout``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from matplotlib.figure import Figure
from matplotlib.font_manager import fontManager, get_font

__all__ = [
    "TextBounds",
    "font_height_metrics",
    "font_key",
    "font_table_metrics",
    "measure",
    "measure_draws",
]

_MAX_ENTRIES = 20_000


def font_key(prop: Any) -> tuple[object, ...]:
    """What of a font's properties decides how its text is laid out (a cache key)."""
    return (
        tuple(prop.get_family()),
        prop.get_slant(),
        prop.get_variant(),
        prop.get_weight(),
        prop.get_stretch(),
        prop.get_size_in_points(),
        prop.get_file(),
        prop.get_math_fontfamily(),
    )


def font_table_metrics(prop: Any, dpi: float) -> tuple[float, float, float] | None:
    """Ascent, descent and line gap of ``prop``'s font at ``dpi`` in pixels, from its OS/2 or
    hhea table with ``Text._get_layout``'s own arithmetic (so the same floats); ``None`` for a
    font with neither table. Not cached: callers keep what they need."""
    font: Any = get_font(fontManager._find_fonts_by_props(prop))  # tables vary by name
    for table_name, linegap_key, ascent_key, descent_key in (
        ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
        ("hhea", "lineGap", "ascent", "descent"),
    ):
        table = font.get_sfnt_table(table_name)
        if table is None:
            continue
        fontsize = prop.get_size_in_points()
        units_per_em = font.get_sfnt_table("head")["unitsPerEm"]
        scale = 1 / units_per_em * fontsize * dpi / 72
        return (table[ascent_key] * scale, -table[descent_key] * scale, table[linegap_key] * scale)
    return None  # pragma: no cover - every font matplotlib ships has the tables


def font_height_metrics(prop: Any, dpi: float) -> tuple[float, float, float]:
    """Ascent, descent and line gap of a font in pixels, as ``Text._get_layout`` reads them."""
    return font_table_metrics(prop, dpi) or (0.0, 0.0, 0.0)


class TextBounds:
    """The smallest box holding every line box added since ``reset`` (display pixels, y up)."""

    def __init__(self) -> None:
        self._metrics: dict[tuple[object, ...], tuple[float, float, float]] = {}
        self._fonts: dict[tuple[object, ...], tuple[float, float, float]] = {}
        self.reset()

    def reset(self, start: tuple[float, float, float, float] | None = None) -> None:
        """Forget every box (or start from ``start``, a box kept from an earlier draw)."""
        self.x0, self.y0, self.x1, self.y1 = start or (math.inf, math.inf, -math.inf, -math.inf)

    @property
    def box(self) -> tuple[float, float, float, float] | None:
        """``(x0, y0, x1, y1)``, or ``None`` when no text was drawn."""
        if self.x0 > self.x1:
            return None
        return (self.x0, self.y0, self.x1, self.y1)

    def inside(self, width: float, height: float) -> bool:
        """Whether every line lies within a ``width`` x ``height`` canvas."""
        return self.x0 > self.x1 or (
            self.x0 >= 0 and self.y0 >= 0 and self.x1 <= width and self.y1 <= height
        )

    def add(
        self,
        renderer: Any,
        x: float,
        y: float,
        s: str,
        prop: Any,
        angle: float,
        ismath: bool | str,
        alone: bool,
    ) -> None:
        """The box of one ``draw_text`` call (``alone``: ``mtext`` was given, one line)."""
        if renderer.flipy():  # Agg counts y downwards from the top, as Text.draw passes it
            y = renderer.get_canvas_width_height()[1] - y
        dpi = renderer.dpi
        font = font_key(prop)
        key = (s, font, ismath, dpi)
        metrics = self._metrics.get(key)
        if metrics is None:
            if len(self._metrics) > _MAX_ENTRIES:
                self._metrics.clear()
            metrics = renderer.get_text_width_height_descent(s, prop, ismath=ismath)
            self._metrics[key] = metrics
        width, height, descent = metrics
        heights = self._fonts.get((font, dpi))
        if heights is None:
            heights = self._fonts[(font, dpi)] = font_height_metrics(prop, dpi)
        min_ascent, min_descent, line_gap = heights
        gap = 0.0 if alone else line_gap / 2
        up = max(height - descent, min_ascent) + gap
        down = max(descent, min_descent) + gap
        if angle == 0:
            xs: tuple[float, ...] = (x, x + width)
            ys: tuple[float, ...] = (y - down, y + up)
        else:
            cos = math.cos(math.radians(angle))
            sin = math.sin(math.radians(angle))
            corners = ((0.0, -down), (width, -down), (width, up), (0.0, up))
            xs = tuple(x + cx * cos - cy * sin for cx, cy in corners)
            ys = tuple(y + cx * sin + cy * cos for cx, cy in corners)
        self.x0 = min(self.x0, *xs)
        self.x1 = max(self.x1, *xs)
        self.y0 = min(self.y0, *ys)
        self.y1 = max(self.y1, *ys)


@contextmanager
def _only_text(renderer: Any, bounds: TextBounds) -> Iterator[None]:
    """``renderer`` with every drawing call switched off but ``draw_text``, which measures."""

    def measure_text(
        gc: Any,
        x: float,
        y: float,
        s: str,
        prop: Any,
        angle: float,
        ismath: bool | str = False,
        mtext: Any = None,
    ) -> None:
        bounds.add(renderer, x, y, s, prop, angle, ismath, mtext is not None)

    def nothing(*args: Any, **kwargs: Any) -> None:
        return None

    names = [name for name in dir(renderer) if name.startswith("draw_")]
    names += ["open_group", "close_group"]
    saved = {name: renderer.__dict__[name] for name in names if name in renderer.__dict__}
    for name in names:
        setattr(renderer, name, measure_text if name == "draw_text" else nothing)
    try:
        yield
    finally:
        for name in names:
            if name in saved:
                setattr(renderer, name, saved[name])
            else:
                delattr(renderer, name)


def measure(
    figure: Figure, bounds: TextBounds | None = None, *, renderer: Any = None
) -> TextBounds:
    """Lay ``figure`` out as a draw would, drawing nothing, and return where its text lies.

    ``renderer`` is an Agg renderer of the figure's size and dpi (default: its canvas's).
    Hold ``MATPLOTLIB_LOCK`` (and the chart's ``styled`` rcParams) around it.
    """
    bounds = bounds or TextBounds()
    bounds.reset()
    if renderer is None:
        renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    # markers and lines draw no text: left out, they cost nothing (a legend's "best" place
    # reads their data whether they are visible or not)
    hidden = [
        artist
        for axes in figure.axes
        for artist in (*axes.collections, *axes.lines)
        if artist.get_visible()
    ]
    for artist in hidden:
        artist.set_visible(False)
    try:
        with _only_text(renderer, bounds):
            figure.draw(renderer)
    finally:
        for artist in hidden:
            artist.set_visible(True)
    return bounds


def measure_draws(draws: list[Any], renderer: Any, bounds: TextBounds | None = None) -> TextBounds:
    """Where the text lies that the ``draws`` (artists' ``draw`` methods) put on ``renderer``,
    drawing nothing (as ``measure``, for a part of a figure)."""
    bounds = bounds or TextBounds()
    bounds.reset()
    with _only_text(renderer, bounds):
        for draw in draws:
            draw(renderer)
    return bounds
