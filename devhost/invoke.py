"""Import a function and call it the way the Python worker does.

The request becomes an ``azure.functions.HttpRequest``; ``main`` receives it as the keyword
named by the trigger binding; a sync ``main`` runs in a thread pool, an async one on the loop.
The returned ``HttpResponse`` becomes status, headers and body.
"""

from __future__ import annotations

import importlib
import inspect
import sys
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import azure.functions as func
from starlette.concurrency import run_in_threadpool

from .config import FunctionConfig

__all__ = [
    "Invocation",
    "InvalidReturn",
    "LocalContext",
    "Reply",
    "build_request",
    "load_entry_point",
    "to_reply",
]


class InvalidReturn(TypeError):
    """The function returned something other than an ``HttpResponse`` for ``$return``."""


@dataclass(frozen=True, slots=True)
class Reply:
    """What goes back over HTTP."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


def load_entry_point(function: FunctionConfig, root: Any) -> Callable[..., Any]:
    """Import the function's folder as a package and return its entry point."""
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    module_name = function.name
    if function.script.name != "__init__.py":
        module_name += "." + function.script.stem
    module = importlib.import_module(module_name)
    entry = getattr(module, function.entry_point, None)
    if not callable(entry):
        raise AttributeError(f"{module_name} has no callable {function.entry_point!r}")
    return entry  # type: ignore[no-any-return]


def _joined(pairs: Iterable[tuple[str, str]], separator: str) -> dict[str, str]:
    """Repeated names joined into one value, as the host hands them to the worker."""
    merged: dict[str, str] = {}
    for name, value in pairs:
        merged[name] = merged[name] + separator + value if name in merged else value
    return merged


def build_request(
    *,
    method: str,
    url: str,
    headers: Iterable[tuple[str, str]],
    query: Iterable[tuple[str, str]],
    route_params: dict[str, str],
    body: bytes,
) -> func.HttpRequest:
    """The ``HttpRequest`` the worker would build (repeated query names joined with commas)."""
    return func.HttpRequest(
        method=method.upper(),
        url=url,
        headers=_joined(((name.lower(), value) for name, value in headers), ", "),
        params=_joined(query, ","),
        route_params=route_params,
        body=body,
    )


def to_reply(response: object) -> Reply:
    """Status, headers and body of the function's ``HttpResponse``."""
    if not isinstance(response, func.HttpResponse):
        raise InvalidReturn(
            f"the function returned {type(response).__name__}; $return needs an HttpResponse"
        )
    headers = [(name.lower(), str(value)) for name, value in response.headers.items()]
    if not any(name == "content-type" for name, _ in headers):
        mimetype = response.mimetype
        if mimetype.startswith("text/"):
            mimetype = f"{mimetype}; charset={response.charset}"
        headers.append(("content-type", mimetype))
    body = response.get_body() or b""
    headers = [(name, value) for name, value in headers if name != "content-length"]
    headers.append(("content-length", str(len(body))))
    return Reply(int(response.status_code), headers, body)


@dataclass(frozen=True, slots=True)
class LocalContext:
    """The parts of the worker's ``azure.functions.Context`` a function usually reads."""

    invocation_id: str
    function_name: str
    function_directory: str


@dataclass(frozen=True, slots=True)
class Invocation:
    """A loaded function ready to be called."""

    function: FunctionConfig
    entry: Callable[..., Any]

    async def __call__(self, request: func.HttpRequest) -> Reply:
        arguments: dict[str, object] = {self.function.binding_name: request}
        if self.function.wants_context:
            arguments["context"] = LocalContext(
                invocation_id=str(uuid.uuid4()),
                function_name=self.function.name,
                function_directory=str(self.function.folder),
            )
        if inspect.iscoroutinefunction(self.entry):
            result = await self.entry(**arguments)
        else:
            result = await run_in_threadpool(self.entry, **arguments)
        return to_reply(result)
