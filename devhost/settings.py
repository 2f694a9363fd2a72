"""``local.settings.json``: its ``Values`` become environment variables, as with ``func start``."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import MutableMapping
from pathlib import Path

__all__ = ["load_local_settings"]

logger = logging.getLogger("devhost")


def load_local_settings(root: Path, environ: MutableMapping[str, str] | None = None) -> list[str]:
    """Copy ``Values`` of ``root/local.settings.json`` into ``environ`` (default ``os.environ``).

    A variable already set in the environment wins, as with Core Tools. Returns the names set.
    A missing file is fine; a malformed one raises ``ValueError``.
    """
    target = os.environ if environ is None else environ
    path = root / "local.settings.json"
    if not path.is_file():
        return []
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path} is not valid JSON: {error}") from None
    values = document.get("Values", {}) if isinstance(document, dict) else None
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
