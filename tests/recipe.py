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


def recipe_png(
    x: Sequence[float], y: Sequence[float], *, width: int = 640, height: int = 480
) -> bytes:
    """The recipe's PNG for the given data (the figure is closed, unlike the original).

    The default size is pyplot's default figure, 6.4 x 4.8 inches at 100 dpi.
    """
    fig, ax = plt.subplots(figsize=(width / 100, height / 100))
    ax.scatter(x, y)
    ax.set_xlabel(" x ")
    ax.set_ylabel(" y ")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def recipe_data_uri(
    x: Sequence[float], y: Sequence[float], *, width: int = 640, height: int = 480
) -> str:
    """The recipe's output cell: a base64 PNG data URI."""
    png = recipe_png(x, y, width=width, height=height)
    return "data:image/png;base64," + base64.b64encode(png).decode()
