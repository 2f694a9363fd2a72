"""The app's version, read once from ``pyproject.toml`` at the app root (deployed with it)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

__all__ = ["PYPROJECT", "app_version"]

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


@cache
def app_version() -> str:
    """``project.version`` from ``pyproject.toml``; ``OSError``/``KeyError`` if it is missing."""
    with PYPROJECT.open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])
