"""``scatterplot`` / ``python -m client``: ask the service for a scatter chart and write it to a
file, through ``ScatterPlot``.

The service is ``--url``, else ``$SCATTERPLOT_URL``, else the local host's
``http://127.0.0.1:7071/api/ScatterPlot``; a function key is ``--key``, else ``$SCATTERPLOT_KEY``.
Every option of the service is a flag, made from the client's option list (``--x-column`` for
``x_column``, ``--grid/--no-grid`` for a boolean; ``output`` is ``--output-shape``), checked
against the option's schema before any request. Prints ``wrote scatter.png: png 640x480, 23456
bytes``. Errors print ``Error: <message>`` to stderr and exit 1 (2 for a bad command line); no
traceback for expected failures.
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

from .api import DEFAULT_URL, KEY_VARIABLE, URL_VARIABLE, ScatterPlot, check_url
from .errors import ScatterPlotError, UsageError
from .images import ALIASES, EXTENSIONS
from .options import Option, option_list
from .request import ACCEPT_JSON
from .tables import Body

__all__ = ["DEFAULT_URL", "KEY_VARIABLE", "URL_VARIABLE", "build_parser", "main"]

FLAGS = {"output": "--output-shape"}  # flags that differ from the option's name
DATA_OPTIONS = frozenset({"n", "seed", "group", "delimiter", "decimal"})
ANSWER_OPTIONS = frozenset({"format", "output", "details", "quality"})


def _names_columns(name: str) -> bool:
    """Whether an option is about the columns of sent data (``x_column``, ``group``, ...)."""
    return name.endswith(("_column", "_type")) or name == "group"


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
    try:
        return check_url(text)
    except UsageError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


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


def flag(option: Option) -> str:
    """The command-line flag of an option."""
    return FLAGS.get(option.name, "--" + option.name.replace("_", "-"))


def dest(option: Option) -> str:
    """The attribute of the parsed arguments that holds an option."""
    return flag(option)[2:].replace("-", "_")


def _checker(option: Option) -> Callable[[str], str]:
    def check(text: str) -> str:
        try:
            return option.check(text)
        except UsageError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    check.__name__ = option.name  # argparse names the type in some messages
    return check


def _add_option(group: argparse._ArgumentGroup, option: Option) -> None:
    help_text = option.help.replace("%", "%%")
    if option.kind == "boolean":
        action: Any = argparse.BooleanOptionalAction
        group.add_argument(flag(option), dest=dest(option), action=action, help=help_text)
    elif option.choices is not None:
        group.add_argument(flag(option), dest=dest(option), choices=option.choices, help=help_text)
    else:
        metavar = "COLUMN" if option.name.endswith("_column") else option.name.upper()
        group.add_argument(
            flag(option), dest=dest(option), type=_checker(option), metavar=metavar, help=help_text
        )


def _group_name(option: Option) -> str:
    if option.name in DATA_OPTIONS or _names_columns(option.name):
        return "data"
    return "answer" if option.name in ANSWER_OPTIONS else "chart"


def build_parser(prog: str = "python -m client") -> argparse.ArgumentParser:
    """The command line: the client's own flags, and one flag per option of the service."""
    parser = argparse.ArgumentParser(
        prog=prog,
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
    groups = {
        "data": parser.add_argument_group("data (default: the service's reference data)"),
        "chart": parser.add_argument_group("chart"),
        "answer": parser.add_argument_group("answer"),
    }
    source = groups["data"].add_mutually_exclusive_group()
    source.add_argument("--csv", type=_file_bytes, metavar="FILE", help="CSV with a header row")
    source.add_argument(
        "--json",
        type=_json_file,
        metavar="FILE",
        help='JSON like {"x": [...], "y": [...]} or an Azure ML request',
    )
    for option in option_list():
        _add_option(groups[_group_name(option)], option)
    groups["answer"].add_argument(
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
        try:
            args.url = check_url(environ.get(URL_VARIABLE) or DEFAULT_URL)
        except UsageError as error:
            parser.error(f"{URL_VARIABLE}: {error}")
    has_data = args.csv is not None or args.json is not None
    for option in option_list():
        used = getattr(args, dest(option)) is not None
        if used and _names_columns(option.name) and not has_data:
            parser.error(f"{flag(option)} needs --csv or --json")
    if has_data and any(getattr(args, name, None) is not None for name in ("n", "seed")):
        parser.error("--n and --seed apply to generated data only, not with --csv or --json")
    given = getattr(args, "format", None)
    image_format = ALIASES.get(given, given) if given else None
    if getattr(args, "transparent", None) and image_format == "jpeg":
        parser.error(f"--transparent does not work with --format {args.format}")
    if getattr(args, "quality", None) is not None and image_format not in ("jpeg", "webp"):
        parser.error("--quality needs --format jpeg, jpg or webp")
    named = args.out.suffix.lower().lstrip(".") if args.out is not None else ""
    named = ALIASES.get(named, named)
    if image_format is not None and named in EXTENSIONS and named != image_format:
        parser.error(f"--out {args.out} names a {named} file, but --format is {given}")


def _data(args: argparse.Namespace) -> Body | None:
    if args.csv is not None:
        return Body(args.csv, "text/csv")
    if args.json is not None:
        return Body(json.dumps(args.json).encode(), "application/json")
    return None


def run(
    args: argparse.Namespace,
    *,
    environ: Mapping[str, str],
    transport: httpx.BaseTransport | None,
    sleep: Callable[[float], None],
) -> str:
    """Fetch, check and write the chart; the line to print."""
    options = {
        option.name: getattr(args, dest(option))
        for option in option_list()
        if getattr(args, dest(option)) is not None
    }
    plot = ScatterPlot(
        args.url,
        key=args.key,
        bearer=args.bearer,
        timeout=args.timeout,
        retries=args.retries,
        headers=None if options.get("output") or args.bearer else {"Accept": ACCEPT_JSON},
        environ=environ,
        transport=transport,
        sleep=sleep,
    )
    chart = plot.draw(_data(args), **options)
    path = args.out or Path(f"scatter.{EXTENSIONS[chart.format]}")
    try:
        chart.save(path)
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror}") from None
    return f"wrote {path}: {chart.summary}"


def main(
    argv: Sequence[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Run the client; 0 on success, 1 on an error, 2 for a bad command line."""
    prog = "scatterplot" if Path(sys.argv[0]).name == "scatterplot" else "python -m client"
    parser = build_parser(prog)
    args = parser.parse_args(argv)
    environ = os.environ if environ is None else environ
    _validate(parser, args, environ)
    try:
        line = run(args, environ=environ, transport=transport, sleep=sleep)
    except ScatterPlotError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    print(line)
    return 0
