"""scripts/bootstrap.sh installs what each script needs, once, whichever script made the venv.

A stand-in interpreter records the pip commands instead of running them, so these tests need
no network and take milliseconds.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.hostprocess import REPO

FAKE_PYTHON = """#!/usr/bin/env bash
# records its arguments; "-m venv DIR" makes DIR/bin/python a copy of itself
echo "$*" >> "{log}"
if [ "$1 $2" = "-m venv" ]; then
  mkdir -p "$3/bin" && cp "$0" "$3/bin/python"
fi
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the bootstrap script and the requirement files, with a stand-in python."""
    root = tmp_path / "project"
    (root / "scripts").mkdir(parents=True)
    shutil.copy(REPO / "scripts" / "bootstrap.sh", root / "scripts")
    for requirements in REPO.glob("requirements*.txt"):
        shutil.copy(requirements, root)
    python = tmp_path / "python3"
    python.write_text(FAKE_PYTHON.format(log=tmp_path / "calls.log"))
    python.chmod(0o755)
    return root


def _bootstrap(project: Path, level: str) -> list[str]:
    """Source the script at ``level``; the commands the stand-in python was given."""
    log = project.parent / "calls.log"
    log.unlink(missing_ok=True)
    result = subprocess.run(
        ["bash", "-c", f'source scripts/bootstrap.sh {level} && echo "$PWD" && command -v python'],
        cwd=project,
        env={"PATH": "/usr/bin:/bin", "PYTHON": str(project.parent / "python3")},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == [str(project), str(project / ".venv" / "bin" / "python")]
    if not log.exists():
        return []
    return [line.replace(str(project), ".") for line in log.read_text().splitlines()]


def _pip(requirements: str) -> str:
    return f"-m pip install --disable-pip-version-check -r ./{requirements}"


def test_serve_then_check_adds_only_what_is_missing_once(project: Path) -> None:
    assert _bootstrap(project, "local") == [
        "-m venv ./.venv",
        _pip("requirements-local.txt"),
    ]
    assert _bootstrap(project, "local") == []
    assert _bootstrap(project, "dev") == [_pip("requirements-dev.txt")]
    assert _bootstrap(project, "dev") == []
    assert _bootstrap(project, "local") == []


def test_check_then_serve_installs_nothing_more(project: Path) -> None:
    assert _bootstrap(project, "dev") == ["-m venv ./.venv", _pip("requirements-dev.txt")]
    assert _bootstrap(project, "local") == []


def test_a_changed_requirement_file_reinstalls_the_levels_that_use_it(project: Path) -> None:
    _bootstrap(project, "dev")
    with (project / "requirements-dev.txt").open("a") as file:
        file.write("# a new pin\n")
    assert _bootstrap(project, "local") == []
    assert _bootstrap(project, "dev") == [_pip("requirements-dev.txt")]
    with (project / "requirements.txt").open("a") as file:
        file.write("# a new runtime pin\n")
    assert _bootstrap(project, "local") == [_pip("requirements-local.txt")]
    assert _bootstrap(project, "dev") == [_pip("requirements-dev.txt")]


def test_serve_installs_no_development_tool() -> None:
    """requirements-local.txt holds the runtime, the local host and the client, nothing else."""

    def pins(name: str) -> set[str]:
        lines = (REPO / name).read_text().splitlines()
        return {line.split("==")[0].lower() for line in lines if "==" in line}

    local = pins("requirements-local.txt")
    assert {"starlette", "uvicorn", "httpx", "tenacity"} <= local
    assert not local & {"pytest", "mypy", "ruff", "hypothesis", "schemathesis", "pydantic"}
    assert not local & pins("requirements.txt")
    assert not pins("requirements-dev.txt") & (local | pins("requirements.txt"))
    includes = {
        name: [x for x in (REPO / name).read_text().splitlines() if x.startswith("-r")]
        for name in ("requirements-local.txt", "requirements-dev.txt")
    }
    assert includes == {
        "requirements-local.txt": ["-r requirements.txt"],
        "requirements-dev.txt": ["-r requirements-local.txt"],
    }


def test_an_unknown_level_is_refused(project: Path) -> None:
    result = subprocess.run(
        ["bash", "-c", "source scripts/bootstrap.sh prod"],
        cwd=project,
        env={"PATH": "/usr/bin:/bin", "PYTHON": str(project.parent / "python3")},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "unknown level 'prod'" in result.stderr
