"""Text that is never cut off: the chart's layout under ``layout=auto``.

``layout`` is one of:

* ``auto`` (the default): the recipe's layout (matplotlib's default subplot margins) when every
  line of text lies inside the canvas, which is the reference chart's case: then the pixels are
  the recipe's. Otherwise ``settle`` adapts the layout, in this order, until every line fits:

  1. titles and axis labels wider than the canvas are wrapped at spaces (or anywhere in a word
     longer than a line) to a few lines, the last shortened with an ellipsis; legend entries
     (each line of a trend line's equation and R²), point labels and category tick labels are
     shortened with an ellipsis;
  2. each margin that text overflows grows to hold it (the others keep the recipe's);
  3. if the plot area would then be less than half the canvas in width or height, everything
     drawn in points (text, markers, lines, pads) is drawn smaller, by drawing the same
     canvas at a lower dpi (no smaller than text of ``MIN_TEXT_PIXELS`` pixels), and 1-2
     again;
  4. if even that does not fit (a canvas of a few dozen pixels), text is left out: the title,
     then the axis labels and the colorbar's, then legends, then point labels, then the tick
     labels and tick marks.

* ``tight`` and ``constrained``: matplotlib's layout engines, as ``Figure(layout=...)``; they
  may still leave text outside a canvas too small for it.
* ``none``: matplotlib's default layout, as the recipe draws it, whatever it cuts off.

Whether text fits is decided by ``textbox``: the same numbers on the plain path (a measuring
pass) and on the fast path (its own draw), so both paths draw the same chart. The fast path
draws ``auto`` charts whose text fits, and declines the others, which the plain path adapts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from matplotlib import cbook
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.text import Annotation, Text
from matplotlib.ticker import FuncFormatter

from ..spec import ChartSpec
from .textbox import TextBounds, measure

__all__ = ["ELLIPSIS", "MIN_PLOT_FRACTION", "MIN_TEXT_PIXELS", "engine_of", "settle"]

ELLIPSIS = "\u2026"
MIN_PLOT_FRACTION = 0.5
"""The plot area keeps at least this share of the canvas' width and height before text shrinks."""
MIN_TEXT_PIXELS = 7.0
"""Text is not drawn smaller than this (the base font size in pixels) to make room."""
_UNESCAPED_DOLLAR = re.compile(r"(?<!\\)\$")
_STEP = 0.85  # each try draws at least this much smaller
_TRIES = 5
_PASSES = 2


def engine_of(spec: ChartSpec) -> Any:
    """The ``Figure(layout=...)`` value for the spec: a matplotlib engine's name, or ``None``."""
    return spec.looks.layout if spec.looks.layout in ("tight", "constrained") else None


def _canvas(figure: Figure) -> tuple[float, float]:
    width, height = figure.bbox.size
    return float(width), float(height)


def fits(figure: Figure, bounds: TextBounds) -> bool:
    """Whether every line of text lies inside the figure's canvas."""
    return bounds.inside(*_canvas(figure))


def settle(figure: Figure, axes: Axes, spec: ChartSpec) -> bool:
    """Under ``layout=auto``, adapt ``figure`` until its text fits (see the module's notes);
    whether it had to. Hold ``MATPLOTLIB_LOCK`` and the chart's ``styled`` rcParams."""
    bounds = measure(figure)
    if fits(figure, bounds):
        return False
    _Adapter(figure, axes, spec, bounds).run()
    return True


class _Adapter:
    """The steps of ``settle`` on one figure."""

    def __init__(self, figure: Figure, axes: Axes, spec: ChartSpec, bounds: TextBounds) -> None:
        self.figure = figure
        self.axes = axes
        self.spec = spec
        self.bounds = bounds
        self.width, self.height = _canvas(figure)
        self.margins = (
            figure.subplotpars.left,
            figure.subplotpars.bottom,
            figure.subplotpars.right,
            figure.subplotpars.top,
        )
        self.colorbars = [other for other in figure.axes if other is not axes]
        self.texts: list[tuple[Text, str]] = [
            (text, text.get_text()) for text in self._labels() if text.get_text()
        ]
        self.legends = [legend for legend in self._legends()]
        self.legend_texts = [
            (text, text.get_text()) for legend in self.legends for text in _legend_texts(legend)
        ]
        self.point_labels = [text for text in axes.texts if isinstance(text, Annotation)]
        self.short_texts = [
            *self.legend_texts,
            *((text, text.get_text()) for text in self.point_labels),
        ]
        """Texts shortened to one line (per line they hold) of half the plot's width."""
        self._widths: dict[tuple[int, float], Callable[[str], float]] = {}
        self.formatters = [
            (axis, axis.get_major_formatter())
            for axis, kind in ((axes.xaxis, spec.xtype.kind), (axes.yaxis, spec.ytype.kind))
            if kind == "category"
        ]

    def _labels(self) -> list[Text]:
        labels = [self.axes.title, self.axes.xaxis.label, self.axes.yaxis.label]
        for bar in self.colorbars:
            labels += [bar.yaxis.label, bar.xaxis.label]
        return labels

    def _legends(self) -> Iterator[Legend]:
        yield from (artist for artist in self.axes.artists if isinstance(artist, Legend))
        if self.axes.legend_ is not None:
            yield self.axes.legend_

    def run(self) -> None:
        base = _base_pixels(self.axes)
        smallest = min(1.0, MIN_TEXT_PIXELS / base) if base > 0 else 1.0
        factor = 1.0
        for _ in range(_TRIES):
            done, wanted = self._try(factor)
            if done:
                return
            following = max(min(factor * _STEP, wanted), smallest)
            if following >= factor:
                break
            factor = following
        self._leave_out(smallest)

    def _try(self, factor: float) -> tuple[bool, float]:
        """Draw at ``factor`` times the size: whether the text then fits a big enough plot,
        and the factor at which the text around the plot would leave it half the canvas."""
        self._scale(factor)
        self.figure.subplots_adjust(*self.margins)
        wanted = factor
        for attempt in range(_PASSES):
            changed = self._shorten()
            if attempt or factor != 1.0 or changed or self.bounds.box is None:
                bounds = measure(self.figure, self.bounds)
            else:  # the recipe's layout, as settle measured it
                bounds = self.bounds
            if attempt == 0:
                wanted = factor * self._room_factor(bounds)
            if self._fits(bounds):
                return self._roomy(), wanted
            if not self._grow_margins(bounds):
                return False, wanted
        bounds = measure(self.figure, self.bounds)
        return self._fits(bounds) and self._roomy(), wanted

    def _fits(self, bounds: TextBounds) -> bool:
        """The text fits, and so do the legends' frames (once the layout is adapted)."""
        if not fits(self.figure, bounds):
            return False
        renderer: Any = self.figure.canvas.get_renderer()  # type: ignore[attr-defined]
        for legend in self.legends:
            if legend.get_visible():
                box = legend.get_window_extent(renderer)
                if box.x0 < 0 or box.y0 < 0 or box.x1 > self.width or box.y1 > self.height:
                    bounds.x0 = min(bounds.x0, box.x0)
                    bounds.y0 = min(bounds.y0, box.y0)
                    bounds.x1 = max(bounds.x1, box.x1)
                    bounds.y1 = max(bounds.y1, box.y1)
                    return False
        return True

    def _room_factor(self, bounds: TextBounds) -> float:
        """How much smaller the text around the plot must be to leave the plot half the
        canvas (text scales with the factor, the canvas does not)."""
        box = bounds.box
        if box is None:  # pragma: no cover - a figure that overflows has text
            return 1.0
        tx0, ty0, tx1, ty1 = box
        px0, py0, px1, py1 = self._plot_box()
        pad = 2 * self._pad()
        across = max(px0 - tx0, 0.0) + max(tx1 - px1, 0.0) + pad
        along = max(py0 - ty0, 0.0) + max(ty1 - py1, 0.0) + pad
        room = 1 - MIN_PLOT_FRACTION
        return min(1.0, room * self.width / across, room * self.height / along)

    def _scale(self, factor: float) -> None:
        """Points drawn ``factor`` times as many pixels: the canvas at a lower dpi."""
        dpi = self.spec.dpi * factor
        self.figure.set_dpi(dpi)
        self.figure.set_size_inches(self.width / dpi, self.height / dpi)

    def _plot_box(self) -> tuple[float, float, float, float]:
        """The axes and colorbars together, in pixels."""
        boxes = [axes.get_position() for axes in (self.axes, *self.colorbars)]
        return (
            min(box.x0 for box in boxes) * self.width,
            min(box.y0 for box in boxes) * self.height,
            max(box.x1 for box in boxes) * self.width,
            max(box.y1 for box in boxes) * self.height,
        )

    def _roomy(self) -> bool:
        x0, y0, x1, y1 = self._plot_box()
        return (
            x1 - x0 >= MIN_PLOT_FRACTION * self.width and y1 - y0 >= MIN_PLOT_FRACTION * self.height
        )

    def _pad(self) -> float:
        return max(1.0, 0.3 * _base_pixels(self.axes))

    def _grow_margins(self, bounds: TextBounds) -> bool:
        """Move each overflowed side of the plot area in by the overflow; False if it cannot."""
        box = bounds.box
        if box is None:  # pragma: no cover - a figure that overflows has text
            return False
        tx0, ty0, tx1, ty1 = box
        px0, py0, px1, py1 = self._plot_box()
        pad = self._pad()
        params = self.figure.subplotpars
        left, bottom, right, top = params.left, params.bottom, params.right, params.top
        if tx0 < 0:
            left += (pad - tx0) / self.width
        if tx1 > self.width:
            right -= (tx1 - self.width + pad) / self.width
        if ty0 < 0:
            bottom += (pad - ty0) / self.height
        if ty1 > self.height:
            top -= (ty1 - self.height + pad) / self.height
        if right - left < 0.05 or top - bottom < 0.05:
            return False
        self.figure.subplots_adjust(left=left, bottom=bottom, right=right, top=top)
        return True

    def _shorten(self) -> bool:
        """Wrap and shorten titles and labels to the room they have at the current layout;
        whether any text changed."""
        before = [text.get_text() for text, _ in (*self.texts, *self.short_texts)]
        px0, py0, px1, py1 = self._plot_box()
        pad = self._pad()
        renderer: Any = self.figure.canvas.get_renderer()  # type: ignore[attr-defined]
        for text, original in self.texts:
            rotated = text.get_rotation() % 180 == 90
            if rotated:
                middle = (py0 + py1) / 2
                room = 2 * min(middle, self.height - middle) - 2 * pad
                across = self.width
            else:
                middle = (px0 + px1) / 2
                room = 2 * min(middle, self.width - middle) - 2 * pad
                across = self.height
            line = _line_pixels(text)
            lines = max(1, min(3, int(0.2 * across // line))) if line > 0 else 1
            width = self._width(renderer, text)
            text.set_text(_wrap(original, room, lines, width, math=text.get_parse_math()))
        for text, original in self.short_texts:
            room = 0.5 * (px1 - px0)
            width = self._width(renderer, text)
            math = text.get_parse_math()
            shortened = (_wrap(line, room, 1, width, math=math) for line in original.split("\n"))
            text.set_text("\n".join(shortened))
        for axis, formatter in self.formatters:
            ticks = max(1, len(axis.get_majorticklocs()))
            span = (px1 - px0) if axis is self.axes.xaxis else 0.4 * self.width
            size = axis.get_ticklabels()[0].get_fontsize() if axis.get_ticklabels() else 10.0
            per_char = 0.6 * float(size) * self.figure.dpi / 72
            limit = max(1, int((span / ticks if axis is self.axes.xaxis else span) // per_char))
            axis.set_major_formatter(_shortening(formatter, limit))
        after = [text.get_text() for text, _ in (*self.texts, *self.short_texts)]
        return after != before or bool(self.formatters)

    def _width(self, renderer: Any, text: Text) -> Callable[[str], float]:
        key = (id(text), self.figure.dpi)
        found = self._widths.get(key)
        if found is None:
            found = self._widths[key] = _measurer(renderer, text)
        return found

    def _leave_out(self, factor: float) -> None:
        """Drop text, least needed first, until what is left fits."""
        self._scale(factor)
        self.figure.subplots_adjust(*self.margins)
        steps: list[list[Any]] = [
            [self.axes.title],
            self._axis_labels(),
            self.legends,
            self.point_labels,
        ]
        for step in [*steps, None]:
            if step is None:
                self._hide_tick_labels()
            for artist in step or ():
                artist.set_visible(False)
            for _ in range(_PASSES):
                self._shorten()
                bounds = measure(self.figure, self.bounds)
                if self._fits(bounds):
                    return
                if not self._grow_margins(bounds):
                    break
        for text in self.figure.findobj(Text):  # pragma: no cover - nothing is left to show
            text.set_visible(False)

    def _axis_labels(self) -> list[Text]:
        return [label for label in self._labels() if label is not self.axes.title]

    def _hide_tick_labels(self) -> None:
        for axes in (self.axes, *self.colorbars):
            axes.tick_params(
                which="both", labelleft=False, labelbottom=False, labelright=False, labeltop=False
            )
            axes.tick_params(which="both", length=0)
            for axis in (axes.xaxis, axes.yaxis):
                axis.offsetText.set_visible(False)
                axis.label.set_visible(False)


def _base_pixels(axes: Axes) -> float:
    """The tick labels' font size in pixels (the base text of the chart)."""
    labels = axes.yaxis.get_ticklabels() or axes.xaxis.get_ticklabels()
    size = labels[0].get_fontsize() if labels else axes.yaxis.label.get_fontsize()
    return float(size) * axes.get_figure(root=True).dpi / 72  # type: ignore[union-attr]


def _line_pixels(text: Text) -> float:
    return float(text.get_fontsize()) * 1.2 * text.get_figure(root=True).dpi / 72  # type: ignore[union-attr]


def _legend_texts(legend: Legend) -> list[Text]:
    texts = list(legend.get_texts())
    title = legend.get_title()
    if title.get_text():
        texts.append(title)
    return texts


def _measurer(renderer: Any, text: Text) -> Callable[[str], float]:
    """The width in pixels of a string drawn in ``text``'s font (remembered per string)."""
    prop = text.get_fontproperties()
    known: dict[str, float] = {}

    def width(candidate: str) -> float:
        found = known.get(candidate)
        if found is None:
            clean, ismath = text._preprocess_math(candidate)  # type: ignore[attr-defined]
            metrics = renderer.get_text_width_height_descent(clean, prop, ismath=ismath)
            found = known[candidate] = float(metrics[0])
        return found

    return width


def _wrap(
    original: str, room: float, lines: int, width: Callable[[str], float], *, math: bool = True
) -> str:
    """``original`` in at most ``lines`` lines of at most ``room`` pixels, the last ending in
    an ellipsis if text was left out. With ``math`` (the text's ``parse_math``), math
    (``$...$``) is never broken: it fits whole or is shortened to an ellipsis, and plain text
    is cut so that no piece becomes math. Lines are filled by the widths of their words
    (measured once each); the final measuring pass checks the result."""
    if room <= 0:
        return ELLIPSIS
    lines_of_original = original.split("\n")
    if not math:
        return _wrap_words(original, room, lines, width)
    if any(cbook.is_math_text(line) for line in lines_of_original):
        fits = all(width(line) <= room for line in lines_of_original)
        return original if fits else ELLIPSIS
    if "\n" not in original and width(original) <= room:
        return original
    # Plain text stays plain: a piece cut from it may hold two unescaped "$" (math to
    # matplotlib, and maybe math that does not parse), so each piece is measured and drawn
    # with its dollars escaped, which plain text draws as the same "$".
    wrapped = _wrap_words(original, room, lines, lambda piece: width(_kept_plain(piece)))
    return "\n".join(_kept_plain(line) for line in wrapped.split("\n"))


def _wrap_words(original: str, room: float, lines: int, width: Callable[[str], float]) -> str:
    """``original``'s words in at most ``lines`` lines of at most ``room`` pixels, a word
    longer than a line cut, the last line ending in an ellipsis if text was left out."""
    if "\n" not in original and width(original) <= room:
        return original
    space = max(width("x x") - 2 * width("x"), 0.0)
    words = original.split()
    result: list[str] = []
    current: list[str] = []
    used = 0.0
    index = 0
    left_over = False
    while index < len(words):
        word = words[index]
        needed = width(word) + (space if current else 0.0)
        if used + needed <= room:
            current.append(word)
            used += needed
            index += 1
            continue
        if current:
            result.append(" ".join(current))
            current, used = [], 0.0
        else:  # one word longer than a line: as many of its characters as fit
            cut = _longest_prefix(word, room, width)
            result.append(word[:cut])
            words[index] = word[cut:]
            if not words[index]:
                index += 1
        if len(result) == lines:
            left_over = index < len(words)
            break
    if current and len(result) < lines:
        result.append(" ".join(current))
    if left_over:
        result[-1] = _ellipsized(result[-1], room, width)
    return "\n".join(result)


def _kept_plain(piece: str) -> str:
    """``piece`` of a plain text, drawn as plain text: with its dollars escaped if they would
    make it math (plain text draws ``\\$`` as ``$``)."""
    return _UNESCAPED_DOLLAR.sub(r"\\$", piece) if cbook.is_math_text(piece) else piece


def _longest_prefix(word: str, room: float, width: Callable[[str], float]) -> int:
    """How many characters of ``word`` fit in ``room`` (at least one)."""
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if width(word[:middle]) <= room:
            low = middle
        else:
            high = middle - 1
    return low


def _ellipsized(line: str, room: float, width: Callable[[str], float]) -> str:
    """``line`` cut short enough that it fits with an ellipsis after it."""

    def shortened(cut: int) -> str:
        return line[:cut].rstrip().rstrip("\\") + ELLIPSIS

    low, high = 0, len(line)
    while low < high:
        middle = (low + high + 1) // 2
        if width(shortened(middle)) <= room:
            low = middle
        else:
            high = middle - 1
    return shortened(low)


def _shortening(formatter: Any, limit: int) -> FuncFormatter:
    inner = getattr(formatter, "_inner", formatter)

    def shortened(value: float, position: int | None = None) -> str:
        label = str(inner(value, position))
        return label if len(label) <= limit else label[: max(limit - 1, 0)] + ELLIPSIS

    result = FuncFormatter(shortened)
    result._inner = inner  # type: ignore[attr-defined]
    return result
