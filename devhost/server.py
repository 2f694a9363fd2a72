"""Put the pieces together: local settings, the app's functions, the ASGI app, uvicorn."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from .app import Endpoint, create_app, endpoint_for
from .config import load_app
from .invoke import Invocation, load_entry_point
from .keys import Keys
from .settings import load_cors_origins, load_local_settings

__all__ = ["build_app", "serve"]

logger = logging.getLogger("devhost")


def build_app(
    root: Path, *, base_url: str = "", cors_origins: Sequence[str] | None = None
) -> Starlette:
    """Load ``root``'s local settings and functions; a function that cannot load is skipped.

    ``cors_origins`` overrides ``Host.CORS`` of the local settings.
    """
    root = root.resolve()
    load_local_settings(root)
    origins = load_cors_origins(root) if cors_origins is None else tuple(cors_origins)
    config, problems = load_app(root)
    for problem in problems:
        logger.error("not serving a function: %s", problem)
    endpoints: list[Endpoint] = []
    for function in config.functions:
        try:
            entry = load_entry_point(function, config.root)
            endpoint = endpoint_for(function, config.route_prefix, Invocation(function, entry))
        except Exception:
            logger.exception("not serving %s: it failed to load", function.name)
            continue
        endpoints.append(endpoint)
        methods = ",".join(sorted(function.methods or ["ALL"]))
        logger.info(
            "%s: [%s] %s%s (%s)",
            function.name,
            methods,
            base_url,
            endpoint.route.template,
            function.auth_level,
        )
    keys = Keys.from_environ(os.environ)
    if keys.function or keys.master:
        logger.info("function keys are checked (local settings set a key)")
    if origins:
        logger.info("CORS allowed for %s", ", ".join(origins))
    return create_app(endpoints, keys, cors_origins=origins)


def serve(root: Path, host: str, port: int, *, cors_origins: Sequence[str] | None = None) -> None:
    """Serve the app at ``root`` on ``host:port`` until interrupted."""
    app = build_app(root, base_url=f"http://{host}:{port}", cors_origins=cors_origins)
    uvicorn.run(
        app,
        host=host,
        port=port,
        access_log=False,
        log_config=None,
        server_header=False,
        timeout_keep_alive=120,
    )
