"""``python -m devhost [--host 127.0.0.1] [--port 7071] [--root .] [--cors ORIGINS]
[--request-headers-timeout 30]``: serve the app locally."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from .config import ConfigError
from .protocol import REQUEST_HEADERS_TIMEOUT
from .settings import parse_origins


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port {value} is not between 1 and 65535")
    return value


def _root(text: str) -> Path:
    path = Path(text)
    if not (path / "host.json").is_file():
        raise argparse.ArgumentTypeError(f"{text} has no host.json: not a Functions app root")
    return path


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"{value} s is not between 0 and 3600 seconds")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and serve until interrupted."""
    parser = argparse.ArgumentParser(
        prog="python -m devhost", description="Serve the Functions app locally, like func start."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument("--port", type=_port, default=7071, help="port to listen on (7071)")
    parser.add_argument("--root", type=_root, default=Path("."), help="the app's folder (.)")
    parser.add_argument(
        "--cors",
        type=parse_origins,
        default=None,
        metavar="ORIGINS",
        help="comma-separated origins allowed to call from a browser, or * "
        "(default: Host.CORS of local.settings.json, as with func start --cors)",
    )
    parser.add_argument(
        "--request-headers-timeout",
        type=_seconds,
        default=REQUEST_HEADERS_TIMEOUT,
        metavar="SECONDS",
        help="close a connection whose request head is unfinished after this long "
        f"(Kestrel's RequestHeadersTimeout: {REQUEST_HEADERS_TIMEOUT:g})",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    from .server import HostError, HostOptions, serve  # imported after logging is set up

    options = HostOptions(
        root=args.root,
        host=args.host,
        port=args.port,
        cors_origins=args.cors,
        request_headers_timeout=args.request_headers_timeout,
    )
    try:
        serve(options)
    except (ConfigError, HostError, ValueError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
