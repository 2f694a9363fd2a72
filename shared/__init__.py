"""ScatterPlot's helpers: parse a request, render a chart, encode the answer.

Importing this package points matplotlib at a writable config directory holding its font list,
and numpy at one BLAS thread, before either is imported.
"""

from __future__ import annotations

import gc
import os

from .mplconfig import ensure_config_dir

ensure_config_dir()
# One BLAS thread unless app settings say otherwise: the app does no linear algebra worth a
# thread, more cores are used by more worker processes, and OpenBLAS starting a pool of
# spinning threads when numpy is imported costs a new worker ~40 ms of CPU.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

# Importing matplotlib allocates ~10^5 objects that live as long as the process; the collector
# would walk them ~140 times meanwhile (~50 ms of a cold start) to free nothing, and the first
# request would pay one more full collection over all of them (~25 ms): collection is paused
# while the package imports, and what the imports made is frozen out of the collector's sight.
_collecting = gc.isenabled()
gc.disable()
try:
    from .answer.encoding import from_data_uri, to_data_uri  # noqa: E402
    from .answer.shapes import Answer, build_answer, image_frame  # noqa: E402
    from .chart import render  # noqa: E402
    from .errors import ScatterPlotError  # noqa: E402
    from .request import parse_request  # noqa: E402
    from .settings import Settings, get_settings  # noqa: E402
    from .spec import ChartRequest, ChartSpec  # noqa: E402
finally:
    gc.freeze()
    if _collecting:
        gc.enable()

__all__ = [
    "Answer",
    "ChartRequest",
    "ChartSpec",
    "ScatterPlotError",
    "Settings",
    "build_answer",
    "from_data_uri",
    "get_settings",
    "image_frame",
    "parse_request",
    "render",
    "to_data_uri",
]
