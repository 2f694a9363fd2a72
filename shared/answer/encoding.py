"""Image bytes <-> ``data:`` URIs, as the original recipe put them in its table."""

from __future__ import annotations

import base64
import binascii

__all__ = ["from_data_uri", "to_data_uri"]


def to_data_uri(image: bytes, mimetype: str) -> str:
    """``data:<mimetype>;base64,<image>``."""
    return f"data:{mimetype};base64,{base64.b64encode(image).decode('ascii')}"


def from_data_uri(uri: str) -> tuple[str, bytes]:
    """The media type and bytes of a base64 ``data:`` URI; ``ValueError`` if it is not one."""
    head, comma, payload = uri.partition(",")
    if not comma or not head.startswith("data:") or not head.endswith(";base64"):
        raise ValueError("not a base64 data: URI")
    mimetype = head[len("data:") : -len(";base64")] or "text/plain"
    try:
        return mimetype, base64.b64decode(payload, validate=True)
    except binascii.Error as error:
        raise ValueError(f"bad base64 in data: URI: {error}") from None
