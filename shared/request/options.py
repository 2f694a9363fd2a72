"""The chart options a client may set, with their types, bounds and defaults.

``ChartOptions`` is the single list of option names: the parser, the error messages and the
README's table all come from it. Bounds that depend on app settings (points, pixels, dpi, text
length) are checked in ``shared.request.parsing``; the fixed ones are declared here.
"""

from __future__ import annotations

from typing import Annotated, Final, Literal, get_args

import msgspec

__all__ = [
    "ANSWER_NAMES",
    "COLUMN_OPTIONS",
    "COLUMN_TYPES",
    "DATA_OPTIONS",
    "DELIMITERS",
    "IMAGE_FORMATS",
    "KINDS",
    "LAYOUTS",
    "MARKERS",
    "MAX_BINS",
    "MAX_GRIDSIZE",
    "OPTION_HELP",
    "SCALES",
    "TRENDLINES",
    "AUTO_DENSITY_ABOVE",
    "SECRET_OPTIONS",
    "THEMES",
    "ChartOptions",
    "option_names",
]

AnswerName = Literal["azureml", "swagger", "pandas", "record", "image"]
ImageFormat = Literal["png", "svg", "pdf", "jpeg", "jpg", "webp"]
Marker = Literal["o", ".", ",", "s", "^", "v", "<", ">", "D", "d", "x", "+", "*", "p", "h"]
Scale = Literal["linear", "log"]
ColumnType = Literal["auto", "number", "date", "category"]
Delimiter = Literal[",", ";", "\t", "|", "tab"]
Decimal = Literal[".", ","]
Layout = Literal["auto", "tight", "constrained", "none"]
Theme = Literal[
    "default",
    "Solarize_Light2",
    "bmh",
    "classic",
    "dark_background",
    "fast",
    "fivethirtyeight",
    "ggplot",
    "grayscale",
    "petroff10",
    "petroff6",
    "petroff8",
    "seaborn-v0_8",
    "seaborn-v0_8-bright",
    "seaborn-v0_8-colorblind",
    "seaborn-v0_8-dark",
    "seaborn-v0_8-dark-palette",
    "seaborn-v0_8-darkgrid",
    "seaborn-v0_8-deep",
    "seaborn-v0_8-muted",
    "seaborn-v0_8-notebook",
    "seaborn-v0_8-paper",
    "seaborn-v0_8-pastel",
    "seaborn-v0_8-poster",
    "seaborn-v0_8-talk",
    "seaborn-v0_8-ticks",
    "seaborn-v0_8-white",
    "seaborn-v0_8-whitegrid",
    "tableau-colorblind10",
]
"""``default`` (matplotlib's defaults) and every style sheet the pinned matplotlib bundles
(a test checks the list against ``mpl-data/stylelib``)."""
Kind = Literal["scatter", "hexbin", "hist2d", "auto"]
Trendline = Literal["linear", "quadratic", "cubic", "lowess"]

ANSWER_NAMES: Final[tuple[str, ...]] = get_args(AnswerName)
IMAGE_FORMATS: Final[tuple[str, ...]] = get_args(ImageFormat)
MARKERS: Final[tuple[str, ...]] = get_args(Marker)
SCALES: Final[tuple[str, ...]] = get_args(Scale)
COLUMN_TYPES: Final[tuple[str, ...]] = get_args(ColumnType)
DELIMITERS: Final[tuple[str, ...]] = get_args(Delimiter)
LAYOUTS: Final[tuple[str, ...]] = get_args(Layout)
THEMES: Final[tuple[str, ...]] = get_args(Theme)
KINDS: Final[tuple[str, ...]] = get_args(Kind)
TRENDLINES: Final[tuple[str, ...]] = get_args(Trendline)

MAX_GRIDSIZE: Final = 300
"""Most hexagons across a hexbin chart: 300 draw about 70,000 hexagons."""
MAX_BINS: Final = 500
"""Most bins along each axis of a hist2d chart: 500 x 500 cells."""
AUTO_DENSITY_ABOVE: Final = 50_000
"""``kind=auto`` draws a hexbin chart above this many points (a scatter at or below it)."""

Text = Annotated[str, msgspec.Meta(max_length=10_000)]
Finite = Annotated[float, msgspec.Meta(ge=-1e300, le=1e300)]
Limit = Finite | Annotated[str, msgspec.Meta(max_length=64)]
"""An axis limit: a number, or on a date axis an ISO 8601 date (strings are read later)."""


class ChartOptions(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """Every option, as it arrives from a query string, a JSON body or Azure ML GlobalParameters."""

    # generated data (the original recipe's reference data)
    n: Annotated[int, msgspec.Meta(ge=1)] | None = None
    seed: Annotated[int, msgspec.Meta(ge=0, le=2**63 - 1)] | None = None
    # which table columns hold the data, and what they hold
    x_column: Text | None = None
    y_column: Text | list[Text] | None = None
    group: Text | None = None
    color_column: Text | None = None
    size_column: Text | None = None
    xerr_column: Text | None = None
    yerr_column: Text | None = None
    label_column: Text | None = None
    x_type: ColumnType = "auto"
    y_type: ColumnType = "auto"
    delimiter: Delimiter | None = None
    decimal: Decimal | None = None
    # image size and resolution
    width: Annotated[int, msgspec.Meta(ge=16)] = 640
    height: Annotated[int, msgspec.Meta(ge=16)] = 480
    dpi: Annotated[float, msgspec.Meta(ge=10)] = 100.0
    scale: Annotated[float, msgspec.Meta(ge=1, le=4)] = 1.0
    layout: Layout = "auto"
    # text
    title: Text = ""
    xlabel: Text | None = None
    ylabel: Text | None = None
    # markers
    color: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    size: Annotated[float, msgspec.Meta(gt=0, le=10_000)] | None = None
    alpha: Annotated[float, msgspec.Meta(ge=0, le=1)] | None = None
    marker: Marker = "o"
    # colour and size from columns
    cmap: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    vmin: Finite | None = None
    vmax: Finite | None = None
    size_range: Annotated[str, msgspec.Meta(max_length=64)] | list[float] | None = None
    # what stands for the points, and what is drawn over them (shared.chart.density, .trend)
    kind: Kind = "scatter"
    gridsize: Annotated[int, msgspec.Meta(ge=2, le=MAX_GRIDSIZE)] | None = None
    bins: Annotated[int, msgspec.Meta(ge=1, le=MAX_BINS)] | None = None
    log_counts: bool = False
    trendline: Trendline | None = None
    trendline_label: bool = True
    # axes
    xscale: Scale = "linear"
    yscale: Scale = "linear"
    xmin: Limit | None = None
    xmax: Limit | None = None
    ymin: Limit | None = None
    ymax: Limit | None = None
    grid: bool | None = None
    xtick_format: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    ytick_format: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    # looks
    theme: Theme = "default"
    background: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    font_size: Annotated[float, msgspec.Meta(ge=1, le=100)] | None = None
    transparent: bool = False
    # what comes back
    format: ImageFormat = "png"
    quality: Annotated[int, msgspec.Meta(ge=1, le=100)] | None = None
    output: AnswerName | None = None
    details: bool = True
    # passed by Azure ML clients and the Functions host; accepted and ignored
    api_version: str | None = msgspec.field(default=None, name="api-version")
    code: str | None = None


OPTION_HELP: Final[dict[str, str]] = {
    "n": "number of generated points when no data is sent, 1 to max_points (default 1000)",
    "seed": "seed for the generated data, 0 to 2**63-1; makes the chart reproducible",
    "x_column": "name of the table column that holds x (default: 'x')",
    "y_column": "name of the table column that holds y (default: 'y'); several names "
    "(comma-separated, or a JSON list) draw one series each",
    "group": "name of a column whose values split the points into series, one per value, "
    "with a legend",
    "color_column": "name of a column that colours the points: numbers through cmap with a "
    "colorbar, anything else as groups",
    "size_column": "name of a numeric column that sets each marker's area, scaled onto size_range",
    "xerr_column": "name of a numeric column of symmetric x error bars (0 or more)",
    "yerr_column": "name of a numeric column of symmetric y error bars (0 or more)",
    "label_column": "name of a column whose values label the points, drawn next to each "
    "marker (blank cells: no label), at most max_labels labels",
    "x_type": "what the x column holds: " + ", ".join(COLUMN_TYPES) + " (default auto)",
    "y_type": "what the y column(s) hold: " + ", ".join(COLUMN_TYPES) + " (default auto)",
    "delimiter": "CSV field separator, one of ',', ';', '|', 'tab' (default: guessed from the "
    "header row)",
    "decimal": "decimal mark of a CSV's numbers, '.' (default) or ',' (then '1,5' is 1.5)",
    "width": "image width in pixels, 16 to max_side (default 640)",
    "height": "image height in pixels, 16 to max_side (default 480)",
    "dpi": "dots per inch: scales text and markers, 10 to max_dpi (default 100)",
    "scale": "pixel ratio for sharp images on dense screens, 1 to 4 (default 1): the image is "
    "scale times wider and taller with the same layout (dpi scaled with it)",
    "layout": "how text is kept on the canvas, one of " + ", ".join(LAYOUTS) + " (default auto)",
    "title": "chart title, up to max_text_length characters (default none)",
    "xlabel": "x axis label, up to max_text_length characters (default: the x column's name, "
    "or ' x ')",
    "ylabel": "y axis label, up to max_text_length characters (default: the y column's name, "
    "or ' y ')",
    "color": "marker colour: a name ('red'), '#rrggbb', '#rrggbbaa' or 'C0'..'C9'",
    "size": "marker area in points squared, above 0 and up to 10000 (default 36)",
    "alpha": "marker opacity, 0 to 1 (default 1)",
    "marker": "marker shape, one of " + ", ".join(repr(m) for m in MARKERS) + " (default 'o')",
    "cmap": "colormap for color_column, any name matplotlib registers (default 'viridis')",
    "vmin": "colour scale minimum for color_column (default: the column's smallest value)",
    "vmax": "colour scale maximum for color_column (default: the column's largest value)",
    "size_range": "smallest and largest marker area for size_column, in points squared, as "
    "'min,max' (default '16,400'), each above 0 and up to 10000",
    "kind": "what stands for the points: " + ", ".join(KINDS) + " (default scatter; auto "
    f"draws hexbin above {AUTO_DENSITY_ABOVE} points)",
    "gridsize": f"hexagons across a hexbin chart, 2 to {MAX_GRIDSIZE} (default 50)",
    "bins": f"bins along each axis of a hist2d chart, 1 to {MAX_BINS} (default 50)",
    "log_counts": "colour hexbin and hist2d counts on a log scale, true or false (default false)",
    "trendline": "a trend line per series: " + ", ".join(TRENDLINES) + " (default none)",
    "trendline_label": "show the trend line's equation and R² in a legend, true or false "
    "(default true)",
    "xscale": "x axis scale, 'linear' or 'log' (default 'linear')",
    "yscale": "y axis scale, 'linear' or 'log' (default 'linear')",
    "xmin": "lower x axis limit, a number or on a date axis a date (default: from the data)",
    "xmax": "upper x axis limit, a number or on a date axis a date (default: from the data)",
    "ymin": "lower y axis limit, a number or on a date axis a date (default: from the data)",
    "ymax": "upper y axis limit, a number or on a date axis a date (default: from the data)",
    "grid": "draw grid lines, true or false (default: the theme's, none for default)",
    "xtick_format": "x tick labels: a format like '{x:,.0f}' or '{x:.0%}' on a number axis, a "
    "strftime format like '%Y-%m' on a date axis",
    "ytick_format": "y tick labels: a format like '{x:,.0f}' or '{x:.0%}' on a number axis, a "
    "strftime format like '%Y-%m' on a date axis",
    "theme": "a matplotlib style sheet: default, ggplot, bmh, fivethirtyeight, grayscale, "
    "dark_background, seaborn-v0_8-whitegrid, ... (default 'default')",
    "background": "background colour of the figure and the axes: a name, '#rrggbb' or "
    "'#rrggbbaa' (default: the theme's)",
    "font_size": "base font size in points, 1 to 100 (default: the theme's, 10 for default)",
    "transparent": "transparent background instead of white, true or false (default false)",
    "format": "image format, one of " + ", ".join(IMAGE_FORMATS) + " (default png; jpg is jpeg)",
    "quality": "jpeg or webp quality, 1 to 100 (default: jpeg 75; webp lossless unless given)",
    "output": "answer shape, one of " + ", ".join(ANSWER_NAMES) + " (default azureml)",
    "details": "Azure ML table answer with ColumnNames and ColumnTypes, true or false",
    "api-version": "accepted for Azure ML clients and ignored",
    "code": "function key (checked by the Functions host) and ignored here",
}


SECRET_OPTIONS: Final[frozenset[str]] = frozenset({"code"})
"""Options that may hold a key: their values are never quoted in a message or logged."""
COLUMN_OPTIONS: Final[tuple[str, ...]] = (
    "x_column",
    "y_column",
    "group",
    "color_column",
    "size_column",
    "xerr_column",
    "yerr_column",
    "label_column",
)
"""Options whose values name table columns."""
DATA_OPTIONS: Final[tuple[str, ...]] = (
    *COLUMN_OPTIONS,
    "x_type",
    "y_type",
    "delimiter",
    "decimal",
)
"""Options about the client's table: without data sent, each is a mistake (400)."""


def option_names() -> tuple[str, ...]:
    """Every option name as a client spells it."""
    return ChartOptions.__struct_encode_fields__
