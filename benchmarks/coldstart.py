"""Cold start of a new instance: process start to the first answer, ours against the recipe.

Run from the repository root::

    .venv/bin/python -m benchmarks.coldstart [--package dist/scatterplot.zip] [--rounds 15]
                                             [--also OTHER.zip]

Without ``--package`` the zip is built first (~25 s with pip's cache). Each round starts, in
turn, one fresh interpreter per row and times it from the moment it is spawned to the moment
it prints its first answer (the reference chart, 1,000 points, 640 x 480 PNG as a data URI in
the Azure ML table). Every process gets a new, empty temp directory and a read-only home:

* **recipe**: the blog's pyplot script (``tests/recipe.py``) with pandas' ``DataFrame`` as it
  returned, from the local virtual environment, with an empty ``MPLCONFIGDIR``: it scans the
  fonts, as it would on a new instance;
* **package**: ``ScatterPlot.main`` from the unpacked deployment zip on a read-only copy, with
  only the standard library and the zip's packages on the path (``python -I -S -B``, ``-B``
  standing for the read-only mount even when run as root);
* **checkout**: ``ScatterPlot.main`` from this checkout and its virtual environment;
* with ``--also``: the same as **package** from another zip (an older build, to compare).

Both sides import ``azure.functions`` first, as the worker does before it loads a function.
Rows run interleaved so they share the machine's load; one round is run first and not counted
(it fills the page cache for all). Medians and the ratio to the recipe's are printed, of the
wall-clock time and of the CPU time used until the answer (user + system, of the process and
the children it waited for, such as matplotlib's ``fc-list``; less sensitive than wall-clock
time to other jobs on a shared machine): from process start, and from the moment
``azure.functions`` is imported (the app's own share: a real worker does much more of its own
before that moment, the same for both sides).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench import percentile  # noqa: E402
from tests.instance import (  # noqa: E402
    ANSWER_LINE,
    FIRST_REQUEST,
    instance_command,
    instance_env,
    make_writable,
    unpack_read_only,
)
from tools.package import build, target_python  # noqa: E402

__all__ = ["RECIPE", "Row", "Sample", "cold_rows", "main", "measure", "run"]

RECIPE = (
    """
import json, os, random, sys, time
sys.path.insert(0, sys.argv[1])
import azure.functions as func
handover = time.perf_counter(), sum(os.times()[:4])
import pandas as pd
from tests.recipe import recipe_data_uri
x = range(0, 1000)
y = [i + random.randint(-1000, 1000) for i in x]
frame = pd.DataFrame([recipe_data_uri(x, y)], columns=["image"])
table = {"ColumnNames": ["image"], "ColumnTypes": ["String"], "Values": frame.values.tolist()}
body = json.dumps({"Results": {"output1": {"type": "table", "value": table}}})
resp = func.HttpResponse(body, mimetype="application/json")
"""
    + ANSWER_LINE
)
"""The recipe as a first request: the blog's script and its answer, in a fresh interpreter."""


@dataclass(frozen=True)
class Row:
    """One kind of new process: its label, its command, and the app settings it gets."""

    label: str
    command: list[str]
    settings: dict[str, str]


def cold_rows(wwwroot: Path, python: str, others: Sequence[Path] = ()) -> list[Row]:
    """The recipe, ours from the read-only package, ours from this checkout, and ours from
    each of ``others`` (more unpacked packages, to compare builds)."""
    empty = {"MPLCONFIGDIR": "{temp}/mplconfig"}  # an app setting naming an empty folder
    rows = [
        Row(
            "recipe (pyplot, empty MPLCONFIGDIR)", [sys.executable, "-c", RECIPE, str(ROOT)], empty
        ),
        Row("ours from the package (read-only)", _packaged(python, wwwroot), {}),
        Row(
            "ours from the checkout (its venv)",
            [sys.executable, "-c", FIRST_REQUEST, str(ROOT), ""],
            {},
        ),
    ]
    rows += [
        Row(f"ours from {other.name} (read-only)", _packaged(python, other), {}) for other in others
    ]
    return rows


def _packaged(python: str, wwwroot: Path) -> list[str]:
    return instance_command(python, FIRST_REQUEST, wwwroot, write_bytecode=False)


@dataclass(frozen=True)
class Sample:
    """One start, in milliseconds: wall-clock time from spawn to answer and the CPU time used
    by then; the same two counted from the moment ``azure.functions`` was imported."""

    wall: float
    cpu: float
    app_wall: float
    app_cpu: float


def measure(row: Row, scratch: Path) -> Sample:
    """Spawn ``row``'s process and time it to its first answer line."""
    temp = Path(tempfile.mkdtemp(dir=scratch))
    home = temp / "home"
    (temp / "tmp").mkdir()
    home.mkdir(mode=0o555)
    settings = {k: v.format(temp=temp) for k, v in row.settings.items()}
    env = instance_env(temp / "tmp", home, settings)
    started = time.perf_counter()
    process = subprocess.Popen(
        row.command, env=env, cwd=temp, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    elapsed = (time.perf_counter() - started) * 1000
    _, stderr = process.communicate(timeout=120)
    if process.returncode != 0 or not line.startswith("200 "):
        raise RuntimeError(f"{row.label}: exit {process.returncode}, {line!r}\n{stderr}")
    cpu, app_wall, app_cpu = map(float, line.split()[2:5])
    return Sample(wall=elapsed, cpu=cpu, app_wall=app_wall, app_cpu=app_cpu)


def _wall(sample: Sample) -> float:
    return sample.wall


def _cpu(sample: Sample) -> float:
    return sample.cpu


def _app_wall(sample: Sample) -> float:
    return sample.app_wall


def _app_cpu(sample: Sample) -> float:
    return sample.app_cpu


def run(
    wwwroot: Path,
    python: str,
    rounds: int,
    out: list[str],
    *,
    warm_up: bool = True,
    others: Sequence[Path] = (),
) -> dict[str, list[Sample]]:
    """Interleave the rows ``rounds`` times (after one uncounted round if ``warm_up``);
    report into ``out``; return the samples per row."""
    rows = cold_rows(wwwroot, python, others)
    samples: dict[str, list[Sample]] = {row.label: [] for row in rows}
    with tempfile.TemporaryDirectory(prefix="coldstart-") as scratch:
        for round_ in range(rounds + 1 if warm_up else rounds):
            for row in rows:
                sample = measure(row, Path(scratch))
                if round_ or not warm_up:
                    samples[row.label].append(sample)
    recipe = samples[rows[0].label]
    out.append(
        f"cold start of a new instance, {rounds} rounds interleaved (empty temp dir, read-only "
        "home); medians in ms, x = median / the recipe's median"
    )
    for title, wall_of, cpu_of in (
        ("from process start to the first answer", _wall, _cpu),
        ("from azure.functions imported to the first answer", _app_wall, _app_cpu),
    ):
        base_wall = statistics.median(map(wall_of, recipe))
        base_cpu = statistics.median(map(cpu_of, recipe))
        out.append(f"  {title}")
        for row in rows:
            wall = [wall_of(s) for s in samples[row.label]]
            median, cpu = (
                statistics.median(wall),
                statistics.median(map(cpu_of, samples[row.label])),
            )
            out.append(
                f"    {row.label:38s} wall {median:7.1f} (p90 {percentile(wall, 90):7.1f}) "
                f"{median / base_wall:5.2f}x | CPU {cpu:7.1f} {cpu / base_cpu:5.2f}x"
            )
    return samples


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: build or take the zip, unpack it read-only, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", type=Path, help="the zip to start from (default: build one)")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument(
        "--also", type=Path, action="append", default=[], help="another zip to start from"
    )
    args = parser.parse_args(argv)
    python = target_python()
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="coldstart-package-") as scratch:
        package = args.package or build(Path(scratch) / "scatterplot.zip")
        wwwroot = unpack_read_only(package, Path(scratch) / "wwwroot")
        others = [
            unpack_read_only(other, Path(scratch) / f"also-{i}" / other.stem)
            for i, other in enumerate(args.also)
        ]
        try:
            out: list[str] = []
            run(wwwroot, python, args.rounds, out, others=others)
        finally:
            for folder in (wwwroot, *others):
                make_writable(folder)
    print("\n".join(out))
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
