"""The frozen, validated description of one chart and of the answer a client asked for.

Everything in here has passed every bound check: the renderer and the encoders trust it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["ChartRequest", "ChartSpec", "FloatArray"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True, eq=False)
class ChartSpec:
    """What to draw: the data (read-only float64 arrays of equal length) and its style.

    ``None`` for ``color``, ``size`` and ``alpha`` means matplotlib's own default, so a chart
    with default options is exactly the original recipe's ``ax.scatter(x, y)``.
    """

    x: FloatArray
    y: FloatArray
    width: int = 640
    height: int = 480
    dpi: float = 100.0
    title: str = ""
    xlabel: str = " x "
    ylabel: str = " y "
    color: str | None = None
    size: float | None = None
    alpha: float | None = None
    marker: str = "o"
    xscale: str = "linear"
    yscale: str = "linear"
    xlim: tuple[float | None, float | None] = (None, None)
    ylim: tuple[float | None, float | None] = (None, None)
    grid: bool = False
    transparent: bool = False
    format: str = "png"

    @property
    def points(self) -> int:
        """How many points the chart draws."""
        return int(self.x.shape[0])

    def style_key(self) -> tuple[object, ...]:
        """Every field but the data: charts with equal keys differ only in what is plotted."""
        return (
            self.width, self.height, self.dpi, self.title, self.xlabel, self.ylabel,
            self.color, self.size, self.alpha, self.marker, self.xscale, self.yscale,
            self.xlim, self.ylim, self.grid, self.transparent, self.format,
        )  # fmt: skip

    def digest(self) -> str:
        """A stable hash of the whole spec (style and data), for cache keys and ETags."""
        hasher = hashlib.blake2b(digest_size=16)
        hasher.update(repr(self.style_key()).encode())
        hasher.update(np.ascontiguousarray(self.x).tobytes())
        hasher.update(b"|")
        hasher.update(np.ascontiguousarray(self.y).tobytes())
        return hasher.hexdigest()


@dataclass(frozen=True, slots=True, eq=False)
class ChartRequest:
    """A parsed request: the chart, the answer shape and whether the result is reproducible."""

    spec: ChartSpec
    output: str = "azureml"
    details: bool = True
    deterministic: bool = False
    """True when the data was sent or seeded: the same request always gives the same image."""
    keyed: bool = False
    """True when the request carries a function key (``code`` or ``x-functions-key``): its
    answer is for the key's holder, never for a shared cache."""
