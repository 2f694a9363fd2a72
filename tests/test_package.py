"""The deployable zip: built by tools.package, loaded like the host loads it, from nothing else."""

from __future__ import annotations

import base64
import json
import struct
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import decode_png, make_request
from tests.instance import (
    LOAD_FUNCTIONS,
    instance_command,
    instance_env,
    make_writable,
    tree,
    unpack_read_only,
)
from tools.package import FONT_LIST, ROOT, SITE_PACKAGES, app_files, build, target_python

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


@pytest.fixture(scope="module")
def wwwroot(package: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The zip unpacked into a read-only folder, as a Flex Consumption instance mounts it."""
    target = unpack_read_only(package, tmp_path_factory.mktemp("mount") / "wwwroot")
    yield target
    make_writable(target)


def _function_folders() -> list[str]:
    return sorted(path.parent.name for path in ROOT.glob("*/function.json"))


def test_function_folders_exist() -> None:
    assert "ScatterPlot" in _function_folders()


def test_extracted_package_answers_a_request_on_its_own(wwwroot: Path, tmp_path: Path) -> None:
    target = wwwroot
    done = subprocess.run(
        [target_python(), "-I", "-S", "-c", PROBE, str(target)],
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


# A new instance loading the app and answering its first request, watched: every compile of a
# source file (the audit event of the built-in ``compile``, which the import system calls for a
# module without usable bytecode) and every message of matplotlib's loggers; then one control
# import of a module that has no bytecode, to show the watch sees a compile when there is one.
WATCH = """
import json, logging, os, sys
compiled = []
def watch(event, args):
    if event == "compile" and isinstance(args[1], str) and args[1].endswith(".py"):
        compiled.append(args[1])
sys.addaudithook(watch)
messages = []
class Keep(logging.Handler):
    def emit(self, record):
        messages.append(record.getMessage())
logging.getLogger("matplotlib").setLevel(logging.DEBUG)
logging.getLogger("matplotlib").addHandler(Keep())
"""
COLD_PROBE = (
    WATCH
    + LOAD_FUNCTIONS
    + """
req = func.HttpRequest(method="GET", url="http://localhost/api/ScatterPlot?seed=1",
                       headers={}, params={"seed": "1"}, body=b"")
resp = functions["ScatterPlot"].main(req)
app_compiled = list(compiled)
sys.path.insert(0, sys.argv[3])
import control_module
print(json.dumps({
    "status": resp.status_code,
    "body": resp.get_body().decode(),
    "compiled": app_compiled,
    "control_compiled": compiled[len(app_compiled):],
    "messages": messages,
    "mplconfigdir": os.environ["MPLCONFIGDIR"],
    "functions": sorted(functions),
}))
"""
)


@pytest.mark.parametrize("setting", [None, "app-setting"], ids=["temp-dir", "MPLCONFIGDIR"])
def test_new_instance_compiles_nothing_and_scans_no_fonts(
    wwwroot: Path, tmp_path: Path, setting: str | None
) -> None:
    temp, home, control = tmp_path / "tmp", tmp_path / "home", tmp_path / "control"
    for folder in (temp, home, control):
        folder.mkdir()
    home.chmod(0o555)
    (control / "control_module.py").write_text("VALUE = 1\n")
    settings = {"MPLCONFIGDIR": str(tmp_path / "mplconfig")} if setting else {}
    before = tree(wwwroot)
    done = subprocess.run(
        instance_command(target_python(), COLD_PROBE, wwwroot, str(control)),
        env=instance_env(temp, home, settings),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])

    # No module of the app or its dependencies was compiled; the watch does see a compile.
    assert [path for path in result["compiled"] if path.startswith(str(wwwroot))] == []
    assert result["control_compiled"] == [str(control / "control_module.py")]
    assert tree(wwwroot) == before, "the instance wrote into the package folder"

    # matplotlib loaded the seeded font list and never scanned: "generated new fontManager"
    # and "font search path" are logged only by a scan, "Rebuilding" when a listed file is gone.
    config = Path(settings.get("MPLCONFIGDIR") or temp / "scatterplot-matplotlib")
    assert result["mplconfigdir"] == str(config)
    font_list = config / f"fontlist-v{json.loads((ROOT / FONT_LIST).read_text())['_version']}.json"
    messages = result["messages"]
    assert f"Using fontManager instance from {font_list}" in messages, messages[:20]
    scans = [m for m in messages if "generated new fontManager" in m or "font search path" in m]
    assert scans == [] and not [m for m in messages if "Rebuilding" in m]
    assert not done.stderr.strip(), done.stderr
    assert sorted(p.name for p in config.iterdir()) == [font_list.name]
    if not setting:
        assert sorted(p.name for p in temp.iterdir()) == ["scatterplot-matplotlib"]

    # ... and the answer is the chart the app draws here, pixel for pixel.
    from ScatterPlot import main

    assert result["functions"] == _function_folders()
    assert result["status"] == 200
    local = json.loads(main(make_request("/api/ScatterPlot?seed=1")).get_body())
    uris = [
        json.loads(body)["Results"]["output1"]["value"]["Values"][0][0]
        for body in (result["body"], json.dumps(local))
    ]
    pixels = [decode_png(base64.b64decode(uri.split(",", 1)[1])) for uri in uris]
    assert pixels[0].shape == (480, 640, 4)
    assert np.array_equal(pixels[0], pixels[1])


def test_cold_start_benchmark_runs_every_row(wwwroot: Path) -> None:
    from benchmarks import coldstart

    out: list[str] = []
    samples = coldstart.run(wwwroot, target_python(), 1, out, warm_up=False)
    assert len(samples) == 3 and all(len(values) == 1 for values in samples.values())
    assert sum(" wall " in line and " CPU " in line for line in out) == 6
    for sample in (s for values in samples.values() for s in values):
        assert 0 < sample.app_wall < sample.wall and 0 < sample.app_cpu < sample.cpu


def test_every_module_has_unchecked_hash_bytecode_for_the_target_python(package: Path) -> None:
    import importlib.util

    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        headers = {name: archive.read(name)[:8] for name in names if name.endswith(".pyc")}
    sources = [name for name in names if name.endswith(".py")]
    assert len(sources) > 1000 and "shared/__init__.py" in sources
    expected = set()
    for source in sources:
        folder, _, module = source.rpartition("/")
        expected.add(f"{folder}/__pycache__/{module[:-3]}.cpython-311.pyc".lstrip("/"))
    assert sorted(expected - set(headers))[:5] == [], "modules without bytecode"
    assert sorted(set(headers) - expected)[:5] == [], "bytecode of another Python or no source"
    # PEP 552 flags: 0b01 = hash-based, source never checked (0 would be timestamp-based,
    # which a copy with new timestamps compiles again at every start when it is read-only).
    magic = importlib.util.MAGIC_NUMBER
    wrong = [n for n, h in headers.items() if h[:4] != magic or struct.unpack("<I", h[4:])[0] != 1]
    assert wrong == [], f"{len(wrong)} of {len(headers)} .pyc files, e.g. {wrong[:3]}"


def test_package_font_list_is_matplotlibs_own_fonts_relative(
    names: set[str], package: Path
) -> None:
    assert FONT_LIST in names
    with zipfile.ZipFile(package) as archive:
        shipped = json.loads(archive.read(FONT_LIST))
    fonts = [entry["fname"] for key in ("ttflist", "afmlist") for entry in shipped[key]]
    assert "fonts/ttf/DejaVuSans.ttf" in fonts
    for name in fonts:
        assert not name.startswith("/") and f"{SITE_PACKAGES}/matplotlib/mpl-data/{name}" in names
    committed = json.loads((ROOT / FONT_LIST).read_text())
    assert shipped == committed, f"{FONT_LIST} is stale: run python -m tools.fontlist"


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


def test_funcignore_rules_pick_the_app_files() -> None:
    files = app_files()
    assert "host.json" in files
    assert "ScatterPlot/__init__.py" in files
    assert not [
        f for f in files if f.startswith(("tests/", "tools/", ".venv/", "scripts/", "client/"))
    ]
    assert "local.settings.json" not in files
