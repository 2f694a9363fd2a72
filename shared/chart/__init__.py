"""Drawing: a ``ChartSpec`` in, image bytes out.

``render`` is the one entry point. It asks the fast path (``shared.chart.fast``) first and
takes the plain path (``shared.chart.figure``: a new ``Figure`` per chart, saved by
matplotlib) for what the fast path declines, or for everything when ``fast_path`` is off.
Nothing here reads the environment, writes a file or changes rcParams.

The request parser checks every text the way it will be drawn, so drawing should not fail;
if it does anyway, ``render`` draws each title and label alone to find the one at fault and
raises ``InvalidText`` naming it (a 400), and re-raises the failure (a 500) if none is.
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import InvalidText
from ..quiet import matplotlib_work
from ..spec import ChartSpec
from .fast import fits_again, render_fast
from .figure import render_plain, render_settled
from .fonts import release_glyphs
from .queue import RENDER_QUEUE

__all__ = ["TEXT_FIELDS", "render"]

TEXT_FIELDS = ("title", "xlabel", "ylabel")


def render(spec: ChartSpec, *, fast_path: bool = True) -> bytes:
    """The chart as image bytes in ``spec.format``."""
    try:
        with RENDER_QUEUE, matplotlib_work():
            image = render_fast(spec) if fast_path else None
            if image is None and fast_path:
                image, adapted = render_settled(spec)
                if not adapted:  # the style's text fits again: the fast path may try it
                    fits_again(spec)
            elif image is None:
                image = render_plain(spec)
    except Exception as error:
        blamed = _blame(spec)
        if blamed is None:
            raise
        raise blamed from error
    finally:
        release_glyphs(embedded=spec.format == "pdf")
    return image


def _blame(spec: ChartSpec) -> InvalidText | None:
    """``InvalidText`` for the first title or label that cannot be drawn alone, if any.

    The chart is drawn again with a single point and no text, then with each text alone: a
    text is to blame only if the chart without it draws.
    """
    base = replace(spec, x=spec.x[:1], y=spec.y[:1], title="", xlabel="", ylabel="")
    if not _draws(base, spec.format):
        return None
    alone = {
        "title": replace(base, title=spec.title),
        "xlabel": replace(base, xlabel=spec.xlabel),
        "ylabel": replace(base, ylabel=spec.ylabel),
    }
    for name in TEXT_FIELDS:
        if getattr(spec, name) and not _draws(alone[name], spec.format):
            return InvalidText(
                f"{name} cannot be drawn as {spec.format} at {spec.dpi:g} dpi "
                "(the font renderer failed on it)",
                field=name,
            )
    return None


def _draws(probe: ChartSpec, image_format: str) -> bool:
    try:
        render_plain(probe)
    except Exception:
        return False
    finally:
        release_glyphs(embedded=image_format == "pdf")
    return True
