"""Give matplotlib a writable config and cache directory before it is first imported.

Under run-from-package the app root and often the home directory are read-only; without a
writable ``MPLCONFIGDIR`` matplotlib warns and rebuilds its font cache in every new process.
An ``MPLCONFIGDIR`` set in app settings wins.
"""

from __future__ import annotations

import os
import tempfile

__all__ = ["ensure_config_dir"]


def ensure_config_dir() -> str:
    """Set ``MPLCONFIGDIR`` (and the Agg backend) unless already set; return the directory."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    path = os.environ.get("MPLCONFIGDIR") or os.path.join(
        tempfile.gettempdir(), "scatterplot-matplotlib"
    )
    os.makedirs(path, exist_ok=True)
    os.environ["MPLCONFIGDIR"] = path
    return path
