"""Static contract of every function folder: what the host and the Python worker check at load.

Parametrized over the folders found, so a function added later is checked too: a broken
function.json fails here, not at the first cloud deploy.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from devhost.config import AUTH_LEVELS, HTTP_METHODS, check_function, function_folders, load_app
from tests.hostprocess import REPO

FOLDERS = function_folders(REPO)


def test_the_app_has_functions() -> None:
    names = ["Health", "Landing", "OpenAPI", "Playground", "ScatterPlot"]
    assert [folder.name for folder in FOLDERS] == names
    config, problems = load_app(REPO)
    assert problems == []
    assert config.route_prefix == "api"
    levels = {function.name: function.auth_level for function in config.functions}
    assert levels == {name: "function" if name == "ScatterPlot" else "anonymous" for name in names}


@pytest.mark.parametrize("folder", FOLDERS, ids=[folder.name for folder in FOLDERS])
def test_function_folder_contract(folder: Path) -> None:
    assert check_function(folder) == []
    document = json.loads((folder / "function.json").read_text())
    script = folder / document.get("scriptFile", "__init__.py")
    assert script.is_file() and script.suffix == ".py"
    trigger = next(b for b in document["bindings"] if b["type"] == "httpTrigger")
    assert trigger.get("authLevel", "function") in AUTH_LEVELS
    assert {m.upper() for m in trigger.get("methods", HTTP_METHODS)} <= set(HTTP_METHODS)
    outputs = [b for b in document["bindings"] if b["direction"] == "out"]
    assert [(b["type"], b["name"]) for b in outputs] == [("http", "$return")]


GOOD: dict[str, Any] = {
    "scriptFile": "__init__.py",
    "bindings": [
        {
            "authLevel": "function",
            "type": "httpTrigger",
            "direction": "in",
            "name": "req",
            "methods": ["get", "post"],
        },
        {"type": "http", "direction": "out", "name": "$return"},
    ],
}
SCRIPT = "def main(req):\n    return req\n"


def _folder(tmp_path: Path, document: dict[str, Any], script: str = SCRIPT) -> Path:
    folder = tmp_path / "Fn"
    folder.mkdir()
    (folder / "function.json").write_text(json.dumps(document))
    (folder / "__init__.py").write_text(script)
    return folder


def _with_trigger(**changes: Any) -> dict[str, Any]:
    trigger = {**GOOD["bindings"][0], **changes}
    return {**GOOD, "bindings": [trigger, GOOD["bindings"][1]]}


@pytest.mark.parametrize(
    "script", [SCRIPT, "async def main(req, context):\n    pass\n", "def main(*, req):\n    pass\n"]
)
def test_a_good_folder_passes(tmp_path: Path, script: str) -> None:
    assert check_function(_folder(tmp_path, GOOD, script)) == []


@pytest.mark.parametrize(
    ("document", "script", "problem"),
    [
        (GOOD, "def main(request):\n    pass\n", "main() takes ['request']"),
        (GOOD, "def handler(req):\n    pass\n", "defines no function 'main'"),
        (GOOD, "def main(req:\n", "does not parse"),
        ({**GOOD, "scriptFile": "missing.py"}, SCRIPT, "scriptFile 'missing.py'"),
        ({**GOOD, "scriptFile": "../x.py"}, SCRIPT, "scriptFile '../x.py'"),
        (_with_trigger(authLevel="secret"), SCRIPT, "authLevel 'secret'"),
        (_with_trigger(methods=["get", "fetch"]), SCRIPT, "methods ['get', 'fetch']"),
        (_with_trigger(name="my-req"), SCRIPT, "not a Python name"),
        (
            {**GOOD, "bindings": [GOOD["bindings"][0], {**GOOD["bindings"][1], "name": "res"}]},
            SCRIPT,
            'named "$return"',
        ),
        ({**GOOD, "bindings": [GOOD["bindings"][0]]}, SCRIPT, 'named "$return"'),
        ({**GOOD, "bindings": []}, SCRIPT, "exactly one trigger"),
    ],
)
def test_a_broken_folder_fails(
    tmp_path: Path, document: dict[str, Any], script: str, problem: str
) -> None:
    problems = check_function(_folder(tmp_path, document, script))
    assert len(problems) == 1
    assert problem in problems[0]


def test_invalid_json_fails(tmp_path: Path) -> None:
    folder = _folder(tmp_path, GOOD)
    (folder / "function.json").write_text("{not json")
    assert "cannot read JSON" in check_function(folder)[0]
