"""The app's version; ``pyproject.toml`` (not deployed) carries the same number."""

from __future__ import annotations

__all__ = ["APP_VERSION", "app_version"]

APP_VERSION = "1.0.0"


def app_version() -> str:
    """The version the health check reports and ETags depend on."""
    return APP_VERSION
