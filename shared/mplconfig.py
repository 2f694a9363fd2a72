"""Give matplotlib a writable config directory, holding its font list, before it is imported.

Under run-from-package the app root and often the home directory are read-only; without a
writable ``MPLCONFIGDIR`` matplotlib warns and rebuilds its font cache in every new process.
An ``MPLCONFIGDIR`` set in app settings wins; otherwise ``<temp dir>/scatterplot-matplotlib``.

A new cloud instance starts with an empty temp directory, where matplotlib's first import would
scan every font file (~0.5 s). The app ships the font list instead (``fontlist.json``, written
by ``tools/fontlist.py``: matplotlib's own fonts, paths relative to its data directory, which
matplotlib resolves where it is installed) and copies it into the directory when no list of
that version is there yet. A list already there, matplotlib's or ours, is left alone.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile

__all__ = ["FONT_LIST", "SVG_HASH_SALT", "apply_rc_params", "ensure_config_dir", "seed_font_list"]

log = logging.getLogger(__name__)

FONT_LIST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fontlist.json")
"""The shipped font list (the same for every install of the pinned matplotlib)."""

SVG_HASH_SALT = "scatterplot"
"""``rcParams["svg.hashsalt"]``, set once for the whole app (never per request): matplotlib
names the elements of an SVG from a hash salted with a random value unless this is set; a
fixed salt makes the same chart the same bytes, as its strong ``ETag`` promises."""


def ensure_config_dir() -> str:
    """Set ``MPLCONFIGDIR`` (and the Agg backend) unless already set, put the font list there.

    Returns the directory.
    """
    os.environ.setdefault("MPLBACKEND", "Agg")
    path = os.environ.get("MPLCONFIGDIR") or os.path.join(
        tempfile.gettempdir(), "scatterplot-matplotlib"
    )
    os.makedirs(path, exist_ok=True)
    os.environ["MPLCONFIGDIR"] = path
    seed_font_list(path)
    return path


def seed_font_list(config_dir: str, source: str = FONT_LIST) -> str | None:
    """Copy ``source`` into ``config_dir`` under matplotlib's name unless a list is there.

    Returns the list's path in ``config_dir``, or ``None`` when there is no list to copy or it
    cannot be written (matplotlib then scans the fonts, as it would without this). Workers
    starting side by side may race: each writes a file of its own and renames it into place.
    """
    try:
        with open(source, "rb") as handle:
            data = handle.read()
        version = json.loads(data)["_version"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.warning("no font list to seed from %s: %s", source, error)
        return None
    target = os.path.join(config_dir, f"fontlist-v{version}.json")
    if os.path.exists(target):
        return target
    partial = f"{target}.{os.getpid()}.partial"
    try:
        with open(partial, "wb") as handle:
            handle.write(data)
        os.replace(partial, target)
    except OSError as error:
        log.warning("could not write the font list to %s: %s", config_dir, error)
        try:
            os.remove(partial)
        except OSError:
            pass
        return None
    return target


def apply_rc_params() -> None:
    """Set the app's rcParams (``SVG_HASH_SALT``); called once matplotlib is imported."""
    import matplotlib as mpl

    mpl.rcParams["svg.hashsalt"] = SVG_HASH_SALT
