"""The one lock around matplotlib work that shares state between threads.

Matplotlib keeps one math-text parser (a pyparsing grammar with a packrat cache) for the
whole process, used when titles, labels or log-axis tick labels are laid out, and it is not
thread-safe: two threads drawing math at once made valid ``$\\sqrt{x}$`` fail to parse.
``Figure.draw`` holds a class-wide render lock, but text is also laid out outside ``draw``
(the math check in ``shared.request.text``, the prepared figures' partial draws), so this module's
lock is that same render lock, held around every piece of matplotlib work that lays out text.
Drawing is CPU-bound under the GIL, so the lock costs no throughput; more charts per second
come from more worker processes.
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager
from typing import Any

from matplotlib.figure import Figure

__all__ = ["MATPLOTLIB_LOCK"]

MATPLOTLIB_LOCK: AbstractContextManager[Any] = (
    getattr(Figure, "_render_lock", None) or threading.RLock()
)
