"""A bounded, thread-safe pool of prepared figures, keyed by chart style.

A figure is checked out with ``take`` (so no other thread can use it while it draws) and
handed back with ``give``. The pool keeps at most ``capacity`` idle figures, dropping the
least recently used, so memory stays flat however many styles the callers send. Two threads
asking for the same style at once simply get two figures; the spare one is dropped on return
when the style already has ``per_key`` idle figures.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

__all__ = ["FigurePool"]

T = TypeVar("T")


class FigurePool(Generic[T]):
    """Idle objects by key, least recently used first; every method is thread-safe."""

    def __init__(self, capacity: int, *, per_key: int = 2) -> None:
        if capacity < 0 or per_key < 1:
            raise ValueError("capacity must be >= 0 and per_key >= 1")
        self.capacity = capacity
        self.per_key = per_key
        self._idle: OrderedDict[Hashable, list[T]] = OrderedDict()
        self._count = 0
        self._lock = threading.Lock()

    def take(self, key: Hashable) -> T | None:
        """An idle object for ``key``, now owned by the caller; ``None`` if there is none."""
        with self._lock:
            stack = self._idle.get(key)
            if not stack:
                return None
            item = stack.pop()
            self._count -= 1
            if not stack:
                del self._idle[key]
            return item

    def give(self, key: Hashable, item: T) -> None:
        """Return ``item`` to the pool as the most recently used; evict beyond capacity."""
        with self._lock:
            stack = self._idle.setdefault(key, [])
            self._idle.move_to_end(key)
            if len(stack) >= self.per_key:
                return
            stack.append(item)
            self._count += 1
            while self._count > self.capacity:
                oldest, victims = next(iter(self._idle.items()))
                victims.pop(0)
                self._count -= 1
                if not victims:
                    del self._idle[oldest]

    def clear(self) -> None:
        """Drop every idle object."""
        with self._lock:
            self._idle.clear()
            self._count = 0

    def __len__(self) -> int:
        with self._lock:
            return self._count
