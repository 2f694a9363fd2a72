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
from ..spec import ChartRequest
from .build import LOG_RANGE, build_spec
from .columns import check_column_count
from .data import ChartData, chart_data
from .ignored import (
    CSV_TYPES,
    is_json,
    media_of,
    refuse_data_options,
    refuse_empty_body,
    refuse_unused,
)
from .jsonkeys import check_unique_keys
from .looks import glyph_warnings
from .negotiation import choose_output
from .nogc import collector_paused
from .options import (
    COLUMN_OPTIONS,
    LAYOUTS,
    OPTION_HELP,
    SECRET_OPTIONS,
    THEMES,
    ChartOptions,
    option_names,
)
from .tables import (
    DELIMITER_NAMES,
    Columns,
    columns_from_csv,
    columns_from_pandas_columns,
    columns_from_rows,
    columns_from_split,
    columns_from_table,
    reference_data,
)

__all__ = ["LOG_RANGE", "SUPPORTED_CONTENT_TYPES", "parse_options", "parse_request"]

SUPPORTED_CONTENT_TYPES = (
    "application/json",
    "text/csv",
    "text/tab-separated-values",
    "application/x-www-form-urlencoded",
)
_DATA_KEYS = ("x", "y")
_FIRST_BYTE = re.compile(rb"\S")  # the body's first non-blank byte, found without copying it
_AZUREML_KEYS = ("Inputs", "GlobalParameters")
_FIELD_AT = re.compile(r"^(?P<reason>.*?)(?: - at `\$\.(?P<field>[^`\[]+)[^`]*`)?$", re.S)
_JSON_SLACK = 1024  # arrays, objects and values besides the data rows
_JSON_VALUES_PER_POINT = 4  # a table may carry a few columns besides x and y
_FORM = "application/x-www-form-urlencoded"
_PLAIN_JSON = "JSON body"
_LISTS = ("query string", "form")
_LIST_OPTIONS = ("y_column", "size_range")  # options whose JSON value may be a list
_NOT_COLUMNS = (*_LIST_OPTIONS, *SECRET_OPTIONS)  # a key is an option even as a list
_CHOICES = {"theme": THEMES, "layout": LAYOUTS}  # long lists: a close name is suggested


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
    content_type = headers.get("content-type", "")
    columns_source: tuple[Columns, str] | None = None
    body_options: dict[str, Any] = {}
    if _FIRST_BYTE.search(body):
        with collector_paused():
            columns_source, body_options = _read_body(
                body,
                content_type,
                settings,
                delimiter=query.get("delimiter"),
                decimal=query.get("decimal"),
            )
    elif not any(key in query for key in _DATA_KEYS):
        refuse_empty_body(content_type)
    query_columns = {key: query.pop(key) for key in _DATA_KEYS if key in query}
    if query_columns:
        if columns_source is not None:
            raise InvalidData("data is sent twice: in the query string and in the body")
        columns_source = (
            {key: _split_list(value) for key, value in query_columns.items()},
            "query string",
        )
    raw = _swagger_format(_merge(query, body_options))
    if columns_source is None and any(isinstance(raw.get(n), str) for n in _referenced(raw)):
        # ?a=1,2&b=3,4&x_column=a&y_column=b: the lists sit under the names the options give
        form = _FIRST_BYTE.search(body) and media_of(content_type) == _FORM
        columns_source = ({}, "form" if form else "query string")
    if columns_source is not None and columns_source[1] in _LISTS:
        _take_named_lists(columns_source[0], raw)
    options = parse_options(raw, settings)

    if columns_source is None:
        refuse_data_options(raw)
        n = 1000 if options.n is None else options.n
        if n > settings.max_points:
            raise TooLarge(f"n is {n}; at most {settings.max_points} points are allowed", field="n")
        x, y = reference_data(n, options.seed)
        data = ChartData(x=x, y=y)
        deterministic = options.seed is not None
        skipped = None
    else:
        for name in ("n", "seed"):
            if getattr(options, name) is not None:
                raise InvalidOption(
                    f"{name} applies to generated data only; this request sends its own data",
                    field=name,
                )
        columns, where = columns_source
        for name in ("delimiter", "decimal"):
            if name in raw and where != "CSV":
                raise InvalidOption(
                    f"{name} applies to CSV bodies; this request sends its data as {where}",
                    field=name,
                )
        with collector_paused():
            data = chart_data(columns, options, settings=settings, where=where)
        if where == _PLAIN_JSON:
            refuse_unused(columns, data)
        deterministic = True
        skipped = data.skipped
    spec = build_spec(options, data, settings)
    output = choose_output(headers.get("accept"), options.output, spec.format)
    keyed = options.code is not None or "x-functions-key" in headers
    return ChartRequest(
        spec=spec,
        output=output,
        details=options.details,
        deterministic=deterministic,
        keyed=keyed,
        skipped=skipped,
        warnings=glyph_warnings(spec)[1],
    )


def _referenced(raw: Mapping[str, Any]) -> list[str]:
    """Column names the raw options name (before they are checked)."""
    names: list[str] = []
    for option in COLUMN_OPTIONS:
        value = raw.get(option)
        if isinstance(value, list):
            names += [item for item in value if isinstance(item, str)]
        elif isinstance(value, str):
            names.append(value)
            if option == "y_column":
                names += [part.strip() for part in value.split(",")]
    return names


def _take_named_lists(columns: Columns, raw: dict[str, Any]) -> None:
    """Query string or form data: fields the column options name are columns too
    (``?x=1,2&y=3,4&g=a,b&group=g``)."""
    for name in _referenced(raw):
        if name not in columns and name not in SECRET_OPTIONS and isinstance(raw.get(name), str):
            columns[name] = _split_list(raw.pop(name))


def _read_body(
    body: bytes,
    content_type: str,
    settings: Settings,
    *,
    delimiter: str | None,
    decimal: str | None,
) -> tuple[tuple[Columns, str] | None, dict[str, Any]]:
    """Columns (with a name for messages) and options carried by the body."""
    media = media_of(content_type)
    first = _FIRST_BYTE.search(body)
    looks_like_json = first is not None and first.group() in (b"{", b"[")
    if is_json(media):
        return _read_json(body, settings)
    if media in CSV_TYPES:
        separator = None if media != "text/tab-separated-values" else "\t"
        if delimiter is not None:
            separator = DELIMITER_NAMES.get(delimiter)
            if separator is None:
                raise InvalidOption(
                    f"delimiter is {shorten(delimiter)}; expected {OPTION_HELP['delimiter']}",
                    field="delimiter",
                )
        if decimal not in (None, ".", ","):
            raise InvalidOption(
                f"decimal is {shorten(decimal)}; expected {OPTION_HELP['decimal']}",
                field="decimal",
            )
        text = _decode_utf8(body)
        columns = columns_from_csv(
            text,
            max_points=settings.max_points,
            max_columns=settings.max_columns,
            delimiter=separator,
            decimal=decimal or ".",
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
    if isinstance(document, dict | list):
        check_unique_keys(body, document)
    limits = {"max_points": settings.max_points, "max_columns": settings.max_columns}
    if isinstance(document, list) and document and isinstance(document[0], dict):
        where = "JSON records"  # pandas orient="records"
        return (columns_from_rows(document, where, **limits), where), {}
    if not isinstance(document, dict):
        raise MalformedBody(
            f"the JSON body must be an object, got {type(document).__name__}; "
            'send {"x": [...], "y": [...]}, an Azure ML {"Inputs": ...} request or a pandas '
            "DataFrame.to_json() (orient 'columns', 'split' or 'records')"
        )
    if "Inputs" in document:
        return _read_azureml(document, settings)
    known = set(option_names())
    if (
        isinstance(document.get("columns"), list)
        and isinstance(document.get("data"), list)
        and set(document) - {"columns", "data", "index"} <= known
    ):
        where = "JSON table (pandas orient='split')"
        options = {k: v for k, v in document.items() if k not in ("columns", "data", "index")}
        check_column_count(len(document["columns"]), where, max_columns=settings.max_columns)
        split = columns_from_split(document, where, max_points=settings.max_points)
        return (split, where), options
    objects = [key for key, value in document.items() if isinstance(value, dict)]
    if objects:
        lists = [key for key, value in document.items() if isinstance(value, list)]
        if lists:
            raise InvalidData(
                f"{objects[0]} is an object of index: value (pandas orient='columns') but "
                f"{lists[0]} is a list; send every column as a list, or every column as an object",
                field=objects[0],
            )
        where = "JSON columns (pandas orient='columns')"
        check_column_count(len(objects), where, max_columns=settings.max_columns)
        table = {key: document[key] for key in objects}
        options = {key: value for key, value in document.items() if key not in table}
        by_index = columns_from_pandas_columns(table, where, max_points=settings.max_points)
        return (by_index, where), options
    listed = sum(isinstance(v, list) and k not in _NOT_COLUMNS for k, v in document.items())
    check_column_count(listed, _PLAIN_JSON, max_columns=settings.max_columns)
    columns: Columns = {}
    options = {}
    for key, value in document.items():
        if key in _DATA_KEYS or (isinstance(value, list) and key not in _NOT_COLUMNS):
            columns[key] = value
        else:
            options[key] = value
    for key in _DATA_KEYS:
        if key in columns and not isinstance(columns[key], list):
            raise InvalidData(
                f"{key} must be a list of numbers, got {shorten(columns[key])}", field=key
            )
    return ((columns, _PLAIN_JSON) if columns else None), options


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
    """A comma-separated list from a query string or form field (blank items are missing
    values: ``1,,3``)."""
    return value.split(",") if value.strip() else []


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
    hint = ""
    given = raw.get(field)
    if field in _CHOICES and isinstance(given, str):
        lowered = {name.lower(): name for name in _CHOICES[field]}
        close = difflib.get_close_matches(given.lower(), list(lowered), n=3, cutoff=0.6)
        if close:
            hint = f" Did you mean {', '.join(repr(lowered[name]) for name in close)}?"
        hint += f" The choices are {', '.join(_CHOICES[field])}."
    return InvalidOption(
        f"{field} is {value}: {reason.replace('`', '')}. Expected {OPTION_HELP.get(field, '')}"
        + hint,
        field=field,
    )
