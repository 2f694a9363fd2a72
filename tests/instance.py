"""A new cloud instance, as far as one can be made here: the deployment zip unpacked into a
read-only folder, an empty temp directory, a read-only home, and a fresh interpreter that sees
nothing but the standard library, the app and its bundled packages (``-I -S``, as the
Functions worker puts ``/home/site/wwwroot`` and its ``.python_packages`` on ``sys.path``).

Used by ``tests/test_package.py`` and ``benchmarks/coldstart.py``.
"""

from __future__ import annotations

import os
import stat
import zipfile
from collections.abc import Mapping
from pathlib import Path

from tools.package import SITE_PACKAGES

__all__ = [
    "ANSWER_LINE",
    "FIRST_REQUEST",
    "LOAD_FUNCTIONS",
    "instance_command",
    "instance_env",
    "make_writable",
    "tree",
    "unpack_read_only",
]

LOAD_FUNCTIONS = """
import importlib, os, sys, time
root, site = sys.argv[1], sys.argv[2]
sys.path[:0] = [root, site] if site else [root]
import azure.functions as func
handover = time.perf_counter(), sum(os.times()[:4])
functions = {name: importlib.import_module(name) for name in sorted(os.listdir(root))
             if os.path.isfile(os.path.join(root, name, "function.json"))}
"""
"""What a worker does before the first invocation: import ``azure.functions``, then load every
function of the app (``handover`` marks the moment in between). Arguments: the app's folder
and the packages' folder (empty: the interpreter's own)."""

ANSWER_LINE = """
now = time.perf_counter(), sum(os.times()[:4])
print(resp.status_code, len(resp.get_body()), now[1] * 1000,
      (now[0] - handover[0]) * 1000, (now[1] - handover[1]) * 1000, flush=True)
"""
"""Prints the answer's status and size, the CPU milliseconds used since the process started
(its own and its waited-for children's), and the wall-clock and CPU milliseconds since
``handover``."""

FIRST_REQUEST = (
    LOAD_FUNCTIONS
    + """
req = func.HttpRequest(method="GET", url="http://localhost/api/ScatterPlot", headers={},
                       params={}, body=b"")
resp = functions["ScatterPlot"].main(req)
"""
    + ANSWER_LINE
)
"""A new worker's first request: the reference chart as the Azure ML table."""

# Settings that would point matplotlib or Python at something other than a new instance has.
_DROPPED = ("MPLCONFIGDIR", "MPLBACKEND", "TMPDIR", "TEMP", "TMP", "HOME")


def unpack_read_only(package: Path, target: Path) -> Path:
    """Unpack ``package`` into ``target`` and make every file and folder read-only.

    Extraction gives every file the current time (zip timestamps are not restored), as a
    mount may give another: timestamp-based bytecode would not match. Returns ``target``.
    """
    with zipfile.ZipFile(package) as archive:
        archive.extractall(target)
    for folder, dirs, files in os.walk(target, topdown=False):
        for name in [*files, *dirs]:
            path = os.path.join(folder, name)
            os.chmod(path, stat.S_IMODE(os.lstat(path).st_mode) & ~0o222)
    os.chmod(target, 0o555)
    return target


def make_writable(folder: Path) -> None:
    """Undo ``unpack_read_only`` so the folder can be deleted."""
    os.chmod(folder, 0o755)
    for parent, dirs, files in os.walk(folder):
        for name in [*dirs, *files]:
            path = os.path.join(parent, name)
            os.chmod(path, stat.S_IMODE(os.lstat(path).st_mode) | 0o200)


def tree(folder: Path) -> dict[str, int]:
    """Every file under ``folder`` (relative path) with its size: to see whether any changed."""
    return {
        path.relative_to(folder).as_posix(): path.stat().st_size
        for path in folder.rglob("*")
        if path.is_file()
    }


def instance_env(
    temp: Path, home: Path, settings: Mapping[str, str] | None = None
) -> dict[str, str]:
    """This process's environment as a new instance would see it: ``temp`` as the (empty)
    temp directory, ``home`` as the home directory, no matplotlib settings but ``settings``
    (app settings such as ``MPLCONFIGDIR``)."""
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED and not k.startswith("XDG_")}
    env.update(TMPDIR=str(temp), HOME=str(home))
    env.update(settings or {})
    return env


def instance_command(
    python: str, code: str, root: Path, *args: str, write_bytecode: bool = True
) -> list[str]:
    """A fresh isolated interpreter (``-I -S``) running ``code`` with the app in ``root``.

    ``write_bytecode=False`` adds ``-B``: a root user can write into a read-only folder, and
    a mount cannot be written at all, so a benchmark run as root needs it to stay honest.
    """
    flags = ["-I", "-S"] if write_bytecode else ["-I", "-S", "-B"]
    return [python, *flags, "-c", code, str(root), str(root / SITE_PACKAGES), *args]
