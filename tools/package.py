"""Build the deployable zip: the app's files per ``.funcignore`` plus Linux dependencies.

The zip has the layout the Functions host loads without a remote build (``--no-build``,
``remote-build: false``): the app at the root (``host.json``, one folder per function,
``shared/``) and every runtime dependency from ``requirements.txt``, built for Linux x86_64
CPython, under ``.python_packages/lib/site-packages``.

Usage: ``python -m tools.package [--output dist/scatterplot.zip]`` (``./scripts/package``).
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import pathspec

__all__ = ["SITE_PACKAGES", "app_files", "build", "install_dependencies", "main"]

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

    pip's download cache is used as usual, so a repeat build downloads nothing.
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
        "-r",
        str(requirements),
    ]
    log.info("installing dependencies for CPython %s on %s", python_version, ", ".join(platforms))
    subprocess.run(command, check=True)


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
) -> Path:
    """Write the deployable zip to ``output`` and return its path.

    Entries are sorted and carry a fixed timestamp. Bytecode pip compiled is kept only when
    this interpreter is the target version (the host would ignore any other).
    """
    files = app_files(root)
    missing = [name for name in ("host.json", "requirements.txt") if name not in files]
    if missing:
        raise FileNotFoundError(f"{', '.join(missing)} missing from {root} or ignored")
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="scatterplot-package-") as scratch:
        site = Path(scratch) / "site-packages"
        install_dependencies(
            site, root / "requirements.txt", python_version=python_version, platforms=platforms
        )
        partial = output.with_name(output.name + ".partial")
        with zipfile.ZipFile(partial, "w") as archive:
            for name in files:
                _add(archive, root / name, name)
            for path in _walk(site):
                if "__pycache__" in path.parts and sys.version_info[:2] != _version(python_version):
                    continue  # bytecode of another interpreter would only be ignored
                _add(archive, path, f"{SITE_PACKAGES}/{path.relative_to(site).as_posix()}")
        partial.replace(output)
    log.info("wrote %s (%d app files, %.1f MB)", output, len(files), output.stat().st_size / 1e6)
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
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    try:
        path = build(
            args.output,
            python_version=args.python_version,
            platforms=args.platform or PLATFORMS,
        )
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
