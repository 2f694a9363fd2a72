"""One parser for every way a request arrives: query string, JSON body, Azure ML table, CSV.

``parse_request`` returns a ``ChartRequest`` whose every bound has been checked, or raises a
``shared.errors`` error that names the field, the bad value and what would have been right.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

import msgspec
from matplotlib.colors import to_rgba

from ..errors import (
    InvalidData,
    InvalidOption,
    MalformedBody,
    TooLarge,
    UnknownOption,
    UnsupportedMediaType,
    shorten,
)
from ..settings import Settings
from ..spec import ChartRequest, ChartSpec
from .columns import check_column_count
from .jsonkeys import check_unique_keys
from .negotiation import choose_output
from .options import OPTION_HELP, SECRET_OPTIONS, ChartOptions, option_names
from .tables import (
    Columns,
    columns_from_csv,
    columns_from_rows,
    columns_from_table,
    reference_data,
    select_xy,
)
from .text import check_text

__all__ = ["LOG_RANGE", "SUPPORTED_CONTENT_TYPES", "parse_options", "parse_request"]

SUPPORTED_CONTENT_TYPES = (
    "application/json",
    "text/csv",
    "application/x-www-form-urlencoded",
)
_DATA_KEYS = ("x", "y")
_FIRST_BYTE = re.compile(rb"\S")  # the body's first non-blank byte, found without copying it
_AZUREML_KEYS = ("Inputs", "GlobalParameters")
_FIELD_AT = re.compile(r"^(?P<reason>.*?)(?: - at `\$\.(?P<field>[^`\[]+)[^`]*`)?$", re.S)
LOG_RANGE = (1e-200, 1e200)
"""Values and limits a log axis accepts: beyond them its decade ticks overflow a float."""
_MARKER_AREA_DEFAULT = 36.0  # rcParams["lines.markersize"] ** 2
_JSON_SLACK = 1024  # arrays, objects and values besides the data rows
_JSON_VALUES_PER_POINT = 4  # a table may carry a few columns besides x and y


def parse_request(
    *,
    params: Mapping[str, str],
    headers: Mapping[str, str],
    body: bytes,
    settings: Settings,
) -> ChartRequest:
    """Parse a request's query ``params``, ``headers`` (lower-case names) and ``body``."""
    if len(body) > settings.max_body_bytes:
        raise TooLarge(
            f"the request body has {len(body)} bytes; at most {settings.max_body_bytes} are allowed"
        )
    query = dict(params)
    columns_source: tuple[Columns, str] | None = None
    body_options: dict[str, Any] = {}
    if _FIRST_BYTE.search(body):
        columns_source, body_options = _read_body(body, headers.get("content-type", ""), settings)
    query_columns = {key: query.pop(key) for key in _DATA_KEYS if key in query}
    if query_columns:
        if columns_source is not None:
            raise InvalidData("data is sent twice: in the query string and in the body")
        columns_source = (
            {key: _split_list(value) for key, value in query_columns.items()},
            "query string",
        )
    options = parse_options(_swagger_format(_merge(query, body_options)), settings)

    if columns_source is None:
        n = 1000 if options.n is None else options.n
        if n > settings.max_points:
            raise TooLarge(f"n is {n}; at most {settings.max_points} points are allowed", field="n")
        x, y = reference_data(n, options.seed)
        deterministic = options.seed is not None
    else:
        for name in ("n", "seed"):
            if getattr(options, name) is not None:
                raise InvalidOption(
                    f"{name} applies to generated data only; this request sends its own data",
                    field=name,
                )
        columns, where = columns_source
        x, y = select_xy(
            columns,
            x_column=options.x_column,
            y_column=options.y_column,
            max_points=settings.max_points,
            where=where,
        )
        deterministic = True
    spec = _build_spec(options, x, y, settings)
    output = choose_output(headers.get("accept"), options.output, spec.format)
    keyed = options.code is not None or "x-functions-key" in headers
    return ChartRequest(
        spec=spec,
        output=output,
        details=options.details,
        deterministic=deterministic,
        keyed=keyed,
    )


def _read_body(
    body: bytes, content_type: str, settings: Settings
) -> tuple[tuple[Columns, str] | None, dict[str, Any]]:
    """Columns (with a name for messages) and options carried by the body."""
    media = content_type.split(";")[0].strip().lower()
    first = _FIRST_BYTE.search(body)
    looks_like_json = first is not None and first.group() in (b"{", b"[")
    if media in ("application/json", "text/json") or media.endswith("+json"):
        return _read_json(body, settings)
    if media in ("text/csv", "application/csv"):
        text = _decode_utf8(body)
        columns = columns_from_csv(
            text, max_points=settings.max_points, max_columns=settings.max_columns
        )
        return (columns, "CSV"), {}
    if media in ("", "application/x-www-form-urlencoded"):
        if looks_like_json:
            return _read_json(body, settings)
        if media:
            return _read_form(_decode_utf8(body))
    raise UnsupportedMediaType(
        f"content type {shorten(content_type or '(none)')} is not supported; "
        f"send one of {', '.join(SUPPORTED_CONTENT_TYPES)}"
    )


def _decode_utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise MalformedBody(f"the body is not valid UTF-8 (byte {error.start})") from None


def _read_form(text: str) -> tuple[tuple[Columns, str] | None, dict[str, Any]]:
    try:
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=200)
    except ValueError as error:
        raise MalformedBody(f"the form body is malformed: {error}") from None
    fields: dict[str, Any] = {}
    for key, value in pairs:  # a repeated field is a duplicate like any other
        if key in _DATA_KEYS and fields.get(key, value) != value:
            raise InvalidData(f"{key} is given twice in the form; give it once", field=key)
        fields = _merge(fields, {key: value})
    columns: Columns = {key: _split_list(fields.pop(key)) for key in _DATA_KEYS if key in fields}
    return ((columns, "form") if columns else None), fields


def _read_json(
    body: bytes, settings: Settings
) -> tuple[tuple[Columns, str] | None, dict[str, Any]]:
    _check_json_size(body, settings.max_points)
    try:
        document = msgspec.json.decode(body)
    except msgspec.DecodeError as error:
        raise MalformedBody(f"the body is not valid JSON: {error}") from None
    except RecursionError:
        raise MalformedBody("the JSON body is nested too deeply") from None
    except UnicodeDecodeError as error:
        raise MalformedBody(f"the JSON body is not valid UTF-8 (byte {error.start})") from None
    if not isinstance(document, dict):
        raise MalformedBody(
            f"the JSON body must be an object, got {type(document).__name__}; "
            'send {"x": [...], "y": [...]} or an Azure ML {"Inputs": ...} request'
        )
    check_unique_keys(body, document)
    if "Inputs" in document:
        return _read_azureml(document, settings)
    lists = sum(isinstance(value, list) for value in document.values())
    check_column_count(lists, "JSON body", max_columns=settings.max_columns)
    columns: Columns = {}
    options: dict[str, Any] = {}
    for key, value in document.items():
        if key in _DATA_KEYS or (isinstance(value, list) and key not in SECRET_OPTIONS):
            columns[key] = value
        else:
            options[key] = value
    for key in _DATA_KEYS:
        if key in columns and not isinstance(columns[key], list):
            raise InvalidData(
                f"{key} must be a list of numbers, got {shorten(columns[key])}", field=key
            )
    return ((columns, "JSON body") if columns else None), options


def _check_json_size(body: bytes, max_points: int) -> None:
    """Refuse a body whose arrays, objects or values could not fit ``max_points`` points.

    Counting brackets and commas is cheap; decoding millions of tiny rows first would cost
    about 100 bytes each before the point limit could be checked.
    """
    containers = body.count(b"[") + body.count(b"{")
    if containers > max_points + _JSON_SLACK:
        raise TooLarge(
            f"the JSON body holds {containers} arrays and objects; a chart of at most "
            f"{max_points} points needs no more than {max_points + _JSON_SLACK}"
        )
    separators = body.count(b",")
    if separators > _JSON_VALUES_PER_POINT * max_points + _JSON_SLACK:
        raise TooLarge(
            f"the JSON body holds {separators} values; a chart of at most {max_points} "
            f"points allows up to {_JSON_VALUES_PER_POINT} values per point"
        )


def _read_azureml(
    document: dict[str, Any], settings: Settings
) -> tuple[tuple[Columns, str] | None, dict[str, Any]]:
    """An Azure ML Studio (classic) request, table or swagger shape.

    Empty ``Inputs`` is what a client of a service without inputs (the original recipe) sends:
    it asks for the generated reference data.
    """
    inputs = document["Inputs"]
    if not isinstance(inputs, dict):
        raise InvalidData('Inputs must be an object like {"input1": {...}}', field="Inputs")
    parameters = document.get("GlobalParameters") or {}
    if not isinstance(parameters, dict):
        raise InvalidOption("GlobalParameters must be an object", field="GlobalParameters")
    options = {key: value for key, value in document.items() if key not in _AZUREML_KEYS}
    options = _merge(options, parameters)
    if not inputs:
        return None, options
    if "input1" in inputs:
        name = "input1"
    elif len(inputs) == 1:
        name = next(iter(inputs))
    else:
        raise InvalidData(
            f"Inputs has {len(inputs)} inputs and none is named input1; send one input",
            field="Inputs",
        )
    where = f"Inputs.{name}"
    table = inputs[name]
    limits = {"max_points": settings.max_points, "max_columns": settings.max_columns}
    if isinstance(table, list):
        columns = columns_from_rows(table, where, **limits)
    else:
        columns = columns_from_table(table, where, **limits)
    return (columns, where), options


def _split_list(value: str) -> list[str]:
    """A comma-separated list from a query string or form field."""
    return [item for item in value.split(",") if item.strip()] if value.strip() else []


def _merge(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """Options from two places; the same option given twice with different values is an error.

    Values are compared as the option reads them (``dpi=100`` and ``100.0`` are the same,
    ``title=hello`` and ``HELLO`` are not).
    """
    merged = dict(first)
    for key, value in second.items():
        if key in merged and not _same_value(key, merged[key], value):
            values = (
                "" if key in SECRET_OPTIONS else f" ({shorten(merged[key])} and {shorten(value)})"
            )
            raise InvalidOption(
                f"option {key} is given twice with different values{values}; give it once",
                field=key,
            )
        merged[key] = value
    return merged


def _same_value(key: str, first: Any, second: Any) -> bool:
    """Whether two raw values of option ``key`` convert to the same value."""
    if type(first) is type(second) and first == second:
        return True
    converted = [_convert({key: value}) for value in (first, second)]
    name = _ATTRIBUTES.get(key, key)
    return bool(getattr(converted[0], name) == getattr(converted[1], name))


def _swagger_format(raw: dict[str, Any]) -> dict[str, Any]:
    """``format=swagger`` (wherever it was given) is Azure ML's spelling of ``output=swagger``."""
    if raw.get("format") != "swagger":
        return raw
    options = {key: value for key, value in raw.items() if key != "format"}
    options.setdefault("output", "swagger")
    return options


_ATTRIBUTES = dict(
    zip(ChartOptions.__struct_encode_fields__, ChartOptions.__struct_fields__, strict=True)
)
"""Attribute name of each option name (``api-version`` -> ``api_version``)."""


def parse_options(raw: Mapping[str, Any], settings: Settings) -> ChartOptions:
    """Convert raw option values (strings or JSON values) into ``ChartOptions``."""
    return _convert(raw)


def _convert(raw: Mapping[str, Any]) -> ChartOptions:
    try:
        return msgspec.convert(dict(raw), ChartOptions, strict=False)
    except msgspec.ValidationError as error:
        raise _option_error(str(error), raw) from None


def _option_error(message: str, raw: Mapping[str, Any]) -> InvalidOption | UnknownOption:
    """Rewrite msgspec's message into one that names the option, the value and the range."""
    unknown = re.search(r"unknown field `(.+)`", message)
    if unknown:
        name = unknown.group(1)
        close = difflib.get_close_matches(name, option_names(), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        return UnknownOption(
            f"unknown option {shorten(name)}; {hint}valid options are {', '.join(option_names())}",
            field=name if len(name) <= 64 else name[:61] + "...",
        )
    match = _FIELD_AT.match(message)
    field = match.group("field") if match else None
    reason = match.group("reason") if match else message
    if field is None:
        return InvalidOption(f"options must be a JSON object of name: value ({reason})")
    value = "(not shown)" if field in SECRET_OPTIONS else shorten(raw.get(field))
    return InvalidOption(
        f"{field} is {value}: {reason.replace('`', '')}. Expected {OPTION_HELP.get(field, '')}",
        field=field,
    )


def _build_spec(options: ChartOptions, x: Any, y: Any, settings: Settings) -> ChartSpec:
    """Check the bounds that depend on settings and on the data, then freeze the spec."""
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
    for name in ("title", "xlabel", "ylabel"):
        check_text(
            getattr(options, name),
            name,
            max_length=settings.max_text_length,
            image_format=options.format,
            dpi=options.dpi,
            max_pixels=settings.max_pixels,
        )
    if options.color is not None:
        try:
            to_rgba(options.color)
        except ValueError:
            raise InvalidOption(
                f"color is {shorten(options.color)}; expected {OPTION_HELP['color']}",
                field="color",
            ) from None
    xlim = _limits("x", options.xmin, options.xmax, options.xscale)
    ylim = _limits("y", options.ymin, options.ymax, options.yscale)
    for axis, scale, values in (("x", options.xscale, x), ("y", options.yscale, y)):
        if scale == "log" and ((values < LOG_RANGE[0]) | (values > LOG_RANGE[1])).any():
            raise InvalidData(
                f"{axis}scale is 'log' but {axis} holds values outside "
                f"{LOG_RANGE[0]:g} to {LOG_RANGE[1]:g}; a log axis needs positive values "
                "in that range (its decade ticks overflow beyond it)",
                field=f"{axis}scale",
            )
    if options.transparent and options.format == "jpeg":
        raise InvalidOption(
            "transparent needs a format with an alpha channel (png, svg or pdf), not jpeg",
            field="transparent",
        )
    if options.format in ("svg", "pdf") and len(x) > settings.max_vector_points:
        raise TooLarge(
            f"{len(x)} points are too many for {options.format}, which writes every marker "
            f"as its own shape; at most {settings.max_vector_points} are allowed (png and jpeg "
            f"take up to {settings.max_points})",
            field="format",
        )
    area = (options.size or _MARKER_AREA_DEFAULT) * (options.dpi / 72.0) ** 2
    if len(x) * area > settings.max_ink:
        raise TooLarge(
            f"{len(x)} markers of {area:.0f} pixels each are too much to draw; "
            f"points x marker area may be at most {settings.max_ink} pixels",
            field="size",
        )
    return ChartSpec(
        x=x,
        y=y,
        width=options.width,
        height=options.height,
        dpi=options.dpi,
        title=options.title,
        xlabel=options.xlabel,
        ylabel=options.ylabel,
        color=options.color,
        size=options.size,
        alpha=options.alpha,
        marker=options.marker,
        xscale=options.xscale,
        yscale=options.yscale,
        xlim=xlim,
        ylim=ylim,
        grid=options.grid,
        transparent=options.transparent,
        format=options.format,
    )


def _limits(
    axis: str, low: float | None, high: float | None, scale: str
) -> tuple[float | None, float | None]:
    if low is not None and high is not None and not low < high:
        raise InvalidOption(
            f"{axis}min ({low:g}) must be less than {axis}max ({high:g})", field=f"{axis}min"
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
