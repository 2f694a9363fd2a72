"""Raster images from the fast path's pixels: PNG, JPEG and WebP.

Every raster format is encoded from the same RGBA canvas the prepared figure draws
(``prepared``), so a JPEG or WebP costs what a PNG costs plus its encoder. PNG goes through
the fast lossless writer (``pngwrite``). JPEG and WebP go through Pillow exactly as
matplotlib's ``savefig`` sends them (``matplotlib.image.imsave``): the canvas as an RGBA image,
for JPEG pasted onto white by its alpha channel (what ``print_jpg`` does, as JPEG has no
alpha; an opaque canvas, as every JPEG chart's is, is converted to RGB instead: the same
pixels without the slower masked paste), saved with the figure's dpi and the options of
``shared.formats.pil_options``. The same pixels and the same encoder calls give the same
bytes as the plain path.
"""

from __future__ import annotations

import io
from typing import Any, Final

import numpy as np
import numpy.typing as npt
from PIL import Image

from ...formats import pil_options
from ...spec import ChartSpec
from .pngwrite import encode_png

__all__ = ["RASTER_FORMATS", "encode_raster"]

RASTER_FORMATS: Final = frozenset({"png", "jpeg", "webp"})

_JPEG_BACKGROUND = (255, 255, 255)
"""``print_jpg`` sets ``savefig.facecolor`` to white for the compositing."""


def encode_raster(rgba: npt.NDArray[Any], spec: ChartSpec) -> bytes:
    """The ``(height, width, 4)`` uint8 canvas as ``spec.format`` bytes."""
    if spec.format == "png":
        return encode_png(rgba, dpi=spec.dpi)
    if spec.format not in RASTER_FORMATS:
        raise ValueError(f"not a raster format: {spec.format}")
    height, width, _ = rgba.shape
    pixels = np.require(rgba, dtype=np.uint8, requirements="C")
    image = Image.frombuffer("RGBA", (width, height), pixels, "raw", "RGBA", 0, 1)
    if spec.format == "jpeg":
        if (pixels[..., 3] == 255).all():  # opaque (always, here): pasting would copy the RGB
            image = image.convert("RGB")
        else:
            background = Image.new("RGB", image.size, _JPEG_BACKGROUND)
            background.paste(image, image)
            image = background
    out = io.BytesIO()
    options = pil_options(spec.format, spec.quality)
    image.save(out, format=spec.format, dpi=(spec.dpi, spec.dpi), **options)
    return out.getvalue()
