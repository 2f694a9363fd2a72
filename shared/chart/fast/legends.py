"""A legend drawn by replaying the drawing calls it made the last time it stood in one place.

A legend's frame, markers and labels are the same on every draw of a prepared figure; only
its place can change, because ``loc="best"`` picks the corner that covers the least data.
``ReplayingLegend`` asks the legend where it will stand (its own ``_findoffset``, with the
size of its box, which is laid out once), and replays the calls recorded for that place, or
draws the legend normally, recording, the first time it stands there. The same calls on the
same renderer give the same pixels; the layout of texts and handles (most of a legend's
cost) is not redone.
"""

from __future__ import annotations

from typing import Any

from matplotlib.legend import Legend

from .replay import Call, Recorder, replay

__all__ = ["ReplayingLegend"]


class ReplayingLegend:
    """``Legend.draw`` that replays its recording for the place the legend takes."""

    def __init__(self, legend: Legend) -> None:
        self._legend = legend
        self._draw = legend.draw
        self._box: tuple[Any, tuple[float, float, float, float]] | None = None
        self._calls: dict[tuple[float, float], list[Call]] = {}
        self._recorder: Recorder | None = None
        self.replays = 0

    def _place(self, renderer: Any) -> tuple[float, float]:
        """Where the legend box goes: what ``Legend.draw`` computes through its offsetbox."""
        legend: Any = self._legend  # the offset helpers are private, hence untyped here
        if self._box is None or self._box[0] is not renderer:
            bbox = legend._legend_box.get_bbox(renderer)
            self._box = (renderer, (bbox.width, bbox.height, -bbox.x0, -bbox.y0))
        width, height, xdescent, ydescent = self._box[1]
        x, y = legend._findoffset(width, height, xdescent, ydescent, renderer)
        return (float(x), float(y))

    def __call__(self, renderer: Any) -> None:
        if not self._legend.get_visible():
            return
        place = self._place(renderer)
        calls = self._calls.get(place)
        if calls is not None:
            replay(renderer, calls)
            self.replays += 1
            return
        if self._recorder is None:
            self._recorder = Recorder(renderer)
        recorder: Any = self._recorder.restart(renderer)
        self._draw(recorder)
        if len(self._calls) > 16:
            self._calls.clear()
        self._calls[place] = recorder.calls
