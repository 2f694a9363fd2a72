"""The image formats the service writes: name -> media type, and the raster encoder settings.

``pil_options`` is the one place the JPEG and WebP settings are chosen: the plain path passes
them to ``savefig`` as ``pil_kwargs`` and the fast path to Pillow directly, so both write the
same bytes from the same pixels.

* JPEG: ``quality`` 1..100, default 75, which is Pillow's (libjpeg's) default and so what
  matplotlib's ``savefig(format="jpeg")`` writes without ``pil_kwargs``; Pillow's other
  defaults (4:2:0 subsampling, baseline) are kept. JPEG has no alpha channel: matplotlib
  composites the canvas onto white, and ``transparent`` is refused.
* WebP: lossless unless a ``quality`` is given, then lossy at that quality. ``method`` 2
  (libwebp's speed/size trade-off, 0 fastest to 6 smallest; Pillow's default is 4) and, for
  lossless, effort 0: on the reference chart ~11 ms and 23.6 KB lossless (Pillow's defaults:
  ~39 ms, 19.1 KB) and ~14 ms and 39 KB lossy at quality 80 (defaults: ~26 ms, 38 KB). Lossless
  keeps the exact RGB of transparent pixels (``exact``), so it decodes to the canvas itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = [
    "ALIASES",
    "FORMATS",
    "JPEG_QUALITY",
    "QUALITY_FORMATS",
    "ImageFormat",
    "canonical_format",
    "mimetype_of",
    "pil_options",
]


@dataclass(frozen=True, slots=True)
class ImageFormat:
    """One output format."""

    name: str
    mimetype: str
    raster: bool
    """True for pixel formats, whose size is exactly width x height."""
    alpha: bool = True
    """False when the format has no transparency (JPEG)."""


FORMATS: Final[dict[str, ImageFormat]] = {
    "png": ImageFormat("png", "image/png", raster=True),
    "jpeg": ImageFormat("jpeg", "image/jpeg", raster=True, alpha=False),
    "webp": ImageFormat("webp", "image/webp", raster=True),
    "svg": ImageFormat("svg", "image/svg+xml", raster=False),
    "pdf": ImageFormat("pdf", "application/pdf", raster=False),
}

ALIASES: Final[dict[str, str]] = {"jpg": "jpeg"}
"""Other spellings a client may send, and the format each one names."""

QUALITY_FORMATS: Final = frozenset({"jpeg", "webp"})
"""The formats that take a ``quality``."""

JPEG_QUALITY: Final = 75
"""Pillow's default JPEG quality, which matplotlib's ``savefig`` uses."""

_WEBP_METHOD: Final = 2
_WEBP_LOSSLESS_EFFORT: Final = 0


def canonical_format(name: str) -> str:
    """The format a name or alias stands for (``jpg`` -> ``jpeg``)."""
    return ALIASES.get(name, name)


def mimetype_of(name: str) -> str:
    """The media type of a format name from ``FORMATS``."""
    return FORMATS[name].mimetype


def pil_options(name: str, quality: int | None) -> dict[str, object]:
    """Pillow ``save`` options (matplotlib's ``pil_kwargs``) for the raster format ``name``."""
    if name == "jpeg":
        return {"quality": JPEG_QUALITY if quality is None else quality}
    if name == "webp":
        if quality is None:
            return {
                "lossless": True,
                "quality": _WEBP_LOSSLESS_EFFORT,
                "method": _WEBP_METHOD,
                "exact": True,
            }
        return {"quality": quality, "method": _WEBP_METHOD}
    return {}
