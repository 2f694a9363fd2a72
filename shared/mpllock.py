"""The one lock around matplotlib work that shares state between threads.

Matplotlib keeps one math-text parser (a pyparsing grammar with a packrat cache) for the
whole process, used when titles, labels or log-axis tick labels are laid out, and it is not
thread-safe: two threads drawing math at once made valid ``$\\sqrt{x}$`` fail to parse. Agg
takes no lock of its own, so ``render`` and the math check in ``shared.text`` hold this one.
Drawing is CPU-bound under the GIL, so the lock costs no throughput; more charts per second
come from more worker processes.
"""

from __future__ import annotations

import threading

__all__ = ["MATPLOTLIB_LOCK"]

MATPLOTLIB_LOCK = threading.RLock()
