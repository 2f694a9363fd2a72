"""A bounded, thread-safe pool of prepared figures, keyed by chart style.

A figure is checked out with ``take`` (so no other thread can use it while it draws) and
handed back with ``give``. The pool keeps idle figures up to a total weight (what each figure
costs in bytes, so memory stays flat whatever sizes callers ask for) and up to a number of
figures, dropping the least recently used first. Two threads asking for the same style at
once simply get two figures; the spare one is dropped on return when the style already has
``per_key`` idle figures.
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

    def __init__(self, max_weight: int, *, per_key: int = 2, max_items: int | None = None) -> None:
        if max_weight < 0 or per_key < 1 or (max_items is not None and max_items < 0):
            raise ValueError("max_weight and max_items must be >= 0 and per_key >= 1")
        self.max_weight = max_weight
        self.max_items = max_items
        self.per_key = per_key
        self._idle: OrderedDict[Hashable, list[tuple[T, int]]] = OrderedDict()
        self._count = 0
        self._weight = 0
        self._lock = threading.Lock()

    def take(self, key: Hashable) -> T | None:
        """An idle object for ``key``, now owned by the caller; ``None`` if there is none."""
        with self._lock:
            stack = self._idle.get(key)
            if not stack:
                return None
            item, weight = stack.pop()
            self._count -= 1
            self._weight -= weight
            if not stack:
                del self._idle[key]
            return item

    def give(self, key: Hashable, item: T, *, weight: int = 1) -> None:
        """Return ``item`` as the most recently used; evict the oldest beyond the bounds."""
        if weight > self.max_weight or self.max_items == 0:  # would only push the rest out
            return
        with self._lock:
            stack = self._idle.setdefault(key, [])
            self._idle.move_to_end(key)
            if len(stack) >= self.per_key:
                return
            stack.append((item, weight))
            self._count += 1
            self._weight += weight
            while self._weight > self.max_weight or (
                self.max_items is not None and self._count > self.max_items
            ):
                oldest, victims = next(iter(self._idle.items()))
                _, dropped = victims.pop(0)
                self._count -= 1
                self._weight -= dropped
                if not victims:
                    del self._idle[oldest]

    def clear(self) -> None:
        """Drop every idle object."""
        with self._lock:
            self._idle.clear()
            self._count = 0
            self._weight = 0

    @property
    def weight(self) -> int:
        """The total weight of the idle objects."""
        with self._lock:
            return self._weight

    def __len__(self) -> int:
        with self._lock:
            return self._count
