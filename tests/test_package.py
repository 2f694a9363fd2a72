"""The deployable zip: built by tools.package, loaded like the host loads it, from nothing else."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tools.package import ROOT, SITE_PACKAGES, app_files, build

# The first test that needs the zip builds it: pip may download ~70 MB on a cold cache.
pytestmark = pytest.mark.timeout(900)

# Runs in a fresh interpreter (-I -S: no site-packages, no PYTHONPATH, no user site) with
# only the extracted folder and its bundled packages on sys.path, as the Functions host does.
PROBE = """
import base64, io, json, sys
root = sys.argv[1]
sys.path[:0] = [root, root + "/.python_packages/lib/site-packages"]
import azure.functions as func
import matplotlib
import ScatterPlot
from PIL import Image

def call(url, params):
    req = func.HttpRequest(method="GET", url=url, headers={}, params=params, body=b"")
    return ScatterPlot.main(req)

resp = call("http://localhost/api/ScatterPlot?seed=1", {"seed": "1"})
body = json.loads(resp.get_body())
uri = body["Results"]["output1"]["value"]["Values"][0][0]
image = Image.open(io.BytesIO(base64.b64decode(uri.split(",")[1])))
bad = call("http://localhost/api/ScatterPlot?width=abc", {"width": "abc"})
print(json.dumps({
    "status": resp.status_code,
    "format": image.format,
    "size": list(image.size),
    "bad_status": bad.status_code,
    "bad_code": json.loads(bad.get_body())["error"]["code"],
    "modules": {name: mod.__file__ for name, mod in
                (("matplotlib", matplotlib), ("ScatterPlot", ScatterPlot), ("func", func))},
}))
"""


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The zip, built once for this module (pip's cache makes a rebuild fast)."""
    return build(tmp_path_factory.mktemp("dist") / "scatterplot.zip")


@pytest.fixture(scope="module")
def names(package: Path) -> set[str]:
    with zipfile.ZipFile(package) as archive:
        return set(archive.namelist())


def _function_folders() -> list[str]:
    return sorted(path.parent.name for path in ROOT.glob("*/function.json"))


def test_function_folders_exist() -> None:
    assert "ScatterPlot" in _function_folders()


def test_extracted_package_answers_a_request_on_its_own(package: Path, tmp_path: Path) -> None:
    target = tmp_path / "wwwroot"
    with zipfile.ZipFile(package) as archive:
        archive.extractall(target)
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", PROBE, str(target)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["status"] == 200
    assert result["format"] == "PNG"
    assert result["size"] == [640, 480]
    assert (result["bad_status"], result["bad_code"]) == (400, "InvalidOption")
    for name, path in result["modules"].items():
        assert Path(path).is_relative_to(target), f"{name} imported from outside: {path}"


def test_package_holds_the_app_and_its_dependencies(names: set[str]) -> None:
    assert {
        "host.json",
        "requirements.txt",
        "shared/__init__.py",
        "shared/chart/figure.py",
    } <= names
    for folder in _function_folders():
        assert {f"{folder}/function.json", f"{folder}/__init__.py"} <= names
    # the playground page's files, served by the Playground function from the package itself
    static = sorted(path.name for path in (ROOT / "Playground" / "static").iterdir())
    assert {"index.html", "app.js", "playground.css"} <= set(static)
    assert {f"Playground/static/{name}" for name in static} <= names
    for module in ("matplotlib", "numpy", "pandas", "PIL", "msgspec", "azure/functions"):
        assert f"{SITE_PACKAGES}/{module}/__init__.py" in names
    # Linux x86_64 CPython 3.11 extension modules, whatever this machine is.
    assert any(
        name.startswith(f"{SITE_PACKAGES}/numpy/") and name.endswith("-311-x86_64-linux-gnu.so")
        for name in names
    )


@pytest.mark.parametrize(
    "excluded",
    [
        "tests/",
        "local.settings.json",
        ".venv/",
        ".git",
        ".github/",
        ".ci/",
        "benchmarks/",
        "scripts/",
        "infra/",
        "tools/",
        "dist/",
        "requirements-dev.txt",
        "requirements-local.txt",
        "examples/",
        "pyproject.toml",
        "client/",
    ],
)
def test_package_leaves_out_what_is_not_the_app(names: set[str], excluded: str) -> None:
    assert not [name for name in names if name == excluded or name.startswith(excluded)]
    assert not [name for name in names if "__pycache__" in name and "site-packages" not in name]


def test_funcignore_rules_pick_the_app_files() -> None:
    files = app_files()
    assert "host.json" in files
    assert "ScatterPlot/__init__.py" in files
    assert not [
        f for f in files if f.startswith(("tests/", "tools/", ".venv/", "scripts/", "client/"))
    ]
    assert "local.settings.json" not in files
