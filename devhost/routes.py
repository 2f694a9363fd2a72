"""Functions route templates (ASP.NET syntax) compiled to regular expressions.

Supported: literal segments (case-insensitive), ``{name}``, ``{name:constraint}`` with the
constraints below (``CONSTRAINTS``, and ``ARGUMENT_CONSTRAINTS`` with their numbers:
``minlength(n)``, ``maxlength(n)``, ``length(n)``, ``length(a,b)``, ``min(n)``, ``max(n)``,
``range(a,b)``), an optional last parameter ``{name?}`` and a catch-all ``{*name}``.
The site root under the prefix is served by an optional, length-0 parameter, as on the real
host: ``{page:maxlength(0)?}`` matches ``/api/`` and nothing else.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["ARGUMENT_CONSTRAINTS", "CONSTRAINTS", "Route", "compile_route"]


def _is_int(bits: int) -> Callable[[str], bool]:
    def check(value: str) -> bool:
        if not re.fullmatch(r"[+-]?\d+", value):
            return False
        number = int(value)
        return bool(-(2 ** (bits - 1)) <= number < 2 ** (bits - 1))

    return check


def _is_float(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _is_guid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


CONSTRAINTS: dict[str, Callable[[str], bool]] = {
    "int": _is_int(32),
    "long": _is_int(64),
    "float": _is_float,
    "double": _is_float,
    "decimal": _is_float,
    "bool": lambda value: value.lower() in ("true", "false"),
    "alpha": lambda value: re.fullmatch(r"[A-Za-z]+", value) is not None,
    "guid": _is_guid,
}


def _bounded(low: int | None, high: int | None, *, length: bool) -> Callable[[str], bool]:
    """A check of a value's length (``length``) or integer value against inclusive bounds."""

    def check(value: str) -> bool:
        if length:
            number = len(value)
        elif re.fullmatch(r"[+-]?\d+", value):
            number = int(value)
        else:
            return False
        return (low is None or number >= low) and (high is None or number <= high)

    return check


# Constraints with numbers: how many they take, and the check they make of them.
ARGUMENT_CONSTRAINTS: dict[str, tuple[tuple[int, ...], Callable[..., Callable[[str], bool]]]] = {
    "minlength": ((1,), lambda low: _bounded(low, None, length=True)),
    "maxlength": ((1,), lambda high: _bounded(None, high, length=True)),
    "length": (
        (1, 2),
        lambda low, high=None: _bounded(low, low if high is None else high, length=True),
    ),
    "min": ((1,), lambda low: _bounded(low, None, length=False)),
    "max": ((1,), lambda high: _bounded(None, high, length=False)),
    "range": ((2,), lambda low, high: _bounded(low, high, length=False)),
}

_RULE = r"\w+(?:\([^(){}]*\))?"
_PARAMETER = re.compile(
    rf"\{{(?P<star>\*{{1,2}})?(?P<name>[A-Za-z_]\w*)(?P<rules>(?::{_RULE})*)(?P<opt>\?)?\}}"
)


def _constraints(rules: str, template: str) -> list[Callable[[str], bool]]:
    """The checks of a parameter's ``:int:maxlength(0)`` part; ``ValueError`` if unknown."""
    checks: list[Callable[[str], bool]] = []
    for rule in re.findall(rf":({_RULE})", rules):
        name, _, rest = rule.partition("(")
        name = name.lower()
        if not rest and name in CONSTRAINTS:
            checks.append(CONSTRAINTS[name])
            continue
        arities, make = ARGUMENT_CONSTRAINTS.get(name, ((), _bounded))
        numbers = [piece.strip() for piece in rest.rstrip(")").split(",")] if rest else []
        if len(numbers) not in arities or not all(re.fullmatch(r"-?\d+", n) for n in numbers):
            raise ValueError(f"route constraint {rule!r} is not supported: {template!r}")
        checks.append(make(*(int(n) for n in numbers)))
    return checks


@dataclass(frozen=True, slots=True)
class Route:
    """A compiled template: ``match(path)`` gives the route values or ``None``."""

    template: str
    pattern: re.Pattern[str]
    checks: tuple[tuple[str, Callable[[str], bool]], ...]
    parameters: int
    catch_all: bool

    def match(self, path: str) -> dict[str, str] | None:
        found = self.pattern.fullmatch(path)
        if found is None:
            return None
        values = {name: value for name, value in found.groupdict().items() if value is not None}
        for name, check in self.checks:
            if name in values and not check(values[name]):
                return None
        return values


def _segment(text: str, checks: list[tuple[str, Callable[[str], bool]]]) -> str:
    """The regex of a segment mixing literals and ``{name:rule}`` parameters."""
    pieces: list[str] = []
    position = 0
    for found in _PARAMETER.finditer(text):
        pieces.append(re.escape(text[position : found.start()]))
        name = found["name"]
        checks.extend((name, check) for check in _constraints(found["rules"], text))
        pieces.append(f"(?P<{name}>[^/]+?)")
        position = found.end()
    rest = text[position:]
    if "{" in rest or "}" in rest:
        raise ValueError(f"route segment {text!r} has a malformed parameter")
    pieces.append(re.escape(rest))
    return "".join(pieces)


def compile_route(prefix: str, route: str) -> Route:
    """Compile ``/<prefix>/<route>``; ``ValueError`` for a template the host would reject."""
    template = "/".join(part for part in (prefix.strip("/"), route.strip("/")) if part)
    segments = template.split("/") if template else []
    checks: list[tuple[str, Callable[[str], bool]]] = []
    regex = ""
    parameters = 0
    catch_all = False
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        whole = _PARAMETER.fullmatch(segment)
        if whole and (whole["star"] or whole["opt"]):
            if not last:
                raise ValueError(f"only the last segment may be optional or catch-all: {route!r}")
            name = whole["name"]
            checks.extend((name, check) for check in _constraints(whole["rules"], route))
            body = ".*" if whole["star"] else "[^/]+"
            regex += f"(?:/(?P<{name}>{body}))?"
            parameters += 1
            catch_all = bool(whole["star"])
            continue
        if not segment:
            raise ValueError(f"route {route!r} has an empty segment")
        parameters += len(_PARAMETER.findall(segment))
        regex += "/" + _segment(segment, checks)
    try:
        pattern = re.compile((regex or "") + "/?", re.IGNORECASE)
    except re.error as error:
        raise ValueError(f"route {route!r} cannot be compiled: {error}") from None
    return Route("/" + template, pattern, tuple(checks), parameters, catch_all)
