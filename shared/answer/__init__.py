"""Answering: image bytes in, the HTTP answer the client asked for out.

``shapes``    the answer shapes (Azure ML table, swagger, pandas, record, raw image)
``encoding``  image bytes <-> ``data:`` URIs
``caching``   ETags, ``If-None-Match`` and ``Cache-Control``
``http``      the one mapper from results and errors to ``azure.functions.HttpResponse``
"""

from __future__ import annotations

from .shapes import Answer, build_answer

__all__ = ["Answer", "build_answer"]
