"""Reading a request: query string, headers and body in, a checked ``ChartRequest`` out.

``parsing``      the one parser for every input shape (query, JSON, Azure ML, CSV, form)
``options``      every option a client may set, with types, bounds and defaults
``ignored``      requests that would draw something else than asked are refused
``tables``       client tables (JSON, pandas, Azure ML tables, CSV) -> columns of raw values
``values``       one column read: numbers, dates or text, missing values marked
``data``         the columns a chart uses -> its points, series and axis types
``build``        options and data -> the frozen ``ChartSpec``, cross-option checks
``text``         titles and labels checked the way matplotlib will lay them out
``negotiation``  the answer shape from ``output`` and the ``Accept`` header
"""

from __future__ import annotations

from .parsing import parse_request

__all__ = ["parse_request"]
