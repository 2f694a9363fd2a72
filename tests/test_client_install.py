"""``pip install ./client`` gives an importable ``client`` and a working ``scatterplot`` command
outside the project folder.

Offline: the wheel is built from a copy of ``client/`` with the pinned build backend of this
environment (``--no-build-isolation``; ``setuptools`` is pinned in requirements-dev.txt as in
``client/pyproject.toml``), then installed with ``--no-index`` (by this environment's pip,
``--python``) into a new virtual environment whose only view of other packages is this
environment's site-packages (a ``.pth`` file): pip resolves the declared dependencies against
the pinned ones without downloading anything, and fails if their ranges leave the pins out.
"""

from __future__ import annotations

import email
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

import client
from tests.conftest import decode_png
from tests.hostprocess import REPO, LocalHost

pytestmark = pytest.mark.timeout(300)

PROBE = """
import json, sys
import client
from client import AsyncScatterPlot, Chart, ScatterPlot, ScatterPlotError
print(json.dumps({"file": client.__file__, "version": client.__version__,
                  "options": len(client.options.option_list()), "path": sys.path}))
"""


def _run(*command: str | Path, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, f"{command}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """(the new environment's bin folder, the wheel, a clean environment for commands)."""
    root = tmp_path_factory.mktemp("install")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "SCATTERPLOT_"))}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    source = root / "source" / "client"
    shutil.copytree(REPO / "client", source, ignore=shutil.ignore_patterns("__pycache__", "build"))
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-build-isolation",
        "--no-deps",
        "--no-index",
        "--wheel-dir",
        root / "dist",
        source,
        cwd=root,
        env=env,
    )
    (wheel,) = (root / "dist").glob("scatterplot_client-*.whl")
    fresh = root / "fresh"
    _run(sys.executable, "-m", "venv", "--without-pip", fresh, cwd=root, env=env)
    site = next((fresh / "lib").glob("python3.*/site-packages"))
    (site / "pinned.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    python = fresh / "bin" / "python"
    _run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--no-index",
        wheel,
        cwd=root,
        env=env,
    )
    return fresh / "bin", wheel, env


def test_the_wheel_declares_its_dependencies_and_ships_the_option_list(
    installed: tuple[Path, Path, dict[str, str]],
) -> None:
    _, wheel, _ = installed
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        (metadata_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        metadata = email.message_from_bytes(archive.read(metadata_name))
        (entry_name,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        entry_points = archive.read(entry_name).decode()
    assert {"client/__init__.py", "client/options.json", "client/py.typed"} <= names
    assert not [n for n in names if n.startswith(("shared/", "tests/", "client/build/"))]
    requires = metadata.get_all("Requires-Dist") or []
    required = {line.split("<")[0].split(">")[0] for line in requires}
    assert required == {"httpx", "tenacity"}  # pandas and numpy stay optional
    assert "scatterplot = client.cli:main" in entry_points
    project = tomllib.loads((REPO / "client" / "pyproject.toml").read_text())
    backend = project["build-system"]["requires"]
    assert backend and all("==" in requirement for requirement in backend)
    pinned = (REPO / "requirements-dev.txt").read_text().splitlines()
    assert set(backend) <= set(pinned), "requirements-dev.txt pins another build backend"
    assert metadata["Version"] == client.__version__


def test_client_imports_outside_the_project(
    installed: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    bin_dir, _, env = installed
    output = _run(bin_dir / "python", "-I", "-c", PROBE, cwd=tmp_path, env=env)
    found = json.loads(output)
    assert Path(found["file"]).is_relative_to(bin_dir.parent), found["file"]
    assert found["options"] > 20
    assert not [entry for entry in found["path"] if entry and Path(entry) == REPO]
    help_text = _run(bin_dir / "scatterplot", "--help", cwd=tmp_path, env=env)
    assert help_text.startswith("usage: scatterplot")
    assert "--x-column COLUMN" in help_text and "--output-shape" in help_text


def test_the_installed_command_draws_from_the_local_host(
    installed: tuple[Path, Path, dict[str, str]], local_host: LocalHost, tmp_path: Path
) -> None:
    bin_dir, _, env = installed
    env = {**env, "SCATTERPLOT_URL": local_host.base_url + "/api/ScatterPlot"}
    output = _run(bin_dir / "scatterplot", "--seed", "1", "--width", "320", cwd=tmp_path, env=env)
    size = (tmp_path / "scatter.png").stat().st_size
    assert output == f"wrote scatter.png: png 320x480, {size} bytes\n"
    assert decode_png((tmp_path / "scatter.png").read_bytes()).shape == (480, 320, 4)
