"""A fast lossless PNG writer for the Agg canvas's RGBA buffer.

Every row gets filter type 0 (none) and the image data is deflated at level 1 with ISA-L
(``isal``) when it is installed, else with the standard library's zlib. PNG is lossless
whatever the filter and level: the decoded pixels are exactly the buffer's, only the file is a
few percent larger than Pillow's default (level 6, adaptive filters), for a fraction of the time.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["encode_png"]

_compress: Callable[..., bytes]
try:
    from isal import isal_zlib

    _compress = isal_zlib.compress
except ImportError:  # pragma: no cover - isal is pinned; zlib is the portable fallback
    _compress = zlib.compress

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_IEND = b"\x00\x00\x00\x00IEND\xaeB`\x82"


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(data, zlib.crc32(kind))
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def encode_png(rgba: npt.NDArray[Any], *, dpi: float) -> bytes:
    """PNG bytes (8-bit RGBA, non-interlaced) of a ``(height, width, 4)`` uint8 array.

    ``dpi`` goes into the pHYs chunk as matplotlib's own writer does.
    """
    height, width, channels = rgba.shape
    if channels != 4 or rgba.dtype != np.uint8:
        raise ValueError(f"expected a (h, w, 4) uint8 array, got {rgba.shape} {rgba.dtype}")
    rows = np.empty((height, width * 4 + 1), dtype=np.uint8)
    rows[:, 0] = 0  # filter type 0 on every row
    rows[:, 1:] = rgba.reshape(height, width * 4)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    per_metre = round(dpi / 0.0254)
    physical = struct.pack(">IIB", per_metre, per_metre, 1)
    return b"".join(
        (
            _SIGNATURE,
            _chunk(b"IHDR", header),
            _chunk(b"pHYs", physical),
            _chunk(b"IDAT", _compress(rows.data, 1)),
            _IEND,
        )
    )
