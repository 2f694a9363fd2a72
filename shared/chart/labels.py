"""Point labels: each labelled point's text, drawn next to its marker.

A label is ``Axes.annotate(text, (x, y), xytext=LABEL_OFFSET, textcoords="offset points")``:
up and to the right of the point by a fixed distance whatever the scale, in the default text
style, over the markers and lines; a point outside the axes' limits is not labelled (the
annotation's default clipping). The text arrives escaped (``shared.request.labels``).
"""

from __future__ import annotations

from typing import Final

import numpy as np
from matplotlib.axes import Axes
from matplotlib.text import Annotation

from ..spec import ChartSpec

__all__ = ["LABEL_OFFSET", "add_point_labels"]

LABEL_OFFSET: Final = (4.0, 4.0)
"""Where a label starts, in points right of and above its point's centre: clear of a marker
of the default size (6 points across)."""


def add_point_labels(axes: Axes, spec: ChartSpec) -> list[Annotation]:
    """The labels of ``spec``'s labelled points, in the points' order."""
    if spec.label_codes is None:
        return []
    rows = np.flatnonzero(spec.label_codes >= 0)
    return [
        axes.annotate(
            spec.label_texts[int(spec.label_codes[row])],
            (float(spec.x[row]), float(spec.y[row])),
            xytext=LABEL_OFFSET,
            textcoords="offset points",
        )
        for row in rows
    ]
