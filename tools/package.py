"""Build the deployable zip: the app's files per ``.funcignore`` plus Linux dependencies.

The zip has the layout the Functions host loads without a remote build (``--no-build``,
``remote-build: false``): the app at the root (``host.json``, one folder per function,
``shared/``) and every runtime dependency from ``requirements.txt``, built for Linux x86_64
CPython, under ``.python_packages/lib/site-packages``.

It is made for a cold start on a read-only mount with an empty temp directory:

* every module, the app's and the dependencies', has bytecode for the target Python written
  with ``--invalidation-mode unchecked-hash``: valid whatever the files' timestamps (extracting
  a zip or mounting it changes them, and a timestamp ``.pyc`` whose source looks newer is
  compiled again in memory at every start when the folder is read-only);
* ``shared/fontlist.json`` is matplotlib's font list written by the target Python from the
  packaged matplotlib (``tools/fontlist.py``), which the app copies into ``MPLCONFIGDIR``
  before importing matplotlib, so no instance scans fonts.

Usage: ``python -m tools.package [--output dist/scatterplot.zip]`` (``./scripts/package``).
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import pathspec

__all__ = [
    "FONT_LIST",
    "SITE_PACKAGES",
    "app_files",
    "build",
    "compile_bytecode",
    "install_dependencies",
    "main",
    "target_python",
]

log = logging.getLogger("package")

ROOT = Path(__file__).resolve().parent.parent
SITE_PACKAGES = ".python_packages/lib/site-packages"
PYTHON_VERSION = "3.11"
# Azure's Linux Python 3.11 images run glibc 2.31 or later. pip matches a given --platform
# exactly, so both tags in use are listed: manylinux2014 (glibc 2.17) and manylinux_2_28.
PLATFORMS = ("manylinux2014_x86_64", "manylinux_2_28_x86_64")
# Never taken from the working tree: built fresh into the zip, or local build output.
ALWAYS_SKIPPED = (".python_packages/", "dist/", ".git/", ".venv/")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FONT_LIST = "shared/fontlist.json"


def _ignore_spec(root: Path) -> pathspec.GitIgnoreSpec:
    lines = (root / ".funcignore").read_text(encoding="utf-8").splitlines()
    return pathspec.GitIgnoreSpec.from_lines([*lines, *ALWAYS_SKIPPED])


def app_files(root: Path = ROOT) -> list[str]:
    """The app's files (POSIX paths relative to ``root``) that ``.funcignore`` keeps, sorted."""
    spec = _ignore_spec(root)
    kept: list[str] = []
    for folder, dirs, files in os.walk(root):
        base = Path(folder).relative_to(root).as_posix()
        prefix = "" if base == "." else base + "/"
        dirs[:] = sorted(d for d in dirs if not spec.match_file(prefix + d + "/"))
        kept.extend(prefix + name for name in files if not spec.match_file(prefix + name))
    return sorted(kept)


def install_dependencies(
    target: Path,
    requirements: Path,
    *,
    python_version: str = PYTHON_VERSION,
    platforms: Sequence[str] = PLATFORMS,
) -> None:
    """``pip install`` the pinned requirements as Linux x86_64 CPython wheels into ``target``.

    pip's download cache is used as usual, so a repeat build downloads nothing. No bytecode is
    written (see ``compile_bytecode``).
    """
    command = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--target",
        str(target),
        *(arg for tag in platforms for arg in ("--platform", tag)),
        "--implementation",
        "cp",
        "--python-version",
        python_version,
        "--only-binary=:all:",
        "--upgrade",
        "--no-compile",  # bytecode is written afterwards, for the whole package at once
        "-r",
        str(requirements),
    ]
    log.info("installing dependencies for CPython %s on %s", python_version, ", ".join(platforms))
    subprocess.run(command, check=True)


def target_python(version: str = PYTHON_VERSION, explicit: str | None = None) -> str:
    """An interpreter of the target version: bytecode is only valid for the version that wrote it.

    ``explicit`` (``--python``) if given, else this interpreter if it is that version, else
    ``python<version>`` on the ``PATH``. Raises ``FileNotFoundError`` if none is that version.
    """
    candidates = [explicit] if explicit else [sys.executable, shutil.which(f"python{version}")]
    for candidate in candidates:
        if candidate and _version_of(candidate) == _version(version):
            return candidate
    raise FileNotFoundError(
        f"no Python {version} interpreter to write the package's bytecode and font list "
        f"(tried {', '.join(c for c in candidates if c) or 'nothing'}): pass --python PATH"
    )


def _version_of(python: str) -> tuple[int, int] | None:
    if python == sys.executable:
        return sys.version_info[:2]
    try:
        done = subprocess.run(
            [python, "-I", "-c", "import sys; print(*sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    major, minor = done.stdout.split()
    return int(major), int(minor)


def compile_bytecode(python: str, folder: Path) -> None:
    """Write unchecked-hash bytecode next to every module under ``folder`` with ``python``.

    Unchecked-hash ``.pyc`` files are used without looking at the source's timestamp or
    contents, so a copy whose timestamps changed (extracted, mounted) never compiles again.
    Paths inside the bytecode are relative to ``folder``, so the bytes do not depend on where
    the package was built. A file that does not compile (a dependency's template or test data
    in another Python's syntax) is logged and skipped: it is never imported either.
    """
    command = [
        python,
        "-I",
        "-m",
        "compileall",
        "-q",
        "-f",  # a .pyc already there (one a wheel ships) is replaced too
        "-j",
        "0",
        "--invalidation-mode",
        "unchecked-hash",
        "-s",
        str(folder),
        str(folder),
    ]
    log.info("writing bytecode (unchecked-hash) with %s", python)
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        failed = [line for line in done.stdout.splitlines() if line.startswith("*** Error")]
        if not failed:
            raise subprocess.CalledProcessError(done.returncode, command, done.stdout, done.stderr)
        log.info("%d files do not compile and are shipped as they are", len(failed))


def write_font_list(python: str, site: Path, output: Path) -> None:
    """matplotlib's font list from the packaged matplotlib, by the target interpreter."""
    script = Path(__file__).with_name("fontlist.py")
    # -B: importing matplotlib here must leave no (timestamp) bytecode behind
    command = [python, "-I", "-S", "-B", str(script), "--site", str(site), "--output", str(output)]
    subprocess.run(command, check=True, capture_output=True, text=True)


def _walk(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            yield path


def _add(archive: zipfile.ZipFile, source: Path, name: str) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    mode = 0o755 if os.access(source, os.X_OK) else 0o644
    info.external_attr = (0o100000 | mode) << 16
    with source.open("rb") as handle:
        archive.writestr(info, handle.read(), compresslevel=6)


def build(
    output: Path,
    *,
    root: Path = ROOT,
    python_version: str = PYTHON_VERSION,
    platforms: Sequence[str] = PLATFORMS,
    python: str | None = None,
) -> Path:
    """Write the deployable zip to ``output`` and return its path.

    The app's files and the dependencies are laid out in a scratch folder as they will be
    deployed, the font list and the bytecode are written there by a Python of the target
    version (``python``, or found by ``target_python``), and the folder is zipped with sorted
    entries and a fixed timestamp.
    """
    files = app_files(root)
    missing = [name for name in ("host.json", "requirements.txt") if name not in files]
    if missing:
        raise FileNotFoundError(f"{', '.join(missing)} missing from {root} or ignored")
    interpreter = target_python(python_version, python)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="scatterplot-package-") as scratch:
        stage = Path(scratch) / "wwwroot"
        for name in files:
            (stage / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / name, stage / name)
        site = stage / SITE_PACKAGES
        install_dependencies(
            site, root / "requirements.txt", python_version=python_version, platforms=platforms
        )
        write_font_list(interpreter, site, stage / FONT_LIST)
        compile_bytecode(interpreter, stage)
        partial = output.with_name(output.name + ".partial")
        count = 0
        with zipfile.ZipFile(partial, "w") as archive:
            for path in _walk(stage):
                _add(archive, path, path.relative_to(stage).as_posix())
                count += 1
        partial.replace(output)
    log.info("wrote %s (%d app files, %d in all, %.1f MB)", output, len(files), count,
             output.stat().st_size / 1e6)  # fmt: skip
    return output


def _version(text: str) -> tuple[int, int]:
    major, minor = text.split(".")[:2]
    return int(major), int(minor)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: build the zip, print its path."""
    parser = argparse.ArgumentParser(prog="scripts/package", description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "dist" / "scatterplot.zip")
    parser.add_argument("--python-version", default=PYTHON_VERSION)
    parser.add_argument(
        "--platform", action="append", help=f"wheel platform tag (default: {' '.join(PLATFORMS)})"
    )
    parser.add_argument(
        "--python", help="interpreter of the target version for bytecode (default: found)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    try:
        path = build(
            args.output,
            python_version=args.python_version,
            platforms=args.platform or PLATFORMS,
            python=args.python,
        )
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
