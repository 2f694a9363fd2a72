"""Run ``python -m devhost`` as a subprocess on a free port, for end-to-end tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 60.0
INHERITED_NOT = (
    "LOCAL_FUNCTION_KEY",
    "LOCAL_MASTER_KEY",
    "FUNCTIONS_WORKER_PROCESS_COUNT",
    "PYTHON_THREADPOOL_THREAD_COUNT",
)


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class LocalHost:
    """A running local host."""

    base_url: str
    port: int
    log: Path
    pid: int
    """The process started with ``python -m devhost``."""

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def host_environ(env: dict[str, str] | None = None) -> dict[str, str]:
    """This environment without key or worker settings, plus ``env``, able to import devhost."""
    inherited = {k: v for k, v in os.environ.items() if k not in INHERITED_NOT}
    return {**inherited, **(env or {}), "PYTHONPATH": str(REPO)}


@contextmanager
def running_host(
    root: Path, log: Path, env: dict[str, str] | None = None, args: Sequence[str] = ()
) -> Iterator[LocalHost]:
    """Start the host for the app at ``root`` (with extra command-line ``args``), wait until it
    answers, stop it afterwards."""
    port = free_port()
    environ = host_environ(env)
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "devhost", "--port", str(port), "--root", str(root), *args],
            cwd=REPO,
            env=environ,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        host = LocalHost(f"http://127.0.0.1:{port}", port, log, process.pid)
        try:
            _wait_ready(host, process)
            yield host
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _wait_ready(host: LocalHost, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the local host exited early:\n{host.log_text()}")
        try:
            httpx.get(host.base_url + "/", timeout=1.0)
        except httpx.TransportError:
            time.sleep(0.1)
            continue
        return
    raise RuntimeError(f"the local host did not answer within {STARTUP_SECONDS} s")
