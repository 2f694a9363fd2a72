"""The original blog recipe, kept verbatim in spirit: pyplot, a scatter, savefig to a buffer.

Used only by tests and benchmarks as the reference the service must match pixel for pixel.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("agg")
import matplotlib.pyplot as plt  # noqa: E402


def recipe_png(x: Sequence[float], y: Sequence[float]) -> bytes:
    """The recipe's PNG for the given data (the figure is closed, unlike the original)."""
    fig, ax = plt.subplots()
    ax.scatter(x, y)
    ax.set_xlabel(" x ")
    ax.set_ylabel(" y ")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def recipe_data_uri(x: Sequence[float], y: Sequence[float]) -> str:
    """The recipe's output cell: a base64 PNG data URI."""
    return "data:image/png;base64," + base64.b64encode(recipe_png(x, y)).decode()
