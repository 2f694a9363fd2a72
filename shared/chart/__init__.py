"""Drawing: a ``ChartSpec`` in, image bytes out.

``render`` is the one entry point. It asks the fast path (``shared.chart.fast``) first and
takes the plain path (``shared.chart.figure``: a new ``Figure`` per chart, saved by
matplotlib) for what the fast path declines, or for everything when ``fast_path`` is off.
Nothing here reads the environment, writes a file or changes rcParams.
"""

from __future__ import annotations

from ..spec import ChartSpec
from .fast import fits_again, render_fast
from .figure import render_plain, render_settled

__all__ = ["render"]


def render(spec: ChartSpec, *, fast_path: bool = True) -> bytes:
    """The chart as image bytes in ``spec.format``."""
    if not fast_path:
        return render_plain(spec)
    image = render_fast(spec)
    if image is not None:
        return image
    image, adapted = render_settled(spec)
    if not adapted:
        fits_again(spec)
    return image
