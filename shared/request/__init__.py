"""Reading a request: query string, headers and body in, a checked ``ChartRequest`` out.

``parsing``      the one parser for every input shape (query, JSON, Azure ML, CSV, form)
``options``      every option a client may set, with types, bounds and defaults
``tables``       client tables (JSON arrays, Azure ML tables, CSV) -> data arrays
``text``         titles and labels checked the way matplotlib will lay them out
``negotiation``  the answer shape from ``output`` and the ``Accept`` header
"""

from __future__ import annotations

from .parsing import parse_request

__all__ = ["parse_request"]
