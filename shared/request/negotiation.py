"""Choosing the answer shape from the ``output`` option and the ``Accept`` header."""

from __future__ import annotations

from ..errors import NotAcceptable, shorten
from ..formats import mimetype_of

__all__ = ["choose_output", "media_quality", "parse_accept"]

JSON_TYPE = "application/json"
HTML_TYPE = "text/html"


def parse_accept(header: str) -> list[tuple[str, float]]:
    """The media ranges of an ``Accept`` header with their q values; malformed parts skipped."""
    ranges: list[tuple[str, float]] = []
    for part in header.split(",")[:64]:
        media, *params = (piece.strip() for piece in part.split(";"))
        if "/" not in media:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        ranges.append((media.lower(), quality))
    return ranges


def _quality(ranges: list[tuple[str, float]], mimetype: str) -> float:
    """The quality the client gives ``mimetype``: the most specific matching range wins."""
    kind = mimetype.split("/")[0] + "/*"
    best: tuple[int, float] = (-1, 0.0)
    for media, quality in ranges:
        rank = 2 if media == mimetype else 1 if media == kind else 0 if media == "*/*" else -1
        if rank > best[0]:
            best = (rank, quality)
    return best[1]


def choose_output(accept: str | None, output: str | None, image_format: str) -> str:
    """The answer shape to build.

    An explicit ``output`` wins if the client accepts its media type. Otherwise the JSON table
    (``azureml``) is the default, and the raw image is chosen when the ``Accept`` header prefers
    the image's type to JSON (``Accept: image/png``, or a browser's ``<img>`` request) or prefers
    a page to JSON (a browser opening the chart's URL: it shows the chart, not its base64).
    """
    ranges = parse_accept(accept) if accept and accept.strip() else [("*/*", 1.0)]
    image_type = mimetype_of(image_format)
    json_quality = _quality(ranges, JSON_TYPE)
    image_quality = _quality(ranges, image_type)
    if output is not None:
        wanted = image_type if output == "image" else JSON_TYPE
        if _quality(ranges, wanted) <= 0:
            raise NotAcceptable(
                f"output {output!r} is {wanted}, which the Accept header "
                f"{shorten(accept, 80)} rules out"
            )
        return output
    browsing = _quality(ranges, HTML_TYPE) > json_quality and image_quality > 0
    if image_quality > json_quality or browsing:
        return "image"
    if json_quality > 0:
        return "azureml"
    raise NotAcceptable(
        f"the Accept header {shorten(accept, 80)} allows neither {JSON_TYPE} nor {image_type}; "
        "set output= or format= to choose an answer"
    )


def media_quality(accept: str, mimetype: str) -> float:
    """The quality an ``Accept`` header gives ``mimetype`` (0 when it rules it out)."""
    return _quality(parse_accept(accept), mimetype)
