"""Check that image bytes are the type announced, and describe their size."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ElementTree

from .errors import ClientError

__all__ = ["EXTENSIONS", "MEDIA_TYPES", "check_image", "describe"]

MEDIA_TYPES = {
    "image/png": "png",
    "image/jpeg": "jpeg",
    "image/webp": "webp",
    "image/svg+xml": "svg",
    "application/pdf": "pdf",
}
EXTENSIONS = {"png": "png", "jpeg": "jpg", "webp": "webp", "svg": "svg", "pdf": "pdf"}


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
    """The format name of ``data``; ``ClientError`` unless it is the announced ``mimetype``."""
    announced = MEDIA_TYPES.get(mimetype.lower())
    if announced is None:
        raise ClientError(
            f"the answer holds {mimetype!r}, not one of {', '.join(sorted(MEDIA_TYPES))}"
        )
    actual = sniff(data)
    if actual != announced:
        found = f"{actual} data" if actual else "not an image"
        raise ClientError(f"the answer announces {mimetype} but its {len(data)} bytes are {found}")
    return announced


def describe(image_format: str, data: bytes) -> str:
    """``png 640x480``, ``svg 460.8pt x 345.6pt``: the format and its size, when known."""
    size = ""
    if image_format in ("png", "jpeg", "webp"):
        from PIL import Image  # imported on demand: only raster answers need it

        with Image.open(io.BytesIO(data)) as image:
            size = f"{image.width}x{image.height}"
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
