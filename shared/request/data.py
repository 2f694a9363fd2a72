"""From the client's table to the chart's points: the columns used, their types, the series.

``chart_data`` picks the columns the options name (or the defaults), reads each one
(``shared.request.values``), leaves out the rows that miss a value the chart needs (counted,
never silently), maps categories to positions in order of first appearance, and splits the
points into series:

* ``group=<column>`` (or a ``color_column`` that holds text): one series per distinct value,
  in order of first appearance; the points are reordered so each series is contiguous, as one
  ``scatter`` call per group would draw them.
* ``y_column=a,b,c``: one series per column, each against the same x.

The result is a ``ChartData``: arrays laid out as ``ChartSpec`` wants them (see
``shared.spec``), plus the column names the default labels come from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress

import numpy as np

from ..errors import InvalidData, InvalidOption, TooLarge, shorten
from ..settings import Settings
from ..spec import NUMBER_AXIS, AxisType, FloatArray, Series
from .labels import read_point_labels
from .options import ChartOptions
from .tables import Columns
from .text import data_label
from .values import BoolArray, TypedColumn, read_column, read_labels

__all__ = ["ChartData", "chart_data", "y_names"]


@dataclass(frozen=True, slots=True, eq=False)
class ChartData:
    """The points to draw, laid out as ``ChartSpec`` wants them, and where they came from."""

    x: FloatArray
    y: FloatArray
    series: tuple[Series, ...] = ()
    xtype: AxisType = NUMBER_AXIS
    ytype: AxisType = NUMBER_AXIS
    color_values: FloatArray | None = None
    size_values: FloatArray | None = None
    xerr: FloatArray | None = None
    yerr: FloatArray | None = None
    label_codes: FloatArray | None = None
    """Each point's index into ``label_texts``, -1 for none (``shared.request.labels``)."""
    label_texts: tuple[str, ...] = ()
    skipped: int = 0
    """Rows left out for a missing value (with several y columns: y values left out)."""
    x_name: str | None = None
    """The x column's name; ``None`` when x is the row number."""
    y_names: tuple[str, ...] = ()
    group_name: str | None = None
    """The column the series come from (``group``, or a text ``color_column``)."""
    color_name: str | None = None
    size_name: str | None = None
    used: frozenset[str] = frozenset()
    """Every column the chart reads."""


def y_names(value: str | list[str] | None, columns: Columns) -> list[str] | None:
    """The y columns ``y_column`` names: a name, comma-separated names, or a list of names.

    A name that is itself a column wins over splitting it at its commas.
    """
    if value is None:
        return ["y"] if "y" in columns else None
    names = value if isinstance(value, list) else (
        [value] if value in columns else [part.strip() for part in value.split(",")]
    )  # fmt: skip
    if not names or any(not name for name in names):
        raise InvalidOption(
            f"y_column is {shorten(value)}; name one column, or several separated by commas",
            field="y_column",
        )
    if len(set(names)) != len(names):
        raise InvalidOption(f"y_column names a column twice: {shorten(names)}", field="y_column")
    return names


def _pick(columns: Columns, options: ChartOptions) -> tuple[str | None, list[str]]:
    """The x column (``None``: the row number) and the y columns."""
    others = (
        options.group,
        options.color_column,
        options.size_column,
        options.xerr_column,
        options.yerr_column,
        options.label_column,
    )
    names = list(columns)
    x_name = options.x_column
    wanted_y = options.y_column
    if (
        x_name is None
        and wanted_y is None
        and "x" not in columns
        and "y" not in columns
        and len(names) == 2
        and all(other is None for other in others)
    ):
        x_name, wanted_y = names
    if x_name is None and "x" in columns:
        x_name = "x"
    found_y = y_names(wanted_y, columns)
    return x_name, found_y or []


def _check_named(columns: Columns, named: list[tuple[str, str | None]], where: str) -> None:
    names = list(columns)
    for option, name in named:
        if name is not None and name not in columns:
            raise InvalidOption(
                f"{option} {shorten(name)} is not a column of the {where}; "
                f"its columns are {shorten(names, 200)}",
                field=option,
            )


def _check_lengths(columns: Columns, used: list[str], max_points: int) -> int:
    """The common length of the used columns; refuses too long, empty and unequal ones."""
    for name in used:
        values = columns[name]
        if not isinstance(values, list | tuple):
            raise InvalidData(f"{name} must be a list of values, got {shorten(values)}", field=name)
        if len(values) > max_points:
            raise TooLarge(
                f"{name} has {len(values)} values; at most {max_points} points are allowed",
                field=name,
            )
    for name in used:
        if not columns[name]:
            raise InvalidData(f"{name} is empty; send at least one point", field=name)
    first = used[0]
    for name in used[1:]:
        if len(columns[name]) != len(columns[first]):
            raise InvalidData(
                f"{first} has {len(columns[first])} values but {name} has "
                f"{len(columns[name])}; they must match"
            )
    return len(columns[first])


def _numeric(columns: Columns, name: str, option: str) -> FloatArray:
    """A column that must hold numbers (NaN where missing)."""
    column = read_column(columns[name], name, "auto", option=None)
    if column.values is None or column.kind != "number":
        raise InvalidData(
            f"{option} {shorten(name)} holds {_kind_words(column)}; it needs numbers",
            field=option,
        )
    return column.values


def _kind_words(column: TypedColumn) -> str:
    return "dates" if column.kind == "date" else "text"


def _positions(
    labels: Sequence[str | None], name: str, *, limit: int, max_length: int, what: str, option: str
) -> tuple[FloatArray, tuple[str, ...]]:
    """Each label's position among the distinct labels in order of first appearance (the
    rows with a missing label are gone)."""
    order = dict.fromkeys(labels)  # first appearance, in C
    if len(order) > limit:
        raise TooLarge(
            f"{name} has {len(order)} distinct values; a chart draws at most {limit} {what}",
            field=option,
        )
    position = {label: index for index, label in enumerate(order)}
    codes = np.fromiter(map(position.__getitem__, labels), dtype=np.float64, count=len(labels))
    names = tuple(data_label(str(label), name, max_length=max_length) for label in order)
    return codes, names


def chart_data(
    columns: Columns, options: ChartOptions, *, settings: Settings, where: str
) -> ChartData:
    """The chart's points from ``columns``, as ``options`` choose them."""
    x_name, ys = _pick(columns, options)
    group_option = "group"
    _check_named(
        columns,
        [
            ("x_column", x_name),
            *(("y_column", name) for name in ys),
            ("group", options.group),
            ("color_column", options.color_column),
            ("size_column", options.size_column),
            ("xerr_column", options.xerr_column),
            ("yerr_column", options.yerr_column),
            ("label_column", options.label_column),
        ],
        where,
    )
    if not ys:
        raise InvalidData(
            f"the {where} has no 'y' column; name one with y_column "
            f"(its columns are {shorten(list(columns), 200)})",
            field="y_column",
        )
    _check_combinations(options, ys)
    extra = [
        name
        for name in (
            options.group,
            options.color_column,
            options.size_column,
            options.xerr_column,
            options.yerr_column,
            options.label_column,
        )
        if name is not None
    ]
    used = list(dict.fromkeys([*ys, *([x_name] if x_name else []), *extra]))
    rows = _check_lengths(columns, used, settings.max_points)

    y_columns = [read_column(columns[name], name, options.y_type, option="y_type") for name in ys]
    kinds = {column.kind for column in y_columns}
    if len(kinds) > 1:
        described = ", ".join(f"{c.name}: {c.kind}" for c in y_columns)
        raise InvalidData(
            f"the y columns hold different kinds of values ({described}); several y columns "
            "share one axis, so they must all be numbers, all dates or all categories",
            field="y_column",
        )
    if x_name is None:
        if options.x_type not in ("auto", "number"):
            raise InvalidOption(
                f"x_type is {options.x_type!r} but no x column is sent (x is the row number); "
                "name one with x_column",
                field="x_type",
            )
        x_column = TypedColumn("", "number", values=np.arange(rows, dtype=np.float64))
    else:
        x_column = read_column(columns[x_name], x_name, options.x_type, option="x_type")

    group_name = options.group
    group_labels = None if group_name is None else read_labels(columns[group_name], group_name)
    color_values = None
    color_name = options.color_column
    if color_name is not None:
        color = read_column(columns[color_name], color_name, "auto", option=None)
        if color.values is not None and color.kind == "number":
            color_values = color.values
        else:  # text (or dates): the colours tell groups apart
            group_name, group_option = color_name, "color_column"
            group_labels = read_labels(columns[color_name], color_name)
            color_name = None
    sizes = None if options.size_column is None else _numeric(
        columns, options.size_column, "size_column"
    )  # fmt: skip
    errors = {}
    for axis, name, axis_column in (
        ("x", options.xerr_column, x_column),
        ("y", options.yerr_column, y_columns[0]),
    ):
        if name is None:
            continue
        if axis_column.kind != "number":
            raise InvalidOption(
                f"{axis}err_column needs a number {axis} axis; {axis} holds "
                f"{_kind_words(axis_column)}",
                field=f"{axis}err_column",
            )
        values = _numeric(columns, name, f"{axis}err_column")
        if (values < 0).any():
            index = int(np.flatnonzero(values < 0)[0])
            raise InvalidData(
                f"{name}[{index}] is {shorten(columns[name][index])}; error bars are a distance "
                "from the point, 0 or more",
                field=name,
            )
        errors[axis] = values

    # rows that miss a value the chart needs are left out, and counted
    needed: list[BoolArray] = [x_column.missing()]
    if group_labels is not None:
        needed.append(np.array([label is None for label in group_labels], dtype=bool))
    needed += [np.isnan(a) for a in (color_values, sizes, *errors.values()) if a is not None]
    shared_missing = np.logical_or.reduce(needed)
    keeps = [~(shared_missing | column.missing()) for column in y_columns]
    skipped = sum(rows - int(keep.sum()) for keep in keeps)
    if not any(keep.any() for keep in keeps):
        _nothing_left(columns, used, where)

    def taken(array: FloatArray | None) -> FloatArray | None:
        if array is None:
            return None
        return np.concatenate([array[keep] for keep in keeps])

    total = sum(int(keep.sum()) for keep in keeps)
    if total > settings.max_points:
        raise TooLarge(
            f"{len(ys)} y columns of {rows} rows make {total} points; at most "
            f"{settings.max_points} are allowed",
            field="y_column",
        )
    label_codes: FloatArray | None = None
    label_texts: tuple[str, ...] = ()
    if options.label_column is not None:
        label_codes, label_texts = read_point_labels(
            columns[options.label_column],
            options.label_column,
            keeps,
            max_labels=settings.max_labels,
            max_length=settings.max_text_length,
        )
    x, xtype = _axis_values(x_column, keeps, settings, option="x_column")
    y, ytype = _axis_values_many(y_columns, keeps, settings)
    color_out, size_out = taken(color_values), taken(sizes)
    xerr, yerr = taken(errors.get("x")), taken(errors.get("y"))
    labels_out = taken(label_codes)

    series: tuple[Series, ...] = ()
    if len(ys) > 1:
        stops = np.cumsum([int(keep.sum()) for keep in keeps])
        labels = [data_label(n, "y_column", max_length=settings.max_text_length) for n in ys]
        _check_series_count(len(ys), settings, "y_column", "y columns")
        series = tuple(Series(label, int(stop)) for label, stop in zip(labels, stops, strict=True))
    elif group_labels is not None and group_name is not None:
        kept = list(compress(group_labels, keeps[0]))
        codes, names = _positions(
            kept,
            group_name,
            limit=settings.max_series,
            max_length=settings.max_text_length,
            what="series (set by the app setting SCATTERPLOT_MAX_SERIES)",
            option=group_option,
        )
        order = np.argsort(codes, kind="stable")
        x, y = x[order], y[order]
        color_out, size_out, xerr, yerr, labels_out = (
            None if a is None else a[order] for a in (color_out, size_out, xerr, yerr, labels_out)
        )
        stops = np.cumsum(np.bincount(codes.astype(np.intp), minlength=len(names)))
        series = tuple(Series(name, int(stop)) for name, stop in zip(names, stops, strict=True))

    return ChartData(
        x=_readonly(x),
        y=_readonly(y),
        series=series,
        xtype=xtype,
        ytype=ytype,
        color_values=_readonly_or_none(color_out),
        size_values=_readonly_or_none(size_out),
        xerr=_readonly_or_none(xerr),
        yerr=_readonly_or_none(yerr),
        label_codes=_readonly_or_none(labels_out),
        label_texts=label_texts,
        skipped=skipped,
        x_name=x_name,
        y_names=tuple(ys),
        group_name=group_name,
        color_name=color_name,
        size_name=options.size_column,
        used=frozenset(used),
    )


def _check_combinations(options: ChartOptions, ys: list[str]) -> None:
    if len(ys) > 1:
        for name in ("group", "color_column", "yerr_column"):
            if getattr(options, name) is not None:
                raise InvalidOption(
                    f"{name} cannot be combined with several y columns ({shorten(ys)}): each y "
                    f"column is its own series already; draw one y column with {name}",
                    field=name,
                )
    if options.group is not None and options.color_column is not None:
        raise InvalidOption(
            "group and color_column cannot be combined: both colour the points; a color_column "
            "of text draws one series per value, as group does",
            field="color_column",
        )


def _check_series_count(count: int, settings: Settings, option: str, what: str) -> None:
    if count > settings.max_series:
        raise TooLarge(
            f"{count} {what} make {count} series; a chart draws at most {settings.max_series} "
            "(the app setting SCATTERPLOT_MAX_SERIES)",
            field=option,
        )


def _axis_values(
    column: TypedColumn, keeps: list[BoolArray], settings: Settings, *, option: str
) -> tuple[FloatArray, AxisType]:
    """One column's kept values for every series, and its axis type."""
    if column.values is not None:
        values = np.concatenate([column.values[keep] for keep in keeps])
        return values, AxisType(column.kind)
    labels = column.labels or ()
    kept = [label for keep in keeps for label in compress(labels, keep)]
    codes, names = _positions(
        kept,
        column.name,
        limit=settings.max_categories,
        max_length=settings.max_text_length,
        what="categories on an axis (set by the app setting SCATTERPLOT_MAX_CATEGORIES)",
        option=option,
    )
    return codes, AxisType("category", names)


def _axis_values_many(
    columns: list[TypedColumn], keeps: list[BoolArray], settings: Settings
) -> tuple[FloatArray, AxisType]:
    """The y columns' kept values, one series after the other, and their shared axis type."""
    if columns[0].values is not None:
        values = np.concatenate(
            [c.values[keep] for c, keep in zip(columns, keeps, strict=True) if c.values is not None]
        )
        return values, AxisType(columns[0].kind)
    kept = [
        label
        for column, keep in zip(columns, keeps, strict=True)
        for label in compress(column.labels or (), keep)
    ]
    codes, names = _positions(
        kept,
        columns[0].name if len(columns) == 1 else "the y columns",
        limit=settings.max_categories,
        max_length=settings.max_text_length,
        what="categories on an axis (set by the app setting SCATTERPLOT_MAX_CATEGORIES)",
        option="y_column",
    )
    return codes, AxisType("category", names)


def _nothing_left(columns: Columns, used: list[str], where: str) -> None:
    """Refuse a table in which every row misses a value the chart needs."""
    counts = []
    for name in used:
        missing = read_labels(columns[name], name).count(None)
        if missing:
            counts.append((name, missing))
    listed = ", ".join(f"{name}: {count}" for name, count in counts)
    raise InvalidData(
        f"every row of the {where} misses a value the chart needs (missing values: {listed}); "
        "nothing is left to draw",
        field=counts[0][0] if counts else None,
    )


def _readonly(array: FloatArray) -> FloatArray:
    """``array`` (made here, owned by nobody else) frozen."""
    array.flags.writeable = False
    return array


def _readonly_or_none(array: FloatArray | None) -> FloatArray | None:
    return None if array is None else _readonly(array)
