"""What a new worker loads: only what its first request needs.

A fresh interpreter loads every function as the worker does and answers the reference request;
what only some requests need (pandas, the math text parser, CSV, package metadata, the SVG and
PDF path) must not be loaded yet, and must load when a request asks for it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.hostprocess import REPO
from tests.instance import LOAD_FUNCTIONS

PROBE = (
    LOAD_FUNCTIONS
    + """
import json
from urllib.parse import parse_qsl
from matplotlib.mathtext import MathTextParser

def ask(query=""):
    req = func.HttpRequest(method="GET", url="http://localhost/api/ScatterPlot?" + query,
                           headers={}, params=dict(parse_qsl(query)), body=b"")
    resp = functions["ScatterPlot"].main(req)
    assert resp.status_code == 200, resp.get_body()

def loaded():
    return {"pandas": "pandas" in sys.modules, "csv": "csv" in sys.modules,
            "metadata": "importlib.metadata" in sys.modules,
            "math parser": MathTextParser._parser is not None,
            "vector": "matplotlib.backends.backend_pdf" in sys.modules}

steps = {"load": loaded()}
ask()
steps["reference request"] = loaded()
ask("title=%24x%5E2%24")
steps["math title"] = loaded()
ask("seed=1")
steps["seeded request"] = loaded()
ask("output=pandas")
steps["pandas answer"] = loaded()
ask("format=svg&seed=1")
steps["svg answer"] = loaded()
steps["threads"] = len(os.listdir("/proc/self/task"))
steps["blas"] = os.environ.get("OPENBLAS_NUM_THREADS")
print(json.dumps(steps))
"""
)


def _new_worker(tmp_path: Path, **settings: str) -> dict[str, Any]:
    drop = ("MPLCONFIGDIR", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(REPO), ""],
        env=dict(env, TMPDIR=str(tmp_path), **settings),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    steps: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return steps


def test_first_request_loads_only_what_it_needs(tmp_path: Path) -> None:
    steps = _new_worker(tmp_path)
    none = {"pandas": False, "csv": False, "metadata": False, "math parser": False, "vector": False}
    assert steps["load"] == none
    assert steps["reference request"] == none
    assert steps["math title"] == dict(none, **{"math parser": True})
    assert steps["seeded request"]["metadata"] is True  # the ETag names the library versions
    assert steps["pandas answer"]["pandas"] is True
    assert steps["pandas answer"]["vector"] is False
    assert steps["svg answer"]["vector"] is True  # matplotlib's PDF backend and fontTools


def test_numpy_starts_no_blas_threads_unless_app_settings_ask(tmp_path: Path) -> None:
    steps = _new_worker(tmp_path)
    assert (steps["blas"], steps["threads"]) == ("1", 1)  # the worker's one thread, no pool
    steps = _new_worker(tmp_path, OPENBLAS_NUM_THREADS="2")
    assert (steps["blas"], steps["threads"]) == ("2", min(2, os.cpu_count() or 1))
