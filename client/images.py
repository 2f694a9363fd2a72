"""Check that image bytes are the type announced, and describe their size.

Pillow is used for the size of a JPEG or WebP when it is installed (it is not a dependency of the
client); a PNG's size is read from its header.
"""

from __future__ import annotations

import io
import re
import struct
import xml.etree.ElementTree as ElementTree

from .errors import AnswerError

__all__ = ["ALIASES", "EXTENSIONS", "MEDIA_TYPES", "check_image", "describe", "pixel_size"]

MEDIA_TYPES = {
    "image/png": "png",
    "image/jpeg": "jpeg",
    "image/webp": "webp",
    "image/svg+xml": "svg",
    "application/pdf": "pdf",
}
EXTENSIONS = {"png": "png", "jpeg": "jpg", "webp": "webp", "svg": "svg", "pdf": "pdf"}
ALIASES = {"jpg": "jpeg"}  # other names of a format, as ``format=`` or a file's extension


def _is_svg(data: bytes) -> bool:
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return False
    return root.tag in ("svg", "{http://www.w3.org/2000/svg}svg")


def sniff(data: bytes) -> str | None:
    """The format the bytes really are (``png``, ``jpeg``, ``webp``, ``pdf``, ``svg``), or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.lstrip()[:1] == b"<" and _is_svg(data):
        return "svg"
    return None


def check_image(mimetype: str, data: bytes) -> str:
    """The format name of ``data``; ``AnswerError`` unless it is the announced ``mimetype``."""
    announced = MEDIA_TYPES.get(mimetype.lower())
    if announced is None:
        raise AnswerError(
            f"the answer holds {mimetype!r}, not one of {', '.join(sorted(MEDIA_TYPES))}"
        )
    actual = sniff(data)
    if actual != announced:
        found = f"{actual} data" if actual else "not an image"
        raise AnswerError(f"the answer announces {mimetype} but its {len(data)} bytes are {found}")
    return announced


def pixel_size(image_format: str, data: bytes) -> tuple[int, int] | None:
    """Width and height in pixels of a raster image, when they can be read."""
    if image_format == "png" and len(data) >= 24 and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if image_format in ("png", "svg", "pdf"):
        return None
    try:
        from PIL import Image  # optional: only for the size of other raster formats
    except ImportError:
        return None
    with Image.open(io.BytesIO(data)) as image:
        return image.width, image.height


def describe(image_format: str, data: bytes) -> str:
    """``png 640x480``, ``svg 460.8pt x 345.6pt``: the format and its size, when known."""
    size = ""
    pixels = pixel_size(image_format, data)
    if pixels is not None:
        size = f"{pixels[0]}x{pixels[1]}"
    elif image_format == "svg":
        root = ElementTree.fromstring(data)
        width, height = root.get("width"), root.get("height")
        if width and height:
            size = f"{width} x {height}"
    elif image_format == "pdf":
        box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
        if box:
            size = f"{box[1].decode()}pt x {box[2].decode()}pt"
    return f"{image_format} {size}".strip()
