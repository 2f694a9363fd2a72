"""``python -m client``: ask the service for a scatter chart and write it to a file.

The service is ``--url``, else ``$SCATTERPLOT_URL``, else the local host's
``http://127.0.0.1:7071/api/ScatterPlot``; a function key is ``--key``, else ``$SCATTERPLOT_KEY``.
Prints ``wrote scatter.png: png 640x480, 23456 bytes``. Errors print ``Error: <message>`` to
stderr and exit 1 (2 for a bad command line); no traceback for expected failures.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx

from .answer import extract_image
from .errors import ClientError
from .fetch import send
from .images import EXTENSIONS, check_image, describe
from .request import build_request

__all__ = ["DEFAULT_URL", "KEY_VARIABLE", "URL_VARIABLE", "main"]

DEFAULT_URL = "http://127.0.0.1:7071/api/ScatterPlot"
URL_VARIABLE = "SCATTERPLOT_URL"
KEY_VARIABLE = "SCATTERPLOT_KEY"
FORMATS = ("png", "svg", "pdf", "jpeg")
SHAPES = ("azureml", "swagger", "pandas", "record", "image")
MARKERS = ("o", ".", ",", "s", "^", "v", "<", ">", "D", "d", "x", "+", "*", "p", "h")


def _number(kind: type, low: float | None = None, high: float | None = None) -> Callable[..., Any]:
    def convert(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {kind.__name__}") from None
        if isinstance(value, float) and not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
        if low is not None and value < low:
            raise argparse.ArgumentTypeError(f"{text} is below the minimum {low}")
        if high is not None and value > high:
            raise argparse.ArgumentTypeError(f"{text} is above the maximum {high}")
        return value

    return convert


def _url(text: str) -> str:
    parsed = httpx.URL(text) if text.startswith(("http://", "https://")) else None
    if parsed is None or not parsed.host:
        raise argparse.ArgumentTypeError(f"{text!r} is not an http:// or https:// URL")
    return text


def _file_bytes(text: str) -> bytes:
    try:
        return Path(text).read_bytes()
    except OSError as error:
        raise argparse.ArgumentTypeError(f"cannot read {text}: {error.strerror}") from None


def _json_file(text: str) -> dict[str, Any]:
    data = _file_bytes(text)
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise argparse.ArgumentTypeError(f"{text} is not valid JSON: {error}") from None
    if not isinstance(document, dict):
        raise argparse.ArgumentTypeError(f"{text} must hold a JSON object")
    return document


def _out_path(text: str) -> Path:
    path = Path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a directory; give a file name")
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"the folder of {text} does not exist")
    return path


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m client",
        description="Ask the ScatterPlot service for a scatter chart and write it to a file.",
    )
    where = parser.add_argument_group("service")
    where.add_argument(
        "--url",
        type=_url,
        help=f"the function's URL (default: ${URL_VARIABLE}, else {DEFAULT_URL})",
    )
    auth = where.add_mutually_exclusive_group()
    auth.add_argument(
        "--key", help=f"function key, sent as x-functions-key (default: ${KEY_VARIABLE})"
    )
    auth.add_argument(
        "--bearer",
        metavar="KEY",
        help="API key of an Azure ML Studio (classic) service: sends Authorization: Bearer KEY "
        "and an Azure ML request body",
    )
    where.add_argument(
        "--timeout",
        type=_number(float, 0.1, 600),
        default=60.0,
        help="seconds to wait for each answer (default 60)",
    )
    where.add_argument(
        "--retries",
        type=_number(int, 0, 10),
        default=3,
        help="retries on connection errors, 429 and 5xx (default 3)",
    )

    data = parser.add_argument_group("data (default: the service's reference data)")
    source = data.add_mutually_exclusive_group()
    source.add_argument("--csv", type=_file_bytes, metavar="FILE", help="CSV with a header row")
    source.add_argument(
        "--json",
        type=_json_file,
        metavar="FILE",
        help='JSON like {"x": [...], "y": [...]} or an Azure ML request',
    )
    data.add_argument("--x-column", help="the column holding x (default x)")
    data.add_argument("--y-column", help="the column holding y (default y)")
    data.add_argument("--n", type=_number(int, 1), help="number of generated points")
    data.add_argument("--seed", type=_number(int, 0, 2**63 - 1), help="seed for generated data")

    chart = parser.add_argument_group("chart")
    chart.add_argument("--width", type=_number(int, 16), help="pixels (default 640)")
    chart.add_argument("--height", type=_number(int, 16), help="pixels (default 480)")
    chart.add_argument("--dpi", type=_number(float, 10), help="dots per inch (default 100)")
    chart.add_argument("--title")
    chart.add_argument("--xlabel")
    chart.add_argument("--ylabel")
    chart.add_argument("--color", help="a name, #rrggbb or C0..C9")
    chart.add_argument("--size", type=_number(float, 0), help="marker area in points squared")
    chart.add_argument("--alpha", type=_number(float, 0, 1), help="marker opacity, 0 to 1")
    chart.add_argument("--marker", choices=MARKERS)
    chart.add_argument("--xscale", choices=("linear", "log"))
    chart.add_argument("--yscale", choices=("linear", "log"))
    for name in ("xmin", "xmax", "ymin", "ymax"):
        chart.add_argument(f"--{name}", type=_number(float), help="axis limit")
    chart.add_argument("--grid", action=argparse.BooleanOptionalAction, help="grid lines")
    chart.add_argument(
        "--transparent", action=argparse.BooleanOptionalAction, help="transparent background"
    )

    answer = parser.add_argument_group("answer")
    answer.add_argument("--format", choices=FORMATS, help="image format (default png)")
    answer.add_argument(
        "--output-shape",
        choices=SHAPES,
        help="answer shape to ask for (default: the service's, azureml)",
    )
    answer.add_argument(
        "--out",
        type=_out_path,
        metavar="FILE",
        help="where to write the image (default scatter.<format>)",
    )
    return parser


def _validate(
    parser: argparse.ArgumentParser, args: argparse.Namespace, environ: Mapping[str, str]
) -> None:
    if args.url is None:
        from_environ = environ.get(URL_VARIABLE) or DEFAULT_URL
        try:
            args.url = _url(from_environ)
        except argparse.ArgumentTypeError as error:
            parser.error(f"{URL_VARIABLE}: {error}")
    has_data = args.csv is not None or args.json is not None
    if (args.x_column or args.y_column) and not has_data:
        parser.error("--x-column and --y-column need --csv or --json")
    if has_data and (args.n is not None or args.seed is not None):
        parser.error("--n and --seed apply to generated data only, not with --csv or --json")
    if args.transparent and args.format == "jpeg":
        parser.error("--transparent does not work with --format jpeg")


def _server_error(response: httpx.Response, url: str) -> ClientError:
    """The server's JSON error message, or a plain description of the status."""
    try:
        error = response.json().get("error", {})
    except (ValueError, AttributeError):
        error = {}
    message = error.get("message") if isinstance(error, dict) else None
    status = f"HTTP {response.status_code}"
    if isinstance(message, str) and message:
        code = error.get("code")
        return ClientError(f"{message} ({status}{' ' + code if isinstance(code, str) else ''})")
    hints = {
        401: "the service wants a key: pass --key or set " + KEY_VARIABLE,
        403: "the key was refused",
        404: f"no function answers GET/POST at {url}",
    }
    return ClientError(f"{status}: {hints.get(response.status_code, response.reason_phrase)}")


def run(
    args: argparse.Namespace,
    *,
    environ: Mapping[str, str],
    transport: httpx.BaseTransport | None,
    sleep: Callable[[float], None],
) -> str:
    """Fetch, check and write the chart; the line to print."""
    key = args.key if args.key is not None else environ.get(KEY_VARIABLE) or None
    outgoing = build_request(args, key=key)
    timeout = httpx.Timeout(args.timeout, connect=min(10.0, args.timeout))
    with httpx.Client(timeout=timeout, transport=transport) as client:
        response = send(client, outgoing, retries=args.retries, sleep=sleep)
    if not response.is_success:
        raise _server_error(response, args.url)
    mimetype, data = extract_image(response)
    image_format = check_image(mimetype, data)
    if args.format is not None and image_format != args.format:
        raise ClientError(f"asked for {args.format} but the answer is {image_format}")
    path = args.out or Path(f"scatter.{EXTENSIONS[image_format]}")
    try:
        path.write_bytes(data)
    except OSError as error:
        raise ClientError(f"cannot write {path}: {error.strerror}") from None
    return f"wrote {path}: {describe(image_format, data)}, {len(data)} bytes"


def main(
    argv: Sequence[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Run the client; 0 on success, 1 on an error, 2 for a bad command line."""
    parser = build_parser()
    args = parser.parse_args(argv)
    environ = os.environ if environ is None else environ
    _validate(parser, args, environ)
    try:
        line = run(
            args,
            environ=environ,
            transport=transport,
            sleep=sleep,
        )
    except ClientError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    except httpx.TimeoutException:
        print(f"Error: no answer from {args.url} within {args.timeout:g} s", file=sys.stderr)
        return 1
    except httpx.HTTPError as error:
        print(f"Error: cannot reach {args.url}: {error}", file=sys.stderr)
        return 1
    print(line)
    return 0
