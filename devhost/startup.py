"""Load the app's functions into an ASGI app, and say what is served once it is.

``build_app`` runs in every worker process (each imports the functions itself); it logs
nothing but returns a ``LoadReport``, so the function list is printed once however many
processes load it, after the port is known to be free.
"""

from __future__ import annotations

import logging
import os
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from starlette.applications import Starlette

from .app import Endpoint, create_app, endpoint_for
from .config import load_app
from .invoke import Invocation
from .keys import Keys
from .loading import FunctionLoadError, load_entry_point
from .workers import thread_pool

__all__ = ["LoadReport", "announce", "build_app"]

logger = logging.getLogger("devhost")


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What a worker process loaded: served functions and the ones it could not serve."""

    served: tuple[tuple[str, str, str, str], ...]
    """(name, methods, route template, auth level) of each served function."""
    problems: tuple[str, ...]
    keys_checked: bool
    cors_origins: tuple[str, ...]
    threads: int


def build_app(root: Path, cors_origins: Sequence[str]) -> tuple[Starlette, LoadReport]:
    """The ASGI app serving ``root``'s functions (local settings already in the environment);
    a function that cannot load is left out and reported."""
    config, problems = load_app(root.resolve())
    failures = [f"not serving a function: {problem}" for problem in problems]
    executor = thread_pool(os.environ)
    endpoints: list[Endpoint] = []
    for function in config.functions:
        try:
            entry = load_entry_point(function, config.root)
            endpoint = endpoint_for(
                function, config.route_prefix, Invocation(function, entry, executor)
            )
        except (FunctionLoadError, ValueError) as error:
            failures.append(f"not serving {function.name}: {error}")
            continue
        except Exception:
            failures.append(
                f"not serving {function.name}: it failed to load\n" + traceback.format_exc()
            )
            continue
        endpoints.append(endpoint)
    keys = Keys.from_environ(os.environ)
    app = create_app(endpoints, keys, cors_origins=cors_origins)
    served = tuple(
        (
            e.function.name,
            ",".join(sorted(e.function.methods or ["ALL"])),
            e.route.template,
            e.function.auth_level,
        )
        for e in sorted(endpoints, key=lambda e: e.function.name.lower())
    )
    report = LoadReport(
        served=served,
        problems=tuple(failures),
        keys_checked=bool(keys.function or keys.master),
        cors_origins=tuple(cors_origins),
        threads=executor._max_workers,
    )
    return app, report


def announce(report: LoadReport, base_url: str, processes: int) -> None:
    """Log what is served, then that the host keeps running until Ctrl+C."""
    for problem in report.problems:
        logger.error("%s", problem)
    for name, methods, template, auth_level in report.served:
        logger.info("%s: [%s] %s%s (%s)", name, methods, base_url, template, auth_level)
    if report.keys_checked:
        logger.info("function keys are checked (local settings set a key)")
    if report.cors_origins:
        logger.info("CORS allowed for %s", ", ".join(report.cors_origins))
    logger.info(
        "%d worker process%s (FUNCTIONS_WORKER_PROCESS_COUNT), %d threads each "
        "(PYTHON_THREADPOOL_THREAD_COUNT)",
        processes,
        "" if processes == 1 else "es",
        report.threads,
    )
    logger.info("The host keeps running, and this terminal busy, until you press Ctrl+C.")
