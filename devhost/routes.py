"""Functions route templates (ASP.NET Core routing syntax) compiled to regular expressions.

Supported, as ASP.NET Core routing reads them for the Functions host: literal segments (matched
without regard to case), ``{name}``, inline constraints with arguments (``{id:int:min(1)}``,
``{page:maxlength(0)?}``, ``{code:regex(^\\d{{3}}$)}``: see ``constraints``), defaults
(``{format=png}``), optional parameters (``{name?}``), a catch-all last parameter (``{*rest}``),
segments mixing literals and parameters (``chart.{ext}``), and ``{{``/``}}`` for literal braces.
A trailing slash is ignored, as ASP.NET's ``PathTokenizer`` does, so ``api/{page?}`` answers
both ``/api`` and ``/api/``. Trailing segments that may be left out (optional, with a default,
or a catch-all) may be left out together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .constraints import Check, constraint

__all__ = ["Parameter", "Route", "compile_route"]

_NAME_FORBIDDEN = set("/{}?*:=")


@dataclass(frozen=True, slots=True)
class Parameter:
    """One ``{...}`` of a template."""

    name: str
    constraints: tuple[str, ...] = ()
    default: str | None = None
    optional: bool = False
    catch_all: bool = False
    checks: tuple[Check, ...] = field(default=(), compare=False)


Part = str | Parameter


@dataclass(frozen=True, slots=True)
class Route:
    """A compiled template: ``match(path)`` gives the route values or ``None``."""

    template: str
    pattern: re.Pattern[str]
    parameters: tuple[Parameter, ...]
    precedence: tuple[int, ...]
    """ASP.NET Core's inbound precedence, one digit per segment: lower is tried first."""

    @property
    def catch_all(self) -> bool:
        return any(parameter.catch_all for parameter in self.parameters)

    def match(self, path: str) -> dict[str, str] | None:
        found = self.pattern.fullmatch(path)
        if found is None:
            return None
        values: dict[str, str] = {}
        for index, parameter in enumerate(self.parameters):
            value = found.group(f"p{index}")
            if not value:  # an empty or missing value is no value
                if parameter.default is None:
                    continue
                value = parameter.default
            if not all(check(value) for check in parameter.checks):
                return None
            values[parameter.name] = value
        return values


def _read_parameter(text: str, start: int) -> tuple[str, int]:
    """The text of the parameter opening at ``text[start]`` (``}}`` and ``{{`` unescaped) and
    the index after its closing brace."""
    pieces: list[str] = []
    index = start + 1
    while index < len(text):
        char = text[index]
        if char in "{}" and text[index + 1 : index + 2] == char:
            pieces.append(char)
            index += 2
        elif char == "}":
            return "".join(pieces), index + 1
        elif char == "{":
            raise ValueError(f"route parameter in {text!r} has an unescaped '{{'")
        else:
            pieces.append(char)
            index += 1
    raise ValueError(f"route parameter in {text!r} is not closed with '}}'")


def _constraint_end(text: str, start: int) -> int:
    """Where the constraint starting at ``text[start]`` ends: at ``:`` or ``=``, or after the
    ``)`` of its arguments that is followed by ``:``, ``=`` or the end (ASP.NET's rule)."""
    index = start
    while index < len(text) and text[index] not in ":=(":
        index += 1
    if index == len(text) or text[index] != "(":
        return index
    closing = text.find(")", index)
    while closing >= 0 and closing + 1 < len(text) and text[closing + 1] not in ":=":
        closing = text.find(")", closing + 1)
    if closing < 0:
        raise ValueError(f"route constraint in {{{text}}} is missing its ')'")
    return closing + 1


def parse_parameter(text: str) -> Parameter:
    """``*name:rule(args):rule=default`` or ``name:rule?`` (the text inside the braces)."""
    catch_all = text.startswith("*")
    body = text.lstrip("*") if catch_all else text
    optional = body.endswith("?")
    if optional:
        body = body[:-1]
    name_end = next((i for i, char in enumerate(body) if char in ":="), len(body))
    name = body[:name_end]
    if not name or _NAME_FORBIDDEN & set(name) or text.startswith("***"):
        raise ValueError(f"route parameter {{{text}}} has no valid name")
    rules: list[str] = []
    index = name_end
    while index < len(body) and body[index] == ":":
        end = _constraint_end(body, index + 1)
        if end == index + 1:
            raise ValueError(f"route parameter {{{text}}} has an empty constraint")
        rules.append(body[index + 1 : end])
        index = end
    default = body[index + 1 :] if index < len(body) else None
    if default is not None and optional:
        raise ValueError(f"route parameter {{{text}}}: an optional parameter has no default")
    if catch_all and optional:
        raise ValueError(f"route parameter {{{text}}}: a catch-all cannot be optional")
    return Parameter(
        name=name,
        constraints=tuple(rules),
        default=default,
        optional=optional,
        catch_all=catch_all,
        checks=tuple(constraint(rule) for rule in rules),
    )


def _parts(segment: str) -> list[Part]:
    """A segment's literals and parameters, in order."""
    parts: list[Part] = []
    literal: list[str] = []
    index = 0
    while index < len(segment):
        char = segment[index]
        if char in "{}" and segment[index + 1 : index + 2] == char:
            literal.append(char)
            index += 2
        elif char == "{":
            if literal:
                parts.append("".join(literal))
                literal = []
            text, index = _read_parameter(segment, index)
            if parts and isinstance(parts[-1], Parameter):
                raise ValueError(f"route segment {segment!r} has two parameters in a row")
            parts.append(parse_parameter(text))
        elif char == "}":
            raise ValueError(f"route segment {segment!r} has an unescaped '}}'")
        else:
            literal.append(char)
            index += 1
    if literal:
        parts.append("".join(literal))
    return parts


def _split(template: str) -> list[str]:
    """The segments of ``template``, split at ``/`` outside braces."""
    segments: list[str] = []
    current: list[str] = []
    depth = 0
    for char in template:
        if char == "/" and depth == 0:
            segments.append("".join(current))
            current = []
            continue
        depth += 1 if char == "{" else -1 if char == "}" else 0
        current.append(char)
    segments.append("".join(current))
    return segments


def _digit(parts: list[Part]) -> int:
    """ASP.NET ``RoutePrecedence.ComputeInboundPrecedenceDigit``."""
    if len(parts) > 1:
        return 2
    part = parts[0]
    if isinstance(part, str):
        return 1
    return (5 if part.catch_all else 3) - (1 if part.constraints else 0)


def _omittable(parts: list[Part]) -> bool:
    part = parts[0]
    return (
        len(parts) == 1
        and isinstance(part, Parameter)
        and (part.optional or part.default is not None or part.catch_all)
    )


def compile_route(prefix: str, route: str) -> Route:
    """Compile ``/<prefix>/<route>``; ``ValueError`` for a template the host would refuse."""
    template = "/".join(part for part in (prefix.strip("/"), route.strip("/")) if part)
    segments = [_parts(segment) for segment in _split(template)] if template else []
    if any(not parts for parts in segments):
        raise ValueError(f"route {route!r} has an empty segment")
    parameters: list[Parameter] = []
    pieces: list[str] = []
    for number, parts in enumerate(segments):
        regex = ""
        for part in parts:
            if isinstance(part, str):
                regex += re.escape(part)
                continue
            if part.catch_all and number != len(segments) - 1:
                raise ValueError(f"route {route!r}: a catch-all must be the last segment")
            if part.optional and (len(parts) > 1 or number != len(segments) - 1):
                raise ValueError(f"route {route!r}: only a whole last segment may be optional")
            if part.name.lower() in (p.name.lower() for p in parameters):
                raise ValueError(f"route {route!r} names {part.name!r} twice")
            body = ".*" if part.catch_all else "[^/]+"
            regex += f"(?P<p{len(parameters)}>{body})"
            parameters.append(part)
        pieces.append(regex)
    first_omittable = len(segments)
    while first_omittable > 0 and _omittable(segments[first_omittable - 1]):
        first_omittable -= 1
    regex = "".join("/" + piece for piece in pieces[:first_omittable])
    tail = ""
    for piece in reversed(pieces[first_omittable:]):
        tail = f"(?:/{piece}{tail})?"
    try:
        pattern = re.compile(regex + tail + "/?", re.IGNORECASE)
    except re.error as error:
        raise ValueError(f"route {route!r} cannot be compiled: {error}") from None
    precedence = tuple(_digit(parts) for parts in segments)
    return Route("/" + template, pattern, tuple(parameters), precedence)
