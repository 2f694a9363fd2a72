"""The health check: draw a tiny chart and report versions and the time it took."""

from __future__ import annotations

import logging
import platform
import time

import numpy as np

from .chart import render
from .errors import ServiceUnavailable
from .settings import Settings
from .spec import ChartSpec
from .version import app_version

__all__ = ["LIBRARIES", "health_report"]

LIBRARIES = ("matplotlib", "numpy", "azure-functions")
logger = logging.getLogger("scatterplot")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _probe() -> ChartSpec:
    x = np.arange(3, dtype=np.float64)
    x.flags.writeable = False
    return ChartSpec(x=x, y=x, width=64, height=48, dpi=50.0)


def health_report(settings: Settings) -> dict[str, object]:
    """Versions and the render time of a 64 x 48 chart; ``ServiceUnavailable`` if it fails."""
    from importlib.metadata import version  # not at import: every worker loads this module

    try:
        started = time.perf_counter()
        image = render(_probe(), fast_path=settings.fast_path)
        elapsed = (time.perf_counter() - started) * 1000
        if not image.startswith(_PNG_SIGNATURE):
            raise ValueError("the probe chart is not a PNG")
        report: dict[str, object] = {
            "status": "ok",
            "version": app_version(),
            "python": platform.python_version(),
            "fast_path": settings.fast_path,
        }
        report.update({name: version(name) for name in LIBRARIES})
        report["render_ms"] = round(elapsed, 2)
    except Exception as error:
        logger.exception("health check: the probe chart failed")
        raise ServiceUnavailable(
            f"the health check could not draw its chart ({type(error).__name__})"
        ) from error
    return report
