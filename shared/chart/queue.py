"""Charts drawn in the order their requests asked: a first-come, first-served gate.

A process draws one chart at a time (``shared.chart.mpllock``). The threads waiting for
matplotlib's lock are not served in order: whichever the scheduler wakes first goes next, so
under load some requests waited several turns while later ones went ahead (8 threads
requesting charts: the slowest 1% took 2.2 to 2.8 times the median, the slowest up to 4.5
times). ``RENDER_QUEUE`` hands the turn to the longest waiting thread, so each request waits
for the charts ahead of it and no more (1.2 to 1.3 times; ``benchmarks.render_queue``).
"""

from __future__ import annotations

import threading
from collections import deque
from types import TracebackType

__all__ = ["RENDER_QUEUE", "FifoLock"]


class FifoLock:
    """A lock that waiting threads get in the order they asked for it (not reentrant)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._waiting: deque[threading.Lock] = deque()
        self._held = False

    def acquire(self) -> None:
        """Wait for the turns of the threads that asked before, then take the lock."""
        with self._guard:
            if not self._held:
                self._held = True
                return
            turn = threading.Lock()
            turn.acquire()
            self._waiting.append(turn)
        turn.acquire()  # released by ``release`` of the thread before: the lock is ours

    def release(self) -> None:
        """Hand the lock to the longest waiting thread, or leave it free."""
        with self._guard:
            if not self._held:
                raise RuntimeError("release of a FifoLock that is not held")
            if self._waiting:
                self._waiting.popleft().release()  # still held, now by that thread
            else:
                self._held = False

    def __enter__(self) -> None:
        self.acquire()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.release()


RENDER_QUEUE = FifoLock()
"""Taken by ``shared.chart.render`` around each chart, before matplotlib's lock."""
