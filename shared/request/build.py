"""Options and data in, a frozen ``ChartSpec`` out: every bound that depends on app settings,
on the data or on several options at once is checked here.

Options that would be silently ignored are refused instead: ``cmap``/``vmin``/``vmax``
without a numeric ``color_column``, ``size_range`` without ``size_column``, ``color`` or
``size`` together with the column that would override them, limits on a category axis.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import replace
from functools import cache
from typing import Any

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import to_rgba

from ..chart.density import DENSITY_KINDS, density_cells
from ..errors import InvalidData, InvalidOption, TooLarge, shorten
from ..formats import FORMATS, JPEG_QUALITY, QUALITY_FORMATS, canonical_format
from ..settings import Settings
from ..spec import DEFAULT_SIZE_RANGE, AxisType, ChartSpec
from .analysis import analysis_fields, chart_kind
from .data import ChartData
from .looks import glyph_warnings, looks_of, theme_grid
from .options import OPTION_HELP, ChartOptions
from .text import check_text, data_label
from .values import DATE_RANGE, MAX_MAGNITUDE, parse_date

__all__ = ["LOG_RANGE", "build_spec"]

LOG_RANGE = (1e-200, 1e200)
"""Values and limits a log axis accepts: beyond them its decade ticks overflow a float."""
_MARKER_AREA_DEFAULT = 36.0  # rcParams["lines.markersize"] ** 2
_MAX_AREA = 10_000.0


def build_spec(options: ChartOptions, data: ChartData, settings: Settings) -> ChartSpec:
    """Check what depends on settings, on the data and on option combinations; freeze the spec."""
    _check_canvas(options, settings)
    check_text(options.title, "title", **_drawn_as(options, settings))
    xlabel, ylabel = _labels(options, data, settings)
    _check_color(options, data)
    drawn = chart_kind(options, data)
    density = drawn in DENSITY_KINDS
    cmap = _cmap(options, data, density=density)
    vlim = _vlim(options, data, density=density)
    size_range = _size_range(options, data)
    xlim = _limits("x", options.xmin, options.xmax, options.xscale, data.xtype)
    ylim = _limits("y", options.ymin, options.ymax, options.yscale, data.ytype)
    for axis, scale, values, kind in (
        ("x", options.xscale, data.x, data.xtype),
        ("y", options.yscale, data.y, data.ytype),
    ):
        if scale == "log" and kind.kind != "number":
            raise InvalidOption(
                f"{axis}scale is 'log' but the {axis} axis shows {kind.kind}s; a log axis needs "
                "numbers",
                field=f"{axis}scale",
            )
        if scale == "log" and ((values < LOG_RANGE[0]) | (values > LOG_RANGE[1])).any():
            raise InvalidData(
                f"{axis}scale is 'log' but {axis} holds values outside "
                f"{LOG_RANGE[0]:g} to {LOG_RANGE[1]:g}; a log axis needs positive values "
                "in that range (its decade ticks overflow beyond it)",
                field=f"{axis}scale",
            )
    image_format, quality = _format_and_quality(options)
    ratio = options.scale
    spec = ChartSpec(
        x=data.x,
        y=data.y,
        width=round(options.width * ratio),
        height=round(options.height * ratio),
        dpi=options.dpi * ratio,
        title=options.title,
        xlabel=xlabel,
        ylabel=ylabel,
        color=options.color,
        size=options.size,
        alpha=options.alpha,
        marker=options.marker,
        xscale=options.xscale,
        yscale=options.yscale,
        xlim=xlim,
        ylim=ylim,
        grid=theme_grid(options.theme) if options.grid is None else options.grid,
        transparent=options.transparent,
        format=image_format,
        quality=quality,
        series=data.series,
        legend_title=_name_label(data.group_name, "group", settings) if data.series else "",
        xtype=data.xtype,
        ytype=data.ytype,
        color_values=data.color_values,
        cmap=cmap,
        vlim=vlim,
        color_label=_name_label(data.color_name, "color_column", settings),
        size_values=data.size_values,
        size_range=size_range,
        size_label=_name_label(data.size_name, "size_column", settings),
        xerr=data.xerr,
        yerr=data.yerr,
        looks=looks_of(options, data.xtype, data.ytype),
        **analysis_fields(options, data, drawn),
    )
    fallback, _ = glyph_warnings(spec)
    if fallback:
        spec = replace(spec, looks=replace(spec.looks, fallback_fonts=True))
    _check_cost(spec, settings)
    return spec


def _format_and_quality(options: ChartOptions) -> tuple[str, int | None]:
    """The format (``jpg`` is ``jpeg``) and its encoder quality; wrong combinations refused."""
    image_format = canonical_format(options.format)
    if options.transparent and not FORMATS[image_format].alpha:
        raise InvalidOption(
            "transparent needs a format with an alpha channel (png, webp, svg or pdf), "
            f"not {options.format}",
            field="transparent",
        )
    if options.quality is not None and image_format not in QUALITY_FORMATS:
        raise InvalidOption(
            f"quality applies to jpeg and webp only, not to {options.format}; "
            "leave it out, or ask for format=jpeg or format=webp",
            field="quality",
        )
    if image_format == "jpeg" and options.quality is None:
        return image_format, JPEG_QUALITY  # the same bytes as without it: one spec, one ETag
    return image_format, options.quality


def _check_canvas(options: ChartOptions, settings: Settings) -> None:
    """The size and dpi asked for, and the final ones once ``scale`` multiplies them."""
    for name in ("width", "height"):
        value = getattr(options, name)
        if value > settings.max_side:
            raise InvalidOption(
                f"{name} is {value}; it must be 16 to {settings.max_side} pixels", field=name
            )
    if options.width * options.height > settings.max_pixels:
        raise TooLarge(
            f"width x height is {options.width * options.height} pixels; "
            f"at most {settings.max_pixels} are allowed",
            field="width",
        )
    if options.dpi > settings.max_dpi:
        raise InvalidOption(
            f"dpi is {options.dpi:g}; it must be 10 to {settings.max_dpi}", field="dpi"
        )
    scale = options.scale
    if scale == 1:
        return
    if not FORMATS[canonical_format(options.format)].raster:
        raise InvalidOption(
            f"scale multiplies the pixels of a raster image; {options.format} is drawn in "
            "points at any size: leave scale out",
            field="scale",
        )
    width, height = round(options.width * scale), round(options.height * scale)
    if max(width, height) > settings.max_side:
        raise TooLarge(
            f"scale {scale:g} makes the image {width} x {height} pixels; a side may be at most "
            f"{settings.max_side} pixels (the app setting SCATTERPLOT_MAX_SIDE)",
            field="scale",
        )
    if width * height > settings.max_pixels:
        raise TooLarge(
            f"scale {scale:g} makes the image {width} x {height} = {width * height} pixels; at "
            f"most {settings.max_pixels} are allowed (the app setting SCATTERPLOT_MAX_PIXELS)",
            field="scale",
        )
    if options.dpi * scale > settings.max_dpi:
        raise TooLarge(
            f"scale {scale:g} draws at dpi {options.dpi * scale:g}; at most {settings.max_dpi} "
            "is allowed (the app setting SCATTERPLOT_MAX_DPI)",
            field="scale",
        )


def _name_label(name: str | None, option: str, settings: Settings) -> str:
    """A column's name as a label (legend title, colorbar label), drawn as written."""
    return "" if name is None else data_label(name, option, max_length=settings.max_text_length)


def _drawn_as(options: ChartOptions, settings: Settings) -> dict[str, Any]:
    """How a title or label will be drawn, for ``check_text``: format, dpi (times ``scale``)
    and bounds. Under ``layout=auto`` a vector chart's text is also laid out on a raster at
    the chart's dpi (``shared.chart.layout`` measures it there), so it is checked as raster."""
    image_format = canonical_format(options.format)
    if options.layout == "auto" and not FORMATS[image_format].raster:
        image_format = "png"
    return {
        "max_length": settings.max_text_length,
        "image_format": image_format,
        "dpi": options.dpi * options.scale,
        "max_pixels": settings.max_pixels,
    }


def _labels(options: ChartOptions, data: ChartData, settings: Settings) -> tuple[str, str]:
    """The axis labels: as given, or the columns' names (the recipe's ' x ' and ' y ' for
    columns named x and y, for generated data and for the row number)."""
    if options.xlabel is not None:
        xlabel = check_text(options.xlabel, "xlabel", **_drawn_as(options, settings))
    elif data.x_name in (None, "x"):
        xlabel = " x "
    else:
        xlabel = _name_label(data.x_name, "x_column", settings)
    if options.ylabel is not None:
        ylabel = check_text(options.ylabel, "ylabel", **_drawn_as(options, settings))
    elif len(data.y_names) > 1:
        ylabel = ""  # the legend names the columns, as pandas' DataFrame.plot does
    elif not data.y_names or data.y_names[0] == "y":
        ylabel = " y "
    else:
        ylabel = _name_label(data.y_names[0], "y_column", settings)
    return xlabel, ylabel


def _check_color(options: ChartOptions, data: ChartData) -> None:
    if options.color is not None:
        try:
            to_rgba(options.color)
        except ValueError:
            raise InvalidOption(
                f"color is {shorten(options.color)}; expected {OPTION_HELP['color']}",
                field="color",
            ) from None
        if data.color_values is not None or data.series:
            what = "color_column" if data.color_values is not None else "each series"
            raise InvalidOption(
                f"color sets one colour for every point, but {what} colours them already; "
                "leave color out",
                field="color",
            )
    if options.size is not None and data.size_values is not None:
        raise InvalidOption(
            "size sets one marker area for every point, but size_column sets each point's; "
            "leave size out (size_range sets the smallest and largest area)",
            field="size",
        )


@cache
def _colormap_names() -> tuple[str, ...]:
    return tuple(sorted(colormaps))


def _cmap(options: ChartOptions, data: ChartData, *, density: bool) -> str:
    if options.cmap is None:
        return "viridis"
    if data.color_values is None and not density:
        raise InvalidOption(
            "cmap colours the points by the numbers of color_column (or the counts of "
            "kind=hexbin or hist2d); name a numeric column with color_column, or leave cmap out",
            field="cmap",
        )
    if options.cmap not in colormaps:
        names = _colormap_names()
        lowered = {name.lower(): name for name in names}
        close = difflib.get_close_matches(options.cmap.lower(), list(lowered), n=3, cutoff=0.6)
        hint = f"did you mean {', '.join(repr(lowered[c]) for c in close)}? " if close else ""
        raise InvalidOption(
            f"cmap {shorten(options.cmap)} is not a colormap; {hint}matplotlib's colormaps "
            f"include 'viridis', 'plasma', 'cividis', 'coolwarm', 'RdBu', 'Greys' and their "
            f"reversed '_r' forms ({len(names)} in all)",
            field="cmap",
        )
    return options.cmap


def _vlim(
    options: ChartOptions, data: ChartData, *, density: bool
) -> tuple[float | None, float | None]:
    for name in ("vmin", "vmax"):
        value = getattr(options, name)
        if value is not None and data.color_values is None and not density:
            raise InvalidOption(
                f"{name} bounds the colour scale of color_column (or of the counts of "
                f"kind=hexbin or hist2d); name a numeric column with color_column, or leave "
                f"{name} out",
                field=name,
            )
        if value is not None and density and options.log_counts and not value > 0:
            raise InvalidOption(
                f"{name} is {value:g}; with log_counts the colour scale is logarithmic and "
                "needs bounds above 0",
                field=name,
            )
    if options.vmin is not None and options.vmax is not None and not options.vmin < options.vmax:
        raise InvalidOption(
            f"vmin ({options.vmin:g}) must be less than vmax ({options.vmax:g})", field="vmin"
        )
    return (options.vmin, options.vmax)


def _size_range(options: ChartOptions, data: ChartData) -> tuple[float, float]:
    raw = options.size_range
    if raw is None:
        return DEFAULT_SIZE_RANGE
    if data.size_values is None:
        raise InvalidOption(
            "size_range is the marker area range of size_column; name a numeric column with "
            "size_column, or leave size_range out",
            field="size_range",
        )
    parts: list[Any] = raw.split(",") if isinstance(raw, str) else list(raw)
    try:
        low, high = (float(str(part).strip()) for part in parts)
    except ValueError:
        low = high = math.nan
    if not (0 < low < high <= _MAX_AREA):
        raise InvalidOption(
            f"size_range is {shorten(raw)}; expected {OPTION_HELP['size_range']}, the first "
            "smaller than the second (for one size for every marker, use size)",
            field="size_range",
        )
    return (low, high)


def _limit(name: str, value: float | str | None, kind: AxisType) -> float | None:
    """One axis limit as a number on the axis (a date number on a date axis)."""
    if value is None:
        return None
    if kind.kind == "category":
        raise InvalidOption(
            f"{name} limits a number or date axis; this axis shows categories "
            f"({shorten(list(kind.categories))}), drawn at 0, 1, 2, ...",
            field=name,
        )
    if kind.kind == "date":
        number = parse_date(value) if isinstance(value, str) else None
        if number is None:
            raise InvalidOption(
                f"{name} is {shorten(value)}; on a date axis it must be an ISO 8601 date like "
                f"2024-01-31 or 2024-01-31T10:30:00Z (years {DATE_RANGE[0]} to {DATE_RANGE[1]})",
                field=name,
            )
        return number
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise InvalidOption(
                f"{name} is {shorten(value)}: expected a number. Expected {OPTION_HELP[name]}",
                field=name,
            ) from None
    else:
        number = value
    if not math.isfinite(number) or abs(number) > MAX_MAGNITUDE:
        raise InvalidOption(
            f"{name} is {shorten(value)}: expected a finite number from -{MAX_MAGNITUDE:g} "
            f"to {MAX_MAGNITUDE:g}",
            field=name,
        )
    return number


def _limits(
    axis: str,
    low_value: float | str | None,
    high_value: float | str | None,
    scale: str,
    kind: AxisType,
) -> tuple[float | None, float | None]:
    low = _limit(f"{axis}min", low_value, kind)
    high = _limit(f"{axis}max", high_value, kind)
    if low is not None and high is not None and not low < high:
        raise InvalidOption(
            f"{axis}min ({shorten(low_value)}) must be less than {axis}max ({shorten(high_value)})",
            field=f"{axis}min",
        )
    if scale == "log":
        for name, value in ((f"{axis}min", low), (f"{axis}max", high)):
            if value is not None and not LOG_RANGE[0] <= value <= LOG_RANGE[1]:
                raise InvalidOption(
                    f"{name} is {value:g}; a log axis needs limits from "
                    f"{LOG_RANGE[0]:g} to {LOG_RANGE[1]:g}",
                    field=name,
                )
    return (low, high)


def _check_cells(spec: ChartSpec, settings: Settings) -> None:
    """An SVG or PDF density chart writes every cell as its own shape, as it would markers."""
    option = "gridsize" if spec.kind == "hexbin" else "bins"
    cells = density_cells(spec.kind, spec.gridsize if spec.kind == "hexbin" else spec.bins)
    if not FORMATS[spec.format].raster and cells > settings.max_vector_points:
        raise TooLarge(
            f"{option}={getattr(spec, option)} draws {cells} cells, too many for "
            f"{spec.format}, which writes every cell as its own shape; at most "
            f"{settings.max_vector_points} are allowed (the app setting "
            "SCATTERPLOT_MAX_VECTOR_POINTS; png, jpeg and webp take any)",
            field=option,
        )


def _check_cost(spec: ChartSpec, settings: Settings) -> None:
    """Refuse charts whose markers would cost too much to draw or to write out (a density
    chart draws cells, bounded by gridsize and bins, instead of markers)."""
    if spec.kind in DENSITY_KINDS:
        _check_cells(spec, settings)
        return
    if not FORMATS[spec.format].raster and spec.points > settings.max_vector_points:
        raise TooLarge(
            f"{spec.points} points are too many for {spec.format}, which writes every marker "
            f"as its own shape; at most {settings.max_vector_points} are allowed (png, jpeg "
            f"and webp take up to {settings.max_points})",
            field="format",
        )
    one_by_one = [
        (option, present)
        for option, present in (
            ("color_column", spec.color_values is not None),
            ("size_column", spec.size_values is not None),
            ("xerr_column", spec.xerr is not None),
            ("yerr_column", spec.yerr is not None),
        )
        if present
    ]
    if one_by_one and spec.points > settings.max_vector_points:
        option = one_by_one[0][0]
        raise TooLarge(
            f"{spec.points} points are too many with {option}: markers of their own colour or "
            f"size, and error bars, are drawn one by one; at most {settings.max_vector_points} "
            f"are allowed (the app setting SCATTERPLOT_MAX_VECTOR_POINTS; without {option}, "
            f"up to {settings.max_points})",
            field=option,
        )
    scale = (spec.dpi / 72.0) ** 2
    areas = spec.marker_areas()
    if areas is None:
        each = (spec.size or _MARKER_AREA_DEFAULT) * scale
        ink = spec.points * each
        described = f"{spec.points} markers of {each:.0f} pixels each are"
        field = "size"
    else:
        ink = float(np.sum(areas)) * scale
        described = f"{spec.points} markers of {ink / spec.points:.0f} pixels on average are"
        field = "size_range"
    if ink > settings.max_ink:
        raise TooLarge(
            f"{described} too much to draw; points x marker area may be at most "
            f"{settings.max_ink} pixels",
            field=field,
        )
