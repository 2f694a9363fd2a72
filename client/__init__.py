"""The ScatterPlot client: charts from the service in Python, and the ``scatterplot`` command.

    from client import ScatterPlot
    chart = ScatterPlot("http://127.0.0.1:7071/api/ScatterPlot").draw(df, x="day", y="rain")
    chart.save("rain.png")

``api``      ``ScatterPlot`` and ``AsyncScatterPlot``: arguments -> request -> answer -> ``Chart``
``chart``    ``Chart``: the image's bytes, format, headers, ``save``, display in Jupyter
``errors``   the exception tree under ``ScatterPlotError``
``options``  the service's options (``options.json``, from ``shared/openapi.json``) and checks
``tables``   data (DataFrame, columns, lists, arrays, files) -> the request body
``request``  options and body -> the HTTP request (query string, CSV or JSON, Azure ML)
``fetch``    httpx with timeouts and bounded retries (tenacity) honouring ``Retry-After``
``answer``   every answer shape -> the image, or the error for the status
``images``   check the bytes are the announced type; describe their size
``cli``      the command line on top: ``scatterplot`` / ``python -m client``
"""

from __future__ import annotations

from .api import AsyncScatterPlot, ScatterPlot
from .chart import Chart
from .errors import (
    AnswerError,
    AuthenticationError,
    InvalidRequestError,
    NotFoundError,
    RateLimitError,
    ScatterPlotError,
    ServerError,
    ServiceError,
    Timeout,
    TransportError,
    UsageError,
)
from .tables import Body

__version__ = "1.0.0"

__all__ = [
    "AnswerError",
    "AsyncScatterPlot",
    "AuthenticationError",
    "Body",
    "Chart",
    "InvalidRequestError",
    "NotFoundError",
    "RateLimitError",
    "ScatterPlot",
    "ScatterPlotError",
    "ServerError",
    "ServiceError",
    "Timeout",
    "TransportError",
    "UsageError",
    "__version__",
]
