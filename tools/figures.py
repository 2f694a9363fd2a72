"""``python -m tools.figures``: draw the pictures of the README and docs/ with the service itself.

Each picture is one entry of ``FIGURES``: a file name under ``docs/images/`` and the request
that draws it, answered by ``ScatterPlot.main`` exactly as a client would get it. Adding a
picture is adding an entry. ``--check`` draws them in memory and exits 1 when a committed
picture's pixels differ from what the service draws now (the tests run it), so the pictures
never drift from the code. Pixels, not bytes, are compared: the PNG encoder may change while
the chart stays the same.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

__all__ = ["FIGURES", "IMAGES", "Figure", "differing", "draw", "main"]

REPO = Path(__file__).resolve().parent.parent
IMAGES = REPO / "docs" / "images"


@dataclass(frozen=True)
class Figure:
    """One picture: its file name and the request that draws it."""

    name: str
    description: str
    params: Mapping[str, str] = field(default_factory=dict)
    body_file: str | None = None  # a file under examples/, posted as the request body
    content_type: str | None = None


FIGURES: tuple[Figure, ...] = (
    Figure(
        "reference.png",
        "the reference chart of the original recipe: 1000 points, y = x + noise, 640 x 480",
        {"seed": "1"},
    ),
    Figure(
        "groups.png",
        "rain against temperature, one series per site, a legend titled site",
        {"x_column": "temp", "y_column": "rain", "group": "site"},
        body_file="weather.csv",
        content_type="text/csv",
    ),
    Figure(
        "theme-ggplot.png",
        "the weather sites in the ggplot theme with a long title, a 320 x 240 thumbnail",
        {
            "x_column": "temp",
            "y_column": "rain",
            "group": "site",
            "theme": "ggplot",
            "width": "320",
            "height": "240",
            "title": "Rain against temperature at the harbour and on the hill, March",
        },
        body_file="weather.csv",
        content_type="text/csv",
    ),
    Figure(
        "theme-dark.png",
        "the reference data in dark_background, a CJK title, y ticks formatted, 320 x 240",
        {
            "seed": "1",
            "theme": "dark_background",
            "width": "320",
            "height": "240",
            "ytick_format": "{x:,.0f} mm",
            "title": "雨 (rain)",
        },
    ),
    Figure(
        "trendline.png",
        "the sample points with a quadratic trend line, its equation and R² in the legend",
        {"trendline": "quadratic"},
        body_file="points.json",
        content_type="application/json",
    ),
    Figure(
        "density.png",
        "20,000 generated points as a hexbin chart with a colorbar of counts and a trend line",
        {"seed": "1", "n": "20000", "kind": "hexbin", "trendline": "linear"},
    ),
)


def draw(figure: Figure) -> bytes:
    """The PNG the service answers for ``figure``'s request (``output=image``)."""
    import azure.functions as func

    import ScatterPlot

    params = {**figure.params, "output": "image"}
    body = (REPO / "examples" / figure.body_file).read_bytes() if figure.body_file else b""
    headers = {"Content-Type": figure.content_type} if figure.content_type else {}
    request = func.HttpRequest(
        method="POST" if body else "GET",
        url="http://127.0.0.1:7071/api/ScatterPlot?" + urlencode(params),
        headers=headers,
        params=params,
        body=body,
    )
    response = ScatterPlot.main(request)
    if response.status_code != 200 or response.mimetype != "image/png":
        raise RuntimeError(
            f"{figure.name}: HTTP {response.status_code} {response.mimetype}: "
            f"{response.get_body()[:300]!r}"
        )
    return response.get_body()


def _pixels(data: bytes) -> tuple[tuple[int, int], bytes]:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        rgba = image.convert("RGBA")
        return rgba.size, rgba.tobytes()


def differing(folder: Path = IMAGES) -> list[str]:
    """The pictures in ``folder`` that are missing or whose pixels differ from a fresh drawing."""
    stale = []
    for figure in FIGURES:
        path = folder / figure.name
        if not path.is_file() or _pixels(path.read_bytes()) != _pixels(draw(figure)):
            stale.append(figure.name)
    return stale


def main(argv: Sequence[str] | None = None) -> int:
    """Write every picture, or with ``--check`` report the stale ones; 0 when all is well."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.figures",
        description="Draw the docs' pictures (docs/images/) with ScatterPlot itself.",
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a picture is stale"
    )
    parser.add_argument("--out", type=Path, default=IMAGES, help="folder (default docs/images)")
    args = parser.parse_args(argv)
    if args.check:
        stale = differing(args.out)
        for name in stale:
            print(f"{args.out / name} differs from what the service draws", file=sys.stderr)
        if stale:
            print("redraw them with: python -m tools.figures", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for figure in FIGURES:
        data = draw(figure)
        (args.out / figure.name).write_bytes(data)
        print(f"wrote {args.out / figure.name}: {figure.description}, {len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
