"""What a chart draws for and over its points: density kinds, trend lines, point labels.

Checked here, before anything is drawn, with a 400 that names the option at fault:

* ``kind=hexbin`` and ``kind=hist2d`` draw the density of one set of points on number or date
  axes. Options about markers or series (``group``, several ``y_column``, ``color_column``,
  ``size_column``, error bars, ``label_column``, ``color``, ``size``, ``marker``) have nothing
  to apply to, and category axes have no bins: each is refused. ``cmap``, ``vmin`` and ``vmax``
  colour the counts; ``alpha`` applies to the cells. ``kind=auto`` draws hexbin above
  ``AUTO_DENSITY_ABOVE`` points when the chart could be one, and a scatter otherwise.
* ``gridsize``, ``bins`` and ``log_counts`` belong to the kinds that use them.
* ``trendline`` fits y against x, so both axes must show numbers (x may show dates), and each
  series needs enough distinct x values for its kind (2 for a line, 3, 4, and 2 for LOWESS).
"""

from __future__ import annotations

from typing import Any

from ..chart.density import DENSITY_KINDS
from ..chart.trend import MIN_DISTINCT_X, distinct_at_least
from ..errors import InvalidData, InvalidOption, shorten
from .data import ChartData
from .options import AUTO_DENSITY_ABOVE, ChartOptions

__all__ = ["DEFAULT_BINS", "DEFAULT_GRIDSIZE", "analysis_fields", "chart_kind", "check_trend"]

DEFAULT_GRIDSIZE = 50
"""Hexagons across a hexbin chart: seaborn's most (matplotlib's own default, 100, draws four
times as many hexagons, which takes longer than the points of a 1,000,000-point scatter)."""
DEFAULT_BINS = 50
"""Bins along each axis of a hist2d chart: as many as hexbin's hexagons across."""


_PLURAL = {"number": "numbers", "date": "dates", "category": "categories"}


def _density_conflict(options: ChartOptions, data: ChartData) -> tuple[str, str] | None:
    """The first option (and why) that a density chart could not draw, or ``None``."""
    if len(data.y_names) > 1:
        return "y_column", "several y columns are several series"
    if data.series:
        option = "group" if options.group is not None else "color_column"
        return option, f"{option} splits the points into series"
    for option, present, what in (
        ("color_column", data.color_values is not None, "colours each marker"),
        ("size_column", data.size_values is not None, "sizes each marker"),
        ("xerr_column", data.xerr is not None, "draws error bars on each marker"),
        ("yerr_column", data.yerr is not None, "draws error bars on each marker"),
        ("label_column", data.label_codes is not None, "labels each marker"),
        ("color", options.color is not None, "colours the markers"),
        ("size", options.size is not None, "sizes the markers"),
        ("marker", options.marker != "o", "shapes the markers"),
    ):
        if present:
            return option, f"{option} {what}"
    for axis, kind in (("x", data.xtype.kind), ("y", data.ytype.kind)):
        if kind == "category":
            return "kind", f"the {axis} axis shows categories, which have no bins"
    return None


def chart_kind(options: ChartOptions, data: ChartData) -> str:
    """``scatter``, ``hexbin`` or ``hist2d``: ``kind`` checked against the data and the other
    options, ``auto`` decided."""
    kind = options.kind
    conflict = _density_conflict(options, data)
    if kind == "auto":
        big = len(data.x) > AUTO_DENSITY_ABOVE
        kind = "hexbin" if big and conflict is None else "scatter"
    elif kind in DENSITY_KINDS and conflict is not None:
        field, reason = conflict
        raise InvalidOption(
            f"kind={kind} draws the density of one set of points on number or date axes, but "
            f"{reason}; leave {field} out, or draw kind=scatter",
            field=field,
        )
    for name, users in (
        ("gridsize", ("hexbin", "auto")),
        ("bins", ("hist2d",)),
        ("log_counts", ("hexbin", "hist2d", "auto")),
    ):
        value = getattr(options, name)
        if value not in (None, False) and options.kind not in users:
            raise InvalidOption(
                f"{name} applies to kind={' or kind='.join(users)}, not kind={options.kind}; "
                f"leave {name} out, or choose that kind",
                field=name,
            )
    return kind


def check_trend(options: ChartOptions, data: ChartData) -> None:
    """Refuse trend lines the axes or the series cannot have."""
    if options.trendline is None:
        if not options.trendline_label:
            raise InvalidOption(
                "trendline_label hides the trend line's equation, but no trendline is drawn; "
                "leave trendline_label out, or ask for a trendline",
                field="trendline_label",
            )
        return
    axes = (("x", data.xtype, ("number", "date")), ("y", data.ytype, ("number",)))
    for axis, axis_type, allowed in axes:
        if axis_type.kind not in allowed:
            raise InvalidOption(
                f"trendline fits y against x, but the {axis} axis shows "
                f"{_PLURAL[axis_type.kind]}; a trend line needs numbers on the {axis} axis"
                + (" (or dates)" if axis == "x" else ""),
                field="trendline",
            )
    needed = MIN_DISTINCT_X[options.trendline]
    starts = [0, *(item.stop for item in data.series)] if data.series else [0]
    stops = [item.stop for item in data.series] if data.series else [len(data.x)]
    names = [item.label for item in data.series] if data.series else [None]
    for name, start, stop in zip(names, starts, stops, strict=False):
        x = data.x[start:stop]
        if len(x) and not distinct_at_least(x, needed):
            which = f"series {shorten(name)}" if name is not None else "x"
            raise InvalidData(
                f"{which} has fewer than {needed} distinct x values; trendline="
                f"{options.trendline} needs at least {needed}",
                field="trendline",
            )


def analysis_fields(options: ChartOptions, data: ChartData, kind: str) -> dict[str, Any]:
    """The ``ChartSpec`` fields of this module's options."""
    check_trend(options, data)
    return {
        "kind": kind,
        "gridsize": options.gridsize or DEFAULT_GRIDSIZE,
        "bins": options.bins or DEFAULT_BINS,
        "log_counts": options.log_counts,
        "trendline": options.trendline,
        "trendline_label": options.trendline_label,
        "label_codes": data.label_codes,
        "label_texts": data.label_texts,
    }
