"""Inline route constraints (``{id:int}``, ``{name:maxlength(8)}``), as ASP.NET Core routing
checks them for the Functions host.

The names and their meaning follow ASP.NET Core's default constraint map (``RouteOptions``):
``int long float double decimal bool datetime guid alpha minlength maxlength length min max
range regex required file nonfile``; names are matched without regard to case, arguments are
split at commas except for ``regex``, which takes its whole argument. An unknown name or a bad
argument is a ``ValueError``, as ASP.NET refuses such a template when the host starts.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal, InvalidOperation

__all__ = ["Check", "constraint"]

Check = Callable[[str], bool]

_INTEGER = re.compile(r"\s*[+-]?\d+\s*")
# double.TryParse(NumberStyles.Float | AllowThousands, InvariantCulture)
_DOUBLE = re.compile(r"\s*[+-]?(?=\.?\d)[\d,]*(?:\.\d*)?(?:[eE][+-]?\d+)?\s*")
_DOUBLE_WORDS = {"nan", "infinity", "+infinity", "-infinity", "∞", "+∞", "-∞"}
# decimal.TryParse(NumberStyles.Number, InvariantCulture): no exponent, a sign before or after
_DECIMAL = re.compile(
    r"\s*(?P<lead>[+-]?)(?=\.?\d)(?P<number>[\d,]*(?:\.\d*)?)\s*(?P<trail>[+-]?)\s*"
)
_DECIMAL_MAX = Decimal("79228162514264337593543950335")
_ALPHA = re.compile(r"[A-Za-z]*")
# DateTime.TryParse(InvariantCulture) accepts ISO 8601 and these invariant-culture shapes
_DATE_FORMATS = (
    "%m/%d/%Y",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %I:%M:%S %p",
    "%Y/%m/%d",
    "%Y/%m/%d %H:%M:%S",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d %Y",
    "%B %d %Y",
    "%B %d, %Y",
    "%a, %d %b %Y %H:%M:%S GMT",
    "%H:%M",
    "%H:%M:%S",
)


def _integer(bits: int) -> Check:
    low, high = -(2 ** (bits - 1)), 2 ** (bits - 1)

    def check(value: str) -> bool:
        return _INTEGER.fullmatch(value) is not None and low <= int(value) < high

    return check


def _as_long(value: str) -> int | None:
    """``long.TryParse(NumberStyles.Integer)``: the number, or ``None``."""
    if _INTEGER.fullmatch(value) is None:
        return None
    number = int(value)
    return number if -(2**63) <= number < 2**63 else None


def _is_double(value: str) -> bool:
    return value.strip().lower() in _DOUBLE_WORDS or _DOUBLE.fullmatch(value) is not None


def _is_decimal(value: str) -> bool:
    found = _DECIMAL.fullmatch(value)
    if found is None or (found["lead"] and found["trail"]):
        return False
    try:
        number = Decimal(found["number"].replace(",", "") or "0")
    except InvalidOperation:
        return False
    return abs(number) <= _DECIMAL_MAX


def _is_guid(value: str) -> bool:
    text = value.strip()
    if text.startswith("{") != text.endswith("}") or text.startswith("(") != text.endswith(")"):
        return False
    try:
        uuid.UUID(text.strip("{}()"))
    except ValueError:
        return False
    return True


def _is_datetime(value: str) -> bool:
    text = value.strip()
    try:
        datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        return True
    for shape in _DATE_FORMATS:
        try:
            datetime.strptime(text, shape)
        except ValueError:
            continue
        return True
    return False


def _is_file_name(value: str) -> bool:
    """ASP.NET's ``FileNameRouteConstraint``: the last segment has a dot followed by a non-dot."""
    last = value.rsplit("/", 1)[-1]
    dot = last.find(".")
    return dot >= 0 and any(char != "." for char in last[dot + 1 :])


def _arguments(name: str, text: str | None, count: tuple[int, ...]) -> list[int]:
    """The comma-separated integer arguments of ``name(...)``, as many as ``count`` allows."""
    parts = [] if text is None else [part.strip() for part in text.split(",")]
    if len(parts) not in count:
        raise ValueError(
            f"route constraint {name!r} takes {' or '.join(map(str, count))} arguments"
        )
    try:
        return [int(part) for part in parts]
    except ValueError:
        raise ValueError(f"route constraint {name!r} needs whole-number arguments") from None


def _lengths(name: str, text: str | None) -> Check:
    """``minlength(n)``, ``maxlength(n)``, ``length(n)`` and ``length(min,max)``: string length."""
    numbers = _arguments(name, text, (1, 2) if name == "length" else (1,))
    if any(number < 0 for number in numbers):
        raise ValueError(f"route constraint {name!r} needs lengths of 0 or more")
    low, high = (numbers[0], numbers[-1]) if name == "length" else (numbers[0], numbers[0])
    if name == "minlength":
        return lambda value: len(value) >= low
    if name == "maxlength":
        return lambda value: len(value) <= high
    if low > high:
        raise ValueError(f"route constraint {name!r}: the minimum is above the maximum")
    return lambda value: low <= len(value) <= high


def _bounds(name: str, text: str | None) -> Check:
    """``min(n)``, ``max(n)`` and ``range(min,max)``: a 64-bit integer within the bounds."""
    numbers = _arguments(name, text, (2,) if name == "range" else (1,))
    low = numbers[0] if name != "max" else -(2**63)
    high = numbers[-1] if name != "min" else 2**63 - 1
    if low > high:
        raise ValueError(f"route constraint {name!r}: the minimum is above the maximum")

    def check(value: str) -> bool:
        number = _as_long(value)
        return number is not None and low <= number <= high

    return check


def _regex(text: str | None) -> Check:
    if not text:
        raise ValueError("route constraint 'regex' needs a pattern")
    try:
        # RegexRouteConstraint: IgnoreCase | CultureInvariant, IsMatch (not anchored)
        pattern = re.compile(text, re.IGNORECASE)
    except re.error as error:
        raise ValueError(
            f"route constraint regex({text}) is not a valid pattern: {error}"
        ) from None
    return lambda value: pattern.search(value) is not None


_PLAIN: dict[str, Check] = {
    "int": _integer(32),
    "long": _integer(64),
    "float": _is_double,
    "double": _is_double,
    "decimal": _is_decimal,
    "bool": lambda value: value.strip().lower() in ("true", "false"),
    "datetime": _is_datetime,
    "guid": _is_guid,
    "alpha": lambda value: _ALPHA.fullmatch(value) is not None,
    "required": lambda value: value != "",
    "file": _is_file_name,
    "nonfile": lambda value: not _is_file_name(value),
}
_LENGTHS = ("minlength", "maxlength", "length")
_BOUNDS = ("min", "max", "range")


def constraint(text: str) -> Check:
    """The check for one inline constraint such as ``int``, ``maxlength(0)`` or ``regex(^a)``."""
    opening = text.find("(")
    if opening >= 0 and text.endswith(")"):
        name, argument = text[:opening].lower(), text[opening + 1 : -1]
    else:
        name, argument = text.lower(), None
    if name in _PLAIN:
        if argument is not None:
            raise ValueError(f"route constraint {name!r} takes no arguments")
        return _PLAIN[name]
    if name in _LENGTHS:
        return _lengths(name, argument)
    if name in _BOUNDS:
        return _bounds(name, argument)
    if name == "regex":
        return _regex(argument)
    raise ValueError(f"route constraint {text!r} is not one ASP.NET Core routing knows")
