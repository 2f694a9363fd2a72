"""A chart's looks: a matplotlib style sheet, background, font size, fallback fonts, tick formats.

Everything but the tick formats reaches matplotlib as rcParams. rcParams are process-wide and
matplotlib reads them both when a figure is built and when it is drawn, so ``styled(looks)``
enters ``matplotlib.rc_context`` with them, and the callers (``figure.render_plain``, the fast
path's ``PreparedChart``, ``layout``) hold ``MATPLOTLIB_LOCK`` around it: every build and draw
of every chart holds that lock, so no other chart is built or drawn while the rcParams are
changed, and they are restored before the lock is released. A chart of matplotlib's defaults
(``Looks.restyled`` false: the reference chart) enters no context at all.

A theme is one of the style sheets bundled with matplotlib (``mpl-data/stylelib``), read from
its file as ``matplotlib.style.use`` would apply it on top of the defaults; ``default`` is
matplotlib's defaults. Style sheets from the user's config directory are never read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.dates import DateFormatter
from matplotlib.ticker import StrMethodFormatter

from ..spec import ChartSpec, Looks
from .fallback import fallback_families

__all__ = ["STYLE_DIR", "apply_tick_formats", "rc_of", "styled", "theme_rc"]

STYLE_DIR = Path(matplotlib.get_data_path(), "stylelib")

# rcParams a style sheet may not set (``matplotlib.style``'s own list): none of the bundled
# sheets sets them, and none may change the process's backend or date epoch.
_NOT_STYLE = frozenset(
    {
        "interactive", "backend", "webagg.port", "webagg.address", "webagg.port_retries",
        "webagg.open_in_browser", "backend_fallback", "toolbar", "timezone",
        "figure.max_open_warning", "figure.raise_window", "savefig.directory",
        "tk.window_focus", "docstring.hardcopy", "date.epoch",
    }
)  # fmt: skip


@cache
def theme_rc(name: str) -> dict[str, Any]:
    """The rcParams a bundled style sheet sets (none for ``default``)."""
    if name == "default":
        return {}
    params = matplotlib.rc_params_from_file(
        STYLE_DIR / f"{name}.mplstyle", use_default_template=False
    )
    return {key: value for key, value in params.items() if key not in _NOT_STYLE}


@cache
def rc_of(looks: Looks) -> dict[str, Any]:
    """Every rcParam ``looks`` changes from matplotlib's defaults."""
    rc = dict(theme_rc(looks.theme))
    if looks.background is not None:
        for key in ("figure.facecolor", "axes.facecolor", "savefig.facecolor"):
            rc[key] = looks.background
    if looks.font_size is not None:
        rc["font.size"] = looks.font_size
    if looks.fallback_fonts:
        family = rc.get("font.family", matplotlib.rcParamsDefault["font.family"])
        rc["font.family"] = [*family, *fallback_families()]
    return rc


@contextmanager
def styled(looks: Looks) -> Iterator[None]:
    """rcParams set to ``looks`` inside; hold ``MATPLOTLIB_LOCK`` around it."""
    if not looks.restyled:
        yield
        return
    rc: Any = rc_of(looks)
    with matplotlib.rc_context(rc):
        yield


def apply_tick_formats(axes: Axes, spec: ChartSpec) -> None:
    """Tick label formats: ``{x:...}`` on a number axis, strftime on a date axis."""
    for axis, kind, fmt in (
        (axes.xaxis, spec.xtype.kind, spec.looks.xtick_format),
        (axes.yaxis, spec.ytype.kind, spec.looks.ytick_format),
    ):
        if fmt:
            _format(axis, kind, fmt)


def _format(axis: Axis, kind: str, fmt: str) -> None:
    if kind == "date":
        axis.set_major_formatter(DateFormatter(fmt))  # type: ignore[no-untyped-call]
    else:
        axis.set_major_formatter(StrMethodFormatter(fmt))
