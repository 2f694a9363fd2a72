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
    "IMAGE_FORMATS",
    "MARKERS",
    "OPTION_HELP",
    "SCALES",
    "SECRET_OPTIONS",
    "ChartOptions",
    "option_names",
]

AnswerName = Literal["azureml", "swagger", "pandas", "record", "image"]
ImageFormat = Literal["png", "svg", "pdf", "jpeg"]
Marker = Literal["o", ".", ",", "s", "^", "v", "<", ">", "D", "d", "x", "+", "*", "p", "h"]
Scale = Literal["linear", "log"]

ANSWER_NAMES: Final[tuple[str, ...]] = get_args(AnswerName)
IMAGE_FORMATS: Final[tuple[str, ...]] = get_args(ImageFormat)
MARKERS: Final[tuple[str, ...]] = get_args(Marker)
SCALES: Final[tuple[str, ...]] = get_args(Scale)

Text = Annotated[str, msgspec.Meta(max_length=10_000)]
Finite = Annotated[float, msgspec.Meta(ge=-1e300, le=1e300)]


class ChartOptions(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """Every option, as it arrives from a query string, a JSON body or Azure ML GlobalParameters."""

    # generated data (the original recipe's reference data)
    n: Annotated[int, msgspec.Meta(ge=1)] | None = None
    seed: Annotated[int, msgspec.Meta(ge=0, le=2**63 - 1)] | None = None
    # which table columns hold the data
    x_column: Text | None = None
    y_column: Text | None = None
    # image size and resolution
    width: Annotated[int, msgspec.Meta(ge=16)] = 640
    height: Annotated[int, msgspec.Meta(ge=16)] = 480
    dpi: Annotated[float, msgspec.Meta(ge=10)] = 100.0
    # text
    title: Text = ""
    xlabel: Text = " x "
    ylabel: Text = " y "
    # markers
    color: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    size: Annotated[float, msgspec.Meta(gt=0, le=10_000)] | None = None
    alpha: Annotated[float, msgspec.Meta(ge=0, le=1)] | None = None
    marker: Marker = "o"
    # axes
    xscale: Scale = "linear"
    yscale: Scale = "linear"
    xmin: Finite | None = None
    xmax: Finite | None = None
    ymin: Finite | None = None
    ymax: Finite | None = None
    grid: bool = False
    transparent: bool = False
    # what comes back
    format: ImageFormat = "png"
    output: AnswerName | None = None
    details: bool = True
    # passed by Azure ML clients and the Functions host; accepted and ignored
    api_version: str | None = msgspec.field(default=None, name="api-version")
    code: str | None = None


OPTION_HELP: Final[dict[str, str]] = {
    "n": "number of generated points when no data is sent, 1 to max_points (default 1000)",
    "seed": "seed for the generated data, 0 to 2**63-1; makes the chart reproducible",
    "x_column": "name of the table column that holds x (default: 'x')",
    "y_column": "name of the table column that holds y (default: 'y')",
    "width": "image width in pixels, 16 to max_side (default 640)",
    "height": "image height in pixels, 16 to max_side (default 480)",
    "dpi": "dots per inch: scales text and markers, 10 to max_dpi (default 100)",
    "title": "chart title, up to max_text_length characters (default none)",
    "xlabel": "x axis label, up to max_text_length characters (default ' x ')",
    "ylabel": "y axis label, up to max_text_length characters (default ' y ')",
    "color": "marker colour: a name ('red'), '#rrggbb', '#rrggbbaa' or 'C0'..'C9'",
    "size": "marker area in points squared, above 0 and up to 10000 (default 36)",
    "alpha": "marker opacity, 0 to 1 (default 1)",
    "marker": "marker shape, one of " + ", ".join(repr(m) for m in MARKERS) + " (default 'o')",
    "xscale": "x axis scale, 'linear' or 'log' (default 'linear')",
    "yscale": "y axis scale, 'linear' or 'log' (default 'linear')",
    "xmin": "lower x axis limit (default: from the data)",
    "xmax": "upper x axis limit (default: from the data)",
    "ymin": "lower y axis limit (default: from the data)",
    "ymax": "upper y axis limit (default: from the data)",
    "grid": "draw grid lines, true or false (default false)",
    "transparent": "transparent background instead of white, true or false (default false)",
    "format": "image format, one of " + ", ".join(IMAGE_FORMATS) + " (default png)",
    "output": "answer shape, one of " + ", ".join(ANSWER_NAMES) + " (default azureml)",
    "details": "Azure ML table answer with ColumnNames and ColumnTypes, true or false",
    "api-version": "accepted for Azure ML clients and ignored",
    "code": "function key (checked by the Functions host) and ignored here",
}


SECRET_OPTIONS: Final[frozenset[str]] = frozenset({"code"})
"""Options that may hold a key: their values are never quoted in a message or logged."""


def option_names() -> tuple[str, ...]:
    """Every option name as a client spells it."""
    return ChartOptions.__struct_encode_fields__
