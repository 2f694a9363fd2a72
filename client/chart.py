"""``Chart``: the image the service drew, with what its answer said about it.

In Jupyter (IPython's display protocol) a chart shows itself: ``_repr_png_``, ``_repr_jpeg_``,
``_repr_svg_`` and ``_repr_pdf_`` each return the image when it is in their format and ``None``
otherwise, which tells IPython to try the next representation.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UsageError
from .images import ALIASES, EXTENSIONS, describe, pixel_size

__all__ = ["SKIPPED_ROWS", "Chart"]

SKIPPED_ROWS = "X-ScatterPlot-Skipped-Rows"


@dataclass(frozen=True, repr=False)
class Chart:
    """A chart: ``data`` (the image's bytes), ``format`` (``png``, ``svg``, ``pdf``, ``jpeg``,
    ``webp``), ``mimetype`` and the answer's ``headers``."""

    data: bytes
    format: str
    mimetype: str
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def png(self) -> bytes:
        """The PNG bytes; ``ValueError`` when the chart is in another format."""
        if self.format != "png":
            raise ValueError(f"the chart is {self.format}, not png: its bytes are chart.data")
        return self.data

    @property
    def size(self) -> tuple[int, int] | None:
        """Width and height in pixels (raster formats), or ``None``."""
        return pixel_size(self.format, self.data)

    @property
    def etag(self) -> str | None:
        """The answer's ``ETag`` (deterministic charts: data sent, or a seed), or ``None``."""
        return self.headers.get("etag")

    @property
    def skipped_rows(self) -> int | None:
        """Rows the service left out for a missing value, when it says (data charts)."""
        value = self.headers.get(SKIPPED_ROWS.lower(), "").strip()
        return int(value) if value.isdigit() else None

    @property
    def warnings(self) -> tuple[str, ...]:
        """What the answer says went less than well: skipped rows, HTTP ``Warning`` headers."""
        found: list[str] = []
        if self.skipped_rows:
            found.append(f"{self.skipped_rows} row(s) with a missing value were left out")
        warning = self.headers.get("warning")
        if warning:
            found.append(warning)
        return tuple(found)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the image to ``path`` and return it. A name ending in another image format's
        extension (``rain.svg`` for a PNG) is refused; any other name is written as it is."""
        target = Path(path)
        extension = target.suffix.lower().lstrip(".")
        named = ALIASES.get(extension, extension)
        if named in EXTENSIONS and named != self.format:
            right = target.with_suffix("." + EXTENSIONS[self.format])
            raise UsageError(
                f"{target} names a {named} file but the chart is {self.format}: save it as "
                f"{right.name}, or draw it with format={named!r}",
                field="path",
            )
        target.write_bytes(self.data)
        return target

    @property
    def summary(self) -> str:
        """``png 640x480, 56772 bytes``: the format, the size when known, the length."""
        return f"{describe(self.format, self.data)}, {len(self.data)} bytes"

    def __repr__(self) -> str:
        return f"<Chart {self.summary}>"

    def _repr_png_(self) -> bytes | None:
        return self.data if self.format == "png" else None

    def _repr_jpeg_(self) -> bytes | None:
        return self.data if self.format == "jpeg" else None

    def _repr_svg_(self) -> str | None:
        return self.data.decode("utf-8") if self.format == "svg" else None

    def _repr_pdf_(self) -> bytes | None:
        return self.data if self.format == "pdf" else None
