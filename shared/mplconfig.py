"""Give matplotlib a writable config and cache directory before it is first imported.

Under run-from-package the app root and often the home directory are read-only; without a
writable ``MPLCONFIGDIR`` matplotlib warns and rebuilds its font cache in every new process.
An ``MPLCONFIGDIR`` set in app settings wins.
"""

from __future__ import annotations

import os
import tempfile

__all__ = ["SVG_HASH_SALT", "apply_rc_params", "ensure_config_dir"]

SVG_HASH_SALT = "scatterplot"
"""``rcParams["svg.hashsalt"]``, set once for the whole app (never per request): matplotlib
names the elements of an SVG from a hash salted with a random value unless this is set; a
fixed salt makes the same chart the same bytes, as its strong ``ETag`` promises."""


def ensure_config_dir() -> str:
    """Set ``MPLCONFIGDIR`` (and the Agg backend) unless already set; return the directory."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    path = os.environ.get("MPLCONFIGDIR") or os.path.join(
        tempfile.gettempdir(), "scatterplot-matplotlib"
    )
    os.makedirs(path, exist_ok=True)
    os.environ["MPLCONFIGDIR"] = path
    return path


def apply_rc_params() -> None:
    """Set the app's rcParams (``SVG_HASH_SALT``); called once matplotlib is imported."""
    import matplotlib as mpl

    mpl.rcParams["svg.hashsalt"] = SVG_HASH_SALT
