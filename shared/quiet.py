"""Matplotlib's warnings, counted per request instead of logged.

While it draws, matplotlib warns once per glyph a font lacks (``UserWarning: Glyph 20013
(\\N{CJK UNIFIED IDEOGRAPH-4E2D}) missing from font(s) DejaVu Sans``), and its math layout logs
``Font 'rm' does not have a glyph for '\\u4e2d'``: one line per character per request, quoting
the client's text. The service logs one line per request and no client values, so:

* ``matplotlib_work()`` wraps every piece of matplotlib work: it holds ``MATPLOTLIB_LOCK``
  (so no other thread's warnings land in it) and records Python warnings instead of showing
  them;
* records logged under the ``matplotlib`` logger are caught by a handler installed once at
  import (the logger stops propagating them): inside a request they are dropped and its
  warnings counted, outside one (start-up messages such as the font cache being built) they
  go on to the root logger;
* ``request_scope()`` opens the count for one request; the request's log line reports it
  (``warnings=N``), without the messages.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from .chart.mpllock import MATPLOTLIB_LOCK

__all__ = ["WarningCount", "matplotlib_work", "request_scope"]


@dataclass
class WarningCount:
    """Matplotlib warnings and log records seen while one request was served."""

    count: int = 0


_current: ContextVar[WarningCount | None] = ContextVar("scatterplot_warnings", default=None)


def _add(number: int) -> None:
    scope = _current.get()
    if scope is not None:
        scope.count += number


@contextmanager
def request_scope() -> Iterator[WarningCount]:
    """Count matplotlib's warnings for the request served inside this block."""
    scope = WarningCount()
    token = _current.set(scope)
    try:
        yield scope
    finally:
        _current.reset(token)


@contextmanager
def matplotlib_work() -> Iterator[None]:
    """Hold the matplotlib lock; count the warnings raised meanwhile instead of showing them."""
    with MATPLOTLIB_LOCK, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            _add(len(caught))


class _CountingHandler(logging.Handler):
    """Inside a request, counts matplotlib's warnings and drops its records (an INFO line such
    as ``Substituting symbol 中 from STIXGeneral`` quotes the client too); outside one, passes
    them on to the root logger."""

    def emit(self, record: logging.LogRecord) -> None:
        if _current.get() is None:
            logging.getLogger().handle(record)
        elif record.levelno >= logging.WARNING:
            _add(1)


def _install() -> None:
    logger = logging.getLogger("matplotlib")
    if not any(isinstance(handler, _CountingHandler) for handler in logger.handlers):
        logger.addHandler(_CountingHandler())
        logger.propagate = False


_install()
