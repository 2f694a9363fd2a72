"""Functions route templates (ASP.NET syntax) compiled to regular expressions.

Supported: literal segments (case-insensitive), ``{name}``, ``{name:constraint}`` with the
constraints below, an optional last parameter ``{name?}`` and a catch-all ``{*name}``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["CONSTRAINTS", "Route", "compile_route"]


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

_PARAMETER = re.compile(
    r"\{(?P<star>\*{1,2})?(?P<name>[A-Za-z_]\w*)(?P<rules>(?::\w+)*)(?P<opt>\?)?\}"
)


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
        for rule in filter(None, found["rules"].split(":")):
            if rule.lower() not in CONSTRAINTS:
                raise ValueError(f"route constraint {rule!r} is not supported: {text!r}")
            checks.append((name, CONSTRAINTS[rule.lower()]))
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
            for rule in filter(None, whole["rules"].split(":")):
                if rule.lower() not in CONSTRAINTS:
                    raise ValueError(f"route constraint {rule!r} is not supported: {route!r}")
                checks.append((name, CONSTRAINTS[rule.lower()]))
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
