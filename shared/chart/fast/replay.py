"""Record the drawing calls artists make on a renderer, to replay them without the artists.

Spines, tick marks and grid lines of an axes with fixed limits make the same renderer calls on
every draw; most of their cost is the Python around those calls (styles, transforms, paths).
``Recorder`` stands in for the renderer once, forwards every call and keeps the drawing ones;
``replay`` repeats them on the renderer: the same C++ calls with the same arguments, so the
same pixels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matplotlib.transforms import Transform

__all__ = ["Call", "Recorder", "ReplayingDraw", "replay"]

Call = tuple[str, tuple[Any, ...], dict[str, Any]]

_DRAWING = frozenset(
    {
        "draw_path",
        "draw_markers",
        "draw_path_collection",
        "draw_quad_mesh",
        "draw_gouraud_triangles",
        "draw_image",
        "draw_text",
        "draw_mathtext",
        "draw_tex",
    }
)


class Recorder:
    """A renderer stand-in: attributes come from ``renderer``; drawing calls are also kept.

    Keep one recorder per renderer and ``restart`` it: matplotlib caches text metrics per
    renderer object, and a new stand-in for every draw would miss that cache every time.
    ``recorded`` names the calls kept (a subclass for vector output adds the group calls).
    """

    recorded: frozenset[str] = _DRAWING

    def __init__(self, renderer: Any) -> None:
        self._renderer = renderer
        self.calls: list[Call] = []

    def restart(self, renderer: Any) -> Recorder:
        """Forget the calls recorded so far; record for ``renderer`` from now on."""
        self._renderer = renderer
        self.calls = []
        return self

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._renderer, name)
        if name not in self.recorded:
            return attribute
        return self._recording(name, attribute)

    def _recording(self, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        def record(*args: Any, **kwargs: Any) -> Any:
            # transforms are live objects (a legend's handles move with the legend): keep
            # their values as they are now, which is what the call drew with
            kept = tuple(_frozen(arg) for arg in args)
            self.calls.append((name, kept, {k: _frozen(v) for k, v in kwargs.items()}))
            return method(*args, **kwargs)

        return record


def _frozen(value: Any) -> Any:
    return value.frozen() if isinstance(value, Transform) else value


def replay(renderer: Any, calls: list[Call]) -> None:
    """Make the recorded drawing calls again, in order, on ``renderer``."""
    for name, args, kwargs in calls:
        getattr(renderer, name)(*args, **kwargs)


class ReplayingDraw:
    """An artist's ``draw`` that replays its last recording while ``key()`` is unchanged.

    Installed on an axis whose drawing depends only on its own view interval (ticks, tick
    labels, grid lines and label all follow from it): a request whose data gives the same
    interval replays the calls instead of laying the axis out again.
    """

    def __init__(
        self,
        draw: Callable[[Any], Any],
        key: Callable[[], object],
        *,
        recorder: type[Recorder] = Recorder,
    ) -> None:
        self._draw = draw
        self._key = key
        self._recorder_type = recorder
        self._last: object = None
        self._calls: list[Call] = []
        self._recorder: Recorder | None = None
        self.replays = 0

    def __call__(self, renderer: Any) -> None:
        key = self._key()
        if key == self._last and self._calls:
            replay(renderer, self._calls)
            self.replays += 1
            return
        if self._recorder is None or self._recorder._renderer is not renderer:
            self._recorder = self._recorder_type(renderer)
        recorder = self._recorder.restart(renderer)
        self._draw(recorder)
        self._last, self._calls = key, recorder.calls
