"""Call a loaded function the way the Python worker does.

``main`` receives the ``HttpRequest`` as the keyword named by the trigger binding (and
``context`` when it asks for it). An ``async def main`` runs on the event loop; a plain
``def main`` runs in the worker's thread pool: the worker's ``Dispatcher`` awaits
``loop.run_in_executor(self._sync_call_tp, ...)`` on one ``ThreadPoolExecutor`` per process
(Azure/azure-functions-python-worker, ``dispatcher.py``), sized by ``workers.thread_count``.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import uuid
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

import azure.functions as func

from .config import FunctionConfig
from .outbound import Reply, to_reply

__all__ = ["Invocation", "LocalContext"]


@dataclass(frozen=True, slots=True)
class LocalContext:
    """The parts of the worker's ``azure.functions.Context`` a function usually reads."""

    invocation_id: str
    function_name: str
    function_directory: str


@dataclass(frozen=True, slots=True)
class Invocation:
    """A loaded function ready to be called; sync functions run on ``executor``."""

    function: FunctionConfig
    entry: Callable[..., Any]
    executor: Executor

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
            loop = asyncio.get_running_loop()
            call = functools.partial(self.entry, **arguments)
            result = await loop.run_in_executor(self.executor, call)
        return to_reply(result)
