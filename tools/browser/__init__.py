"""A real browser against the local host: ``python -m tools.browser`` (the cross-origin check)
and the helpers the playground's browser tests share with it: which Chromium to run, with which
flags, and where axe-core is.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

__all__ = ["AXE_SCRIPT", "LAUNCH_FLAGS", "find_chromium"]

REPO = Path(__file__).resolve().parent.parent.parent
# Installed by scripts/browser-setup from the lock file in .ci/axe (npm ci).
AXE_SCRIPT = REPO / ".ci" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
# Debian's chromium as root in a container: no sandbox, no GPU, nothing fetched in the background.
LAUNCH_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome")


def find_chromium() -> str | None:
    """``$SCATTERPLOT_CHROMIUM``, else the first of Debian's ``chromium`` (or Chrome) on PATH."""
    chosen = os.environ.get("SCATTERPLOT_CHROMIUM")
    if chosen:
        return chosen
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None
