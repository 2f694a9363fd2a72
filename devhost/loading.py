"""Import a function's entry point and check it as the Python worker does when it loads it.

The worker's ``functions.Registry.add_function`` (Azure/azure-functions-python-worker,
``azure_functions_worker/functions.py``) reads ``typing.get_type_hints(main)`` and refuses the
function (``FunctionLoadError``) when an annotation does not fit its binding:

- the return annotation, when function.json has a ``$return`` binding: not
  ``azure.functions.Out[...]``, a class, and one the binding's converter accepts; for ``http``
  that is ``HttpResponseConverter.check_output_type_annotation``, ``issubclass(t,
  (HttpResponse, str))`` (Azure/azure-functions-python-library, ``azure/functions/http.py``),
  so ``-> dict``, ``-> None`` and ``-> HttpResponse | None`` are refused;
- the trigger parameter's annotation: a class, and an ``HttpRequest`` (``str`` or ``bytes``
  are checked against the generic binding, which takes them);
- ``context``'s annotation: a class named ``Context``.
"""

from __future__ import annotations

import importlib
import sys
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import azure.functions as func

from .config import FunctionConfig

__all__ = ["FunctionLoadError", "check_entry_point", "load_entry_point"]


class FunctionLoadError(RuntimeError):
    """The worker would refuse to load the function."""

    def __init__(self, function_name: str, message: str) -> None:
        super().__init__(f"cannot load the {function_name} function: {message}")


def _binding(name: str) -> Any:
    """The library's converter for a binding type, as the worker looks it up."""
    registry: Any = func.get_binding_registry()  # type: ignore[no-untyped-call]
    return registry.get(name)


def _is_out(annotation: object) -> bool:
    origin = typing.get_origin(annotation)
    return origin is not None and getattr(origin, "__name__", "") == "Out"


def check_entry_point(function: FunctionConfig, entry: Callable[..., Any]) -> None:
    """Raise ``FunctionLoadError`` where the worker would refuse ``entry`` for ``function``."""
    name = function.name
    try:
        hints = typing.get_type_hints(entry)
    except Exception as error:  # the worker's get_type_hints fails the load the same way
        raise FunctionLoadError(name, f"its annotations cannot be read: {error}") from error
    if "context" in hints:
        context = hints["context"]
        if not isinstance(context, type) or context.__name__ != "Context":
            raise FunctionLoadError(
                name,
                'the "context" parameter is expected to be of type azure.functions.Context, '
                f"got {context!r}",
            )
    if function.binding_name in hints:
        given = hints[function.binding_name]
        if not isinstance(given, type):
            raise FunctionLoadError(
                name, f"binding {function.binding_name} has invalid non-type annotation {given!r}"
            )
        # str and bytes go to the worker's own GenericBinding, which takes them
        if given not in (str, bytes) and not _binding("httpTrigger").check_input_type_annotation(
            given
        ):
            raise FunctionLoadError(
                name,
                f'type of {function.binding_name} binding in function.json "httpTrigger" '
                f'does not match its Python annotation "{given.__name__}"',
            )
    if "return" in hints:
        returned = hints["return"]
        if _is_out(returned):
            raise FunctionLoadError(name, "return annotation should not be azure.functions.Out")
        if not isinstance(returned, type):
            raise FunctionLoadError(name, f"has invalid non-type return annotation {returned!r}")
        if not _binding("http").check_output_type_annotation(returned):
            raise FunctionLoadError(
                name,
                f'Python return annotation "{returned.__name__}" does not match binding '
                'type "http"',
            )


def load_entry_point(function: FunctionConfig, root: Path) -> Callable[..., Any]:
    """Import the function's package, return its entry point, checked as the worker checks it."""
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    module_name = function.name
    if function.script.name != "__init__.py":
        module_name += "." + function.script.stem
    module = importlib.import_module(module_name)
    entry = getattr(module, function.entry_point, None)
    if not callable(entry):
        raise FunctionLoadError(
            function.name, f"{module_name} has no callable {function.entry_point!r}"
        )
    check_entry_point(function, entry)
    return entry  # type: ignore[no-any-return]
