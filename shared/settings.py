"""Service limits and defaults, read once from app settings (environment variables).

Every setting has a documented default; tests build ``Settings`` directly or pass a mapping to
``Settings.from_environ`` instead of patching ``os.environ``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cache

__all__ = ["ENV_PREFIX", "Settings", "get_settings"]

ENV_PREFIX = "SCATTERPLOT_"


@dataclass(frozen=True, slots=True)
class Settings:
    """Limits that protect the service; each maps to ``SCATTERPLOT_<NAME>`` in app settings."""

    max_points: int = 1_000_000
    """Most data points in one chart (given or generated)."""
    max_side: int = 4096
    """Largest width or height in pixels."""
    max_pixels: int = 4096 * 4096
    """Largest width x height in pixels."""
    max_dpi: int = 600
    """Highest resolution in dots per inch."""
    max_body_bytes: int = 32 * 1024 * 1024
    """Largest request body in bytes."""
    max_text_length: int = 200
    """Longest title or axis label in characters."""
    max_ink: int = 100_000_000
    """Most marker pixels one chart may paint (points x marker area in pixels)."""
    max_vector_points: int = 50_000
    """Most points drawn one by one: in an SVG or PDF chart (each point is written out as its
    own shape), or with a colour or size column or error bars (each marker is its own path)."""
    max_series: int = 20
    """Most series in one chart (groups, or y columns), each a legend entry."""
    max_categories: int = 100
    """Most distinct categories on a category axis, each a tick label."""
    max_labels: int = 500
    """Most points labelled from ``label_column`` in one chart, each label laid out and drawn."""
    max_columns: int = 1000
    """Most columns in a table a client sends (CSV, Azure ML table or swagger rows, JSON)."""
    fast_path: bool = True
    """Draw with the fast path (``shared.chart.fast``); ``false`` takes matplotlib's plain path
    for every chart, the way out if a matplotlib upgrade breaks one of its internals."""

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Settings:
        """Build settings from ``SCATTERPLOT_*`` variables; a bad value raises ``ValueError``."""
        values: dict[str, int | bool] = {}
        for item in fields(cls):
            key = ENV_PREFIX + item.name.upper()
            raw = environ.get(key)
            if raw is None or raw.strip() == "":
                continue
            if item.type == "bool":
                values[item.name] = _boolean(key, raw)
                continue
            try:
                number = int(raw.replace("_", ""))
            except ValueError:
                raise ValueError(f"app setting {key} must be a whole number, got {raw!r}") from None
            if number < 1:
                raise ValueError(f"app setting {key} must be at least 1, got {number}")
            values[item.name] = number
        return cls(**values)  # type: ignore[arg-type]


def _boolean(key: str, raw: str) -> bool:
    """An app setting read as a boolean: true/false, 1/0, yes/no (any case)."""
    text = raw.strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no"):
        return False
    raise ValueError(f"app setting {key} must be true or false, got {raw!r}")


@cache
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    return Settings.from_environ(os.environ)
