"""``host.json`` and ``*/function.json``: what the host serves, checked without importing code.

``check_function(folder)`` lists what is wrong with one function folder (the contract the real
host and Python worker enforce at load time); ``load_app(root)`` reads the whole app.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "AUTH_LEVELS",
    "HTTP_METHODS",
    "AppConfig",
    "ConfigError",
    "FunctionConfig",
    "check_function",
    "load_app",
    "read_function",
]

AUTH_LEVELS = ("anonymous", "function", "admin")
HTTP_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE")


class ConfigError(ValueError):
    """A host.json or function.json the host cannot serve."""


@dataclass(frozen=True, slots=True)
class FunctionConfig:
    """One HTTP-triggered function, as its function.json declares it."""

    name: str
    folder: Path
    script: Path
    entry_point: str
    route: str
    methods: frozenset[str] | None
    """Upper-case method names, or ``None`` for every method."""
    auth_level: str
    binding_name: str
    """The trigger binding's ``name``: the keyword ``main`` receives the request as."""
    wants_context: bool = False
    """Whether ``main`` also takes ``context`` (the worker's invocation context)."""


@dataclass(frozen=True, slots=True)
class AppConfig:
    """The app: its route prefix and its HTTP functions."""

    root: Path
    route_prefix: str
    functions: tuple[FunctionConfig, ...]


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ConfigError(f"{path}: cannot read JSON: {error}") from None


def route_prefix(root: Path) -> str:
    """``extensions.http.routePrefix`` of ``host.json`` (default ``api``), without slashes."""
    path = root / "host.json"
    if not path.is_file():
        raise ConfigError(f"{path} not found: is {root} a Functions app?")
    document = _read_json(path)
    prefix = document.get("extensions", {}).get("http", {}).get("routePrefix", "api")
    if not isinstance(prefix, str):
        raise ConfigError(f"{path}: extensions.http.routePrefix must be a string")
    return prefix.strip("/")


def _main_parameters(script: Path, entry_point: str) -> list[str] | None:
    """The parameter names of ``entry_point`` in ``script``, or ``None`` if it is not defined."""
    tree = ast.parse(script.read_text(encoding="utf-8"), filename=str(script))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == entry_point:
            arguments = node.args
            every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
            return [argument.arg for argument in every]
    return None


def read_function(folder: Path) -> FunctionConfig:
    """Read and check ``folder/function.json``; ``ConfigError`` lists every problem found."""
    path = folder / "function.json"
    document = _read_json(path)
    problems: list[str] = []
    if not isinstance(document, dict):
        raise ConfigError(f"{path}: must be a JSON object")
    bindings = document.get("bindings")
    if not isinstance(bindings, list) or not all(isinstance(b, dict) for b in bindings):
        raise ConfigError(f"{path}: bindings must be a list of objects")
    triggers = [b for b in bindings if str(b.get("type", "")).endswith("Trigger")]
    if len(triggers) != 1:
        raise ConfigError(f"{path}: needs exactly one trigger binding, found {len(triggers)}")
    trigger = triggers[0]
    if trigger.get("type") != "httpTrigger":
        raise ConfigError(f"{path}: {trigger.get('type')} is not served by the local host")
    if trigger.get("direction") != "in":
        problems.append('the httpTrigger binding needs "direction": "in"')
    binding_name = trigger.get("name")
    if not isinstance(binding_name, str) or not binding_name.isidentifier():
        problems.append(f"the httpTrigger binding name {binding_name!r} is not a Python name")
        binding_name = ""
    outputs = [b for b in bindings if b.get("type") == "http" and b.get("direction") == "out"]
    if len(outputs) != 1 or outputs[0].get("name") != "$return":
        names = [b.get("name") for b in outputs]
        problems.append(f'needs one http output binding named "$return", found {names}')

    auth_level = str(trigger.get("authLevel", "function")).lower()
    if auth_level not in AUTH_LEVELS:
        problems.append(f"authLevel {trigger.get('authLevel')!r} is not one of {AUTH_LEVELS}")
    methods: frozenset[str] | None = None
    raw_methods = trigger.get("methods")
    if raw_methods is not None:
        if not isinstance(raw_methods, list) or not all(isinstance(m, str) for m in raw_methods):
            problems.append("methods must be a list of method names")
        else:
            methods = frozenset(m.upper() for m in raw_methods)
            unknown = sorted(methods - set(HTTP_METHODS))
            if unknown or not methods:
                problems.append(f"methods {raw_methods} are not all among {HTTP_METHODS}")
    route = trigger.get("route", folder.name)
    if not isinstance(route, str):
        problems.append("route must be a string")
        route = folder.name

    script_file = document.get("scriptFile", "__init__.py")
    entry_point = document.get("entryPoint", "main")
    script = (folder / str(script_file)).resolve()
    parameters: list[str] | None = None
    if not script.is_file() or script.suffix != ".py":
        problems.append(f"scriptFile {script_file!r} is not a Python file in {folder.name}/")
    elif script.parent != folder.resolve():
        problems.append(f"scriptFile {script_file!r} must be inside {folder.name}/")
    else:
        try:
            parameters = _main_parameters(script, str(entry_point))
        except SyntaxError as error:
            problems.append(f"{script.name} does not parse: {error}")
        else:
            wanted = sorted(
                str(b.get("name")) for b in bindings if b.get("name") not in (None, "$return")
            )
            if parameters is None:
                problems.append(f"{script.name} defines no function {entry_point!r}")
            elif sorted(p for p in parameters if p != "context") != wanted:
                problems.append(
                    f"{entry_point}() takes {parameters} but the bindings are named {wanted}"
                )
    if problems:
        raise ConfigError(f"{path}: " + "; ".join(problems))
    wants_context = "context" in (parameters or [])
    return FunctionConfig(
        name=folder.name,
        folder=folder,
        script=script,
        entry_point=str(entry_point),
        route=route.strip("/"),
        methods=methods,
        auth_level=auth_level,
        binding_name=binding_name,
        wants_context=wants_context,
    )


def check_function(folder: Path) -> list[str]:
    """The problems of one function folder (empty when the host and worker would accept it)."""
    try:
        read_function(folder)
    except ConfigError as error:
        return [str(error)]
    return []


def function_folders(root: Path) -> list[Path]:
    """Every folder of ``root`` holding a ``function.json``, sorted by name."""
    return sorted(path.parent for path in root.glob("*/function.json"))


def load_app(root: Path) -> tuple[AppConfig, list[str]]:
    """The app at ``root`` and the problems of the functions that cannot be served."""
    root = root.resolve()
    prefix = route_prefix(root)
    functions: list[FunctionConfig] = []
    problems: list[str] = []
    for folder in function_folders(root):
        try:
            functions.append(read_function(folder))
        except ConfigError as error:
            problems.append(str(error))
    return AppConfig(root=root, route_prefix=prefix, functions=tuple(functions)), problems
