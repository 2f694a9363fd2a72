"""Put the pieces together: local settings, the app's functions, the ASGI app, uvicorn."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from .app import Endpoint, create_app, endpoint_for
from .config import load_app
from .invoke import Invocation, load_entry_point
from .keys import Keys
from .settings import load_local_settings

__all__ = ["build_app", "serve"]

logger = logging.getLogger("devhost")


def build_app(root: Path, *, base_url: str = "") -> Starlette:
    """Load ``root``'s local settings and functions; a function that cannot load is skipped."""
    root = root.resolve()
    load_local_settings(root)
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
    return create_app(endpoints, keys)


def serve(root: Path, host: str, port: int) -> None:
    """Serve the app at ``root`` on ``host:port`` until interrupted."""
    app = build_app(root, base_url=f"http://{host}:{port}")
    uvicorn.run(
        app,
        host=host,
        port=port,
        access_log=False,
        log_config=None,
        server_header=False,
        timeout_keep_alive=120,
    )
