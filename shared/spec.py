"""The frozen, validated description of one chart and of the answer a client asked for.

Everything in here has passed every bound check: the renderer and the encoders trust it.

How a chart's data is laid out (the contract between ``shared.request`` and ``shared.chart``):

* ``x`` and ``y`` hold every point drawn, as read-only float64 arrays of equal length. A
  chart of several series stores them one after the other: series ``i`` is the slice
  ``series[i - 1].stop:series[i].stop``. A chart of one unnamed series (the reference chart,
  any ``x``/``y`` chart) has ``series == ()`` and draws no legend.
* Per-point arrays (``color_values``, ``size_values``, ``xerr``, ``yerr``, ``label_codes``)
  are ``None`` or as long as ``x``, in the same order.
* An axis' values are numbers, matplotlib date numbers (days since 1970-01-01 UTC) on a
  ``date`` axis, or category positions 0, 1, 2, ... on a ``category`` axis, whose names are
  ``AxisType.categories`` in that order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "DEFAULT_LOOKS",
    "DEFAULT_SIZE_RANGE",
    "NUMBER_AXIS",
    "AxisKind",
    "AxisType",
    "ChartRequest",
    "ChartSpec",
    "FloatArray",
    "Looks",
    "Series",
    "SeriesData",
]

FloatArray = npt.NDArray[np.float64]
AxisKind = Literal["number", "date", "category"]

DEFAULT_SIZE_RANGE: Final[tuple[float, float]] = (16.0, 400.0)
"""Marker areas (points squared) a size column is scaled to by default: 4 to 20 points across."""


@dataclass(frozen=True, slots=True)
class AxisType:
    """What an axis shows: numbers, dates, or named categories (``categories[i]`` at ``i``)."""

    kind: AxisKind = "number"
    categories: tuple[str, ...] = ()


NUMBER_AXIS: Final = AxisType()


@dataclass(frozen=True, slots=True)
class Looks:
    """How the chart is dressed, beyond its data and marker style (``shared.chart.looks``).

    ``theme`` is one of matplotlib's bundled style sheets (``default``: matplotlib's defaults,
    the recipe's look); ``background`` a colour for the figure and the axes; ``font_size`` the
    base font size in points (``None``: the theme's); ``xtick_format``/``ytick_format`` a
    ``{x:...}`` format on a number axis or a strftime format on a date axis (``""``: the
    axis' own); ``fallback_fonts`` adds the shipped fonts for scripts the default font lacks;
    ``layout`` is ``auto``, ``tight``, ``constrained`` or ``none`` (``shared.chart.layout``).
    """

    theme: str = "default"
    background: str | None = None
    font_size: float | None = None
    xtick_format: str = ""
    ytick_format: str = ""
    fallback_fonts: bool = False
    layout: str = "auto"

    @property
    def restyled(self) -> bool:
        """True when the figure is drawn under rcParams other than matplotlib's defaults."""
        return (
            self.theme != "default"
            or self.background is not None
            or self.font_size is not None
            or self.fallback_fonts
        )


DEFAULT_LOOKS: Final = Looks()


@dataclass(frozen=True, slots=True)
class Series:
    """One legend entry: the points from the previous series' ``stop`` up to ``stop``."""

    label: str
    stop: int


@dataclass(frozen=True, slots=True)
class SeriesData:
    """One series' points and per-point values: views into the spec's arrays."""

    index: int
    label: str | None
    x: FloatArray
    y: FloatArray
    color_values: FloatArray | None
    sizes: FloatArray | None
    xerr: FloatArray | None
    yerr: FloatArray | None


@dataclass(frozen=True, slots=True, eq=False)
class ChartSpec:
    """What to draw: the data (read-only float64 arrays of equal length) and its style.

    ``None`` for ``color``, ``size`` and ``alpha`` means matplotlib's own default, so a chart
    with default options is exactly the original recipe's ``ax.scatter(x, y)``.
    """

    x: FloatArray
    y: FloatArray
    width: int = 640
    height: int = 480
    dpi: float = 100.0
    title: str = ""
    xlabel: str = " x "
    ylabel: str = " y "
    color: str | None = None
    size: float | None = None
    alpha: float | None = None
    marker: str = "o"
    xscale: str = "linear"
    yscale: str = "linear"
    xlim: tuple[float | None, float | None] = (None, None)
    ylim: tuple[float | None, float | None] = (None, None)
    grid: bool = False
    transparent: bool = False
    format: str = "png"
    quality: int | None = None
    """JPEG or WebP quality 1..100; ``None`` for every other format, and for lossless WebP."""
    # several series: one scatter each, colours from the colour cycle, a legend
    series: tuple[Series, ...] = ()
    legend_title: str = ""
    # what the axes show
    xtype: AxisType = NUMBER_AXIS
    ytype: AxisType = NUMBER_AXIS
    # colour from a numeric column: a colormap and a colorbar
    color_values: FloatArray | None = None
    cmap: str = "viridis"
    vlim: tuple[float | None, float | None] = (None, None)
    color_label: str = ""
    # marker area from a column, scaled linearly onto size_range; a size legend
    size_values: FloatArray | None = None
    size_range: tuple[float, float] = DEFAULT_SIZE_RANGE
    size_label: str = ""
    # symmetric error bars
    xerr: FloatArray | None = None
    yerr: FloatArray | None = None
    # theme, background, fonts, tick formats and layout
    looks: Looks = DEFAULT_LOOKS
    # what stands for the points: markers, or counts per cell (shared.chart.density)
    kind: str = "scatter"
    """``scatter``, ``hexbin`` or ``hist2d`` (``auto`` is decided when the request is read)."""
    gridsize: int = 50
    bins: int = 50
    log_counts: bool = False
    # a trend line per series (shared.chart.trend)
    trendline: str | None = None
    trendline_label: bool = True
    # text next to points (shared.chart.labels): point i shows label_texts[int(label_codes[i])],
    # or nothing where its code is -1
    label_codes: FloatArray | None = None
    label_texts: tuple[str, ...] = ()

    @property
    def points(self) -> int:
        """How many points the chart draws."""
        return int(self.x.shape[0])

    @property
    def plain(self) -> bool:
        """True for one unnamed series of numbers without per-point values: the chart the
        original recipe draws, styled by the scalar options only."""
        return (
            not self.series
            and self.xtype.kind == "number"
            and self.ytype.kind == "number"
            and self.color_values is None
            and self.size_values is None
            and self.xerr is None
            and self.yerr is None
            and self.label_codes is None
        )

    def marker_areas(self) -> FloatArray | None:
        """Each point's marker area in points squared, from ``size_values``; ``None`` without.

        The column's smallest value gets ``size_range[0]``, its largest ``size_range[1]``,
        values between them in proportion; a column of one value gets the middle of the range.
        """
        if self.size_values is None:
            return None
        low, high = self.size_scale()
        small, big = self.size_range
        if high == low:
            return np.full(self.size_values.shape, (small + big) / 2)
        scaled: FloatArray = small + (self.size_values - low) * ((big - small) / (high - low))
        return scaled

    def size_scale(self) -> tuple[float, float]:
        """The smallest and largest size value (the ends of the scale); (0, 0) without sizes."""
        if self.size_values is None or not len(self.size_values):
            return (0.0, 0.0)
        return (float(self.size_values.min()), float(self.size_values.max()))

    def parts(self) -> Iterator[SeriesData]:
        """Each series' points, in drawing order (one unnamed series when ``series`` is empty)."""
        areas = self.marker_areas()
        bounds: list[tuple[str | None, int, int]] = [] if self.series else [(None, 0, self.points)]
        start = 0
        for item in self.series:
            bounds.append((item.label, start, item.stop))
            start = item.stop
        for index, (label, low, high) in enumerate(bounds):
            yield SeriesData(
                index=index,
                label=label,
                x=self.x[low:high],
                y=self.y[low:high],
                color_values=_part(self.color_values, low, high),
                sizes=_part(areas, low, high),
                xerr=_part(self.xerr, low, high),
                yerr=_part(self.yerr, low, high),
            )

    def style_key(self) -> tuple[object, ...]:
        """Every field but the data: charts with equal keys differ only in what is plotted.

        Which per-point arrays are present is style (it decides the artists a figure has);
        their values, and where one series ends and the next begins, are data.
        """
        return (
            self.width, self.height, self.dpi, self.title, self.xlabel, self.ylabel,
            self.color, self.size, self.alpha, self.marker, self.xscale, self.yscale,
            self.xlim, self.ylim, self.grid, self.transparent, self.format, self.quality,
            tuple(item.label for item in self.series), self.legend_title,
            self.xtype, self.ytype,
            self.color_values is not None, self.cmap, self.vlim, self.color_label,
            self.size_values is not None, self.size_range, self.size_label,
            self.xerr is not None, self.yerr is not None,
            self.looks,
            self.kind, self.gridsize, self.bins, self.log_counts,
            self.trendline, self.trendline_label, self.label_codes is not None,
        )  # fmt: skip

    def digest(self) -> str:
        """A stable hash of the whole spec (style and data), for cache keys and ETags."""
        hasher = hashlib.blake2b(digest_size=16)
        hasher.update(repr(self.style_key()).encode())
        hasher.update(np.ascontiguousarray(self.x).tobytes())
        hasher.update(b"|")
        hasher.update(np.ascontiguousarray(self.y).tobytes())
        if not self.plain:
            hasher.update(repr(tuple(item.stop for item in self.series)).encode())
            for array in (
                self.color_values, self.size_values, self.xerr, self.yerr, self.label_codes
            ):  # fmt: skip
                hasher.update(b"|" if array is None else np.ascontiguousarray(array).tobytes())
            if self.label_codes is not None:
                hasher.update(repr(self.label_texts).encode())
        return hasher.hexdigest()


def _part(array: FloatArray | None, low: int, high: int) -> FloatArray | None:
    return None if array is None else array[low:high]


@dataclass(frozen=True, slots=True, eq=False)
class ChartRequest:
    """A parsed request: the chart, the answer shape and whether the result is reproducible."""

    spec: ChartSpec
    output: str = "azureml"
    details: bool = True
    deterministic: bool = False
    """True when the data was sent or seeded: the same request always gives the same image."""
    keyed: bool = False
    """True when the request carries a function key (``code`` or ``x-functions-key``): its
    answer is for the key's holder, never for a shared cache."""
    skipped: int | None = None
    """Rows of the client's table left out because a value the chart needs is missing
    (``None`` when no table was sent)."""
    warnings: tuple[str, ...] = ()
    """What the answer says went less than well (HTTP ``Warning`` headers), in the service's
    words only: never a character of the client's text."""
