"""The service's chart options, from ``options.json`` (written from ``shared/openapi.json`` by
``python -m tools.client_options``), and the one check of a value against its schema.

The check serves both doors: ``ScatterPlot.draw(width=640)`` and ``--width 640`` reach
``Option.check``, which returns the value as the service reads it (``"640"``) or raises a
``UsageError`` naming the option. A name the service does not know raises before any request,
with the closest known name when there is one.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from .errors import UsageError

__all__ = ["Option", "check_options", "option_list", "options_by_name", "suggest"]

_INTEGER = re.compile(r"[-+]?\d+")


@dataclass(frozen=True, slots=True)
class Option:
    """One chart option: its name as the service spells it, its help and its JSON schema."""

    name: str
    help: str
    schema: Mapping[str, Any]

    @property
    def kind(self) -> str:
        """``integer``, ``number``, ``boolean``, ``string``, or ``any`` for a union."""
        kind = self.schema.get("type")
        return kind if isinstance(kind, str) else "any"

    @property
    def choices(self) -> tuple[str, ...] | None:
        """The allowed values of an enumerated option."""
        values = self.schema.get("enum")
        return tuple(str(value) for value in values) if isinstance(values, list) else None

    def check(self, value: object) -> str:
        """``value`` as sent to the service; ``UsageError`` if the schema refuses it."""
        problems: list[str] = []
        for schema in self.schema.get("anyOf", [self.schema]):
            try:
                return _text(_convert(value, schema))
            except ValueError as error:
                problems.append(str(error))
                if isinstance(value, str) and _reads_as_number(value, schema):
                    break  # a value that reads as a number is judged as one
        raise UsageError(
            f"{self.name} is {_shown(value)}; it must be {' or '.join(problems)}",
            code="InvalidOption",
            field=self.name,
        )


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _reads_as_number(text: str, schema: Mapping[str, Any]) -> bool:
    if schema.get("type") not in ("number", "integer"):
        return False
    try:
        float(text)
    except ValueError:
        return False
    return True


def _number(value: object, integer: bool) -> float | int:
    if isinstance(value, bool):
        raise ValueError("a number, not a boolean")
    if integer:
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
            return int(value)
        raise ValueError("a whole number")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            raise ValueError("a number") from None
    else:
        raise ValueError("a number")
    if not math.isfinite(number):
        raise ValueError("a finite number")
    return number


def _bounds(number: float, schema: Mapping[str, Any]) -> None:
    low, high = schema.get("minimum"), schema.get("maximum")
    above, below = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if low is not None and number < low:
        raise ValueError(f"at least {low:g}")
    if high is not None and number > high:
        raise ValueError(f"at most {high:g}")
    if above is not None and number <= above:
        raise ValueError(f"above {above:g}")
    if below is not None and number >= below:
        raise ValueError(f"below {below:g}")


def _boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
        return value.strip().lower() in ("true", "1")
    raise ValueError("true or false")


def _string(value: object, schema: Mapping[str, Any]) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError("text")
    text = str(value)
    limit = schema.get("maxLength")
    if limit is not None and len(text) > limit:
        raise ValueError(f"at most {limit} characters")
    pattern = schema.get("pattern")
    if pattern is not None and not re.search(pattern, text):
        raise ValueError(f"text matching {pattern}")
    return text


def _convert(value: object, schema: Mapping[str, Any]) -> object:
    """The typed value, or ``ValueError`` saying what it must be."""
    kind = schema.get("type")
    converted: object
    if kind in ("integer", "number"):
        number = _number(value, kind == "integer")
        _bounds(float(number), schema)
        converted = number
    elif kind == "boolean":
        converted = _boolean(value)
    elif kind == "string":
        converted = _string(value, schema)
    else:
        converted = value
    choices = schema.get("enum")
    if isinstance(choices, list) and converted not in choices:
        raise ValueError("one of " + ", ".join(str(choice) for choice in choices))
    return converted


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@cache
def option_list() -> tuple[Option, ...]:
    """Every option the client offers, in the service's order."""
    text = (
        resources.files(__package__ or "client")
        .joinpath("options.json")
        .read_text(encoding="utf-8")
    )
    document = json.loads(text)
    return tuple(
        Option(entry["name"], entry.get("help", ""), entry["schema"])
        for entry in document["options"]
    )


@cache
def options_by_name() -> dict[str, Option]:
    """The options, by name."""
    return {option.name: option for option in option_list()}


def suggest(name: str, names: Iterable[str]) -> str:
    """``"; did you mean 'width'?"`` for a near miss, else ``""``."""
    close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def check_options(given: Mapping[str, object]) -> dict[str, str]:
    """The options set (``None`` means unset) as the service reads them; ``UsageError`` for an
    unknown name or a bad value."""
    known = options_by_name()
    checked: dict[str, str] = {}
    for name, value in given.items():
        option = known.get(name)
        if option is None:
            raise UsageError(
                f"{name!r} is not an option of the service{suggest(name, known)}",
                code="UnknownOption",
                field=name,
            )
        if value is not None:
            checked[name] = option.check(value)
    return checked
