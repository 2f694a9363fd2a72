"""The image formats the service writes: name -> media type and matplotlib save options."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = ["FORMATS", "ImageFormat", "mimetype_of"]


@dataclass(frozen=True, slots=True)
class ImageFormat:
    """One output format."""

    name: str
    mimetype: str
    raster: bool
    """True for pixel formats, whose size is exactly width x height."""


FORMATS: Final[dict[str, ImageFormat]] = {
    "png": ImageFormat("png", "image/png", raster=True),
    "jpeg": ImageFormat("jpeg", "image/jpeg", raster=True),
    "svg": ImageFormat("svg", "image/svg+xml", raster=False),
    "pdf": ImageFormat("pdf", "application/pdf", raster=False),
}


def mimetype_of(name: str) -> str:
    """The media type of a format name from ``FORMATS``."""
    return FORMATS[name].mimetype
