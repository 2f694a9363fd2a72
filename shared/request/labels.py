"""Point labels from a column: which points carry text, and the text each one shows.

``label_column=<column>`` labels each point with its cell, as written; a blank (missing) cell
leaves its point unlabelled, so a column filled only where it matters labels only those points.
The text is data, so it is drawn as written (``$`` never starts math) and must be free of
control characters; at most ``max_labels`` points may be labelled (the app setting
``SCATTERPLOT_MAX_LABELS``): each label is laid out and drawn on its own.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import TooLarge, shorten
from ..spec import FloatArray
from .text import data_label
from .values import BoolArray, read_labels

__all__ = ["NO_LABEL", "read_point_labels"]

NO_LABEL = -1.0
"""The code of a point without a label."""


def read_point_labels(
    values: Sequence[object],
    name: str,
    keeps: list[BoolArray],
    *,
    max_labels: int,
    max_length: int,
) -> tuple[FloatArray, tuple[str, ...]]:
    """Each row's label code (an index into the texts, ``NO_LABEL`` for none) and the texts.

    ``keeps`` are the rows each series draws (one mask per y column); a label counts once per
    point it is drawn next to.
    """
    labels = read_labels(values, name)
    present = np.fromiter((label is not None for label in labels), dtype=bool, count=len(labels))
    count = sum(int(np.count_nonzero(present & keep)) for keep in keeps)
    if count > max_labels:
        raise TooLarge(
            f"label_column {shorten(name)} would label {count} points; at most {max_labels} "
            "labels are drawn (the app setting SCATTERPLOT_MAX_LABELS): leave the cells of the "
            "points you do not want labelled blank, or leave label_column out",
            field="label_column",
        )
    rows = np.flatnonzero(present & np.logical_or.reduce(keeps))
    codes = np.full(len(labels), NO_LABEL)
    codes[rows] = np.arange(len(rows), dtype=np.float64)
    texts = tuple(data_label(str(labels[row]), name, max_length=max_length) for row in rows)
    return codes, texts
