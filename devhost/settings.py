"""``local.settings.json``: its ``Values`` become environment variables, as with ``func start``."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import MutableMapping
from pathlib import Path

__all__ = ["load_cors_origins", "load_local_settings", "parse_origins"]

logger = logging.getLogger("devhost")


def _document(root: Path) -> dict[str, object]:
    """The parsed ``local.settings.json`` (empty if missing); ``ValueError`` if malformed."""
    path = root / "local.settings.json"
    if not path.is_file():
        return {}
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path} is not valid JSON: {error}") from None
    if not isinstance(document, dict):
        raise ValueError(f"{path} must hold a JSON object")
    return document


def load_cors_origins(root: Path) -> tuple[str, ...]:
    """The origins in ``Host.CORS`` of ``local.settings.json`` (comma-separated, as Core Tools)."""
    host = _document(root).get("Host", {})
    cors = host.get("CORS", "") if isinstance(host, dict) else ""
    if not isinstance(cors, str):
        raise ValueError("local.settings.json: Host.CORS must be a comma-separated string")
    return parse_origins(cors)


def parse_origins(text: str) -> tuple[str, ...]:
    """Origins from a comma-separated list such as ``*`` or ``http://localhost:3000,https://a.b``."""
    return tuple(origin.strip() for origin in text.split(",") if origin.strip())


def load_local_settings(root: Path, environ: MutableMapping[str, str] | None = None) -> list[str]:
    """Copy ``Values`` of ``root/local.settings.json`` into ``environ`` (default ``os.environ``).

    A variable already set in the environment wins, as with Core Tools. Returns the names set.
    A missing file is fine; a malformed one raises ``ValueError``.
    """
    target = os.environ if environ is None else environ
    path = root / "local.settings.json"
    values = _document(root).get("Values", {})
    if not isinstance(values, dict):
        raise ValueError(f"{path}: Values must be an object of strings")
    applied = []
    for name, value in values.items():
        if not isinstance(value, str):
            raise ValueError(f"{path}: Values.{name} must be a string, got {value!r}")
        if name in target:
            logger.info("skipping %s from local settings: already set in the environment", name)
            continue
        target[name] = value
        applied.append(name)
    return applied
