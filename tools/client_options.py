"""``python -m tools.client_options``: write ``client/options.json`` from ``shared/openapi.json``.

The client ships this list so that it needs nothing from the repository once installed: every
chart option it offers as a keyword argument of ``ScatterPlot.draw`` and as a command-line flag
comes from it, with the option's JSON schema (type, bounds, choices) and its description. A new
option in the OpenAPI description is a new keyword and flag after running this; ``--check``
exits 1 when the committed list differs from what the description gives now (the tests run it).

Left out of the list, with the reason the client has its own way:
``x``, ``y`` (data in the query string: the client sends data as a body), ``code`` (the function
key: ``key=`` / ``--key``), ``api-version`` (accepted and ignored by the service), and the
``format`` value ``swagger`` (Azure ML's spelling of ``output=swagger``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

__all__ = ["OPTIONS_PATH", "build_options", "main", "render"]

REPO = Path(__file__).resolve().parent.parent
OPTIONS_PATH = REPO / "client" / "options.json"
OPENAPI_PATH = REPO / "shared" / "openapi.json"
NOT_OPTIONS = frozenset({"x", "y", "code", "api-version"})
LEFT_OUT_VALUES = {"format": frozenset({"swagger"})}


def _schema(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    schema = dict(schema)
    left_out = LEFT_OUT_VALUES.get(name, frozenset())
    if "enum" in schema and left_out:
        schema["enum"] = [value for value in schema["enum"] if value not in left_out]
    return schema


def build_options(openapi: dict[str, Any]) -> dict[str, Any]:
    """The client's option list from the chart function's query parameters."""
    operation = openapi["paths"]["/ScatterPlot"]["get"]
    options = [
        {
            "name": parameter["name"],
            "help": parameter.get("description", ""),
            "schema": _schema(parameter["name"], parameter["schema"]),
        }
        for parameter in operation["parameters"]
        if parameter["in"] == "query" and parameter["name"] not in NOT_OPTIONS
    ]
    return {
        "source": "shared/openapi.json (python -m tools.client_options)",
        "version": openapi["info"]["version"],
        "options": options,
    }


def render(openapi: dict[str, Any]) -> str:
    """The file's text."""
    return json.dumps(build_options(openapi), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the list, or with ``--check`` say whether the committed one is current."""
    parser = argparse.ArgumentParser(prog="python -m tools.client_options", description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    args = parser.parse_args(argv)
    text = render(json.loads(OPENAPI_PATH.read_text(encoding="utf-8")))
    current = OPTIONS_PATH.read_text(encoding="utf-8") if OPTIONS_PATH.exists() else ""
    if args.check:
        if text != current:
            print(
                f"{OPTIONS_PATH.relative_to(REPO)} is stale: run python -m tools.client_options",
                file=sys.stderr,
            )
            return 1
        return 0
    if text != current:
        OPTIONS_PATH.write_text(text, encoding="utf-8")
        print(f"wrote {OPTIONS_PATH.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
