"""The local host's worker processes and thread pools, and how it starts, as the real host.

``FUNCTIONS_WORKER_PROCESS_COUNT`` worker processes (1-10, environment over local settings),
each importing the app itself, behind one port; ``PYTHON_THREADPOOL_THREAD_COUNT`` threads per
process for sync functions; a busy port or a bad setting is a one-line error before any URL.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import textwrap
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.hostprocess import REPO, host_environ, running_host

PAIR = 2


def _write_app(root: Path, values: dict[str, str] | None = None) -> Path:
    """An app whose functions tell which process and thread answered."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "host.json").write_text(json.dumps({"version": "2.0"}))
    (root / "local.settings.json").write_text(json.dumps({"Values": values or {}}))
    sources = {
        "Pid": """
            import os

            import azure.functions as func


            def main(req: func.HttpRequest) -> str:
                return str(os.getpid())
            """,
        "Pair": f"""
            import threading

            import azure.functions as func

            BARRIER = threading.Barrier({PAIR}, timeout=30)


            def main(req: func.HttpRequest) -> str:
                BARRIER.wait()  # passes only when {PAIR} requests run at the same time
                return str(threading.get_ident())
            """,
    }
    for name, source in sources.items():
        folder = root / name
        folder.mkdir(exist_ok=True)
        trigger = {"type": "httpTrigger", "direction": "in", "name": "req"}
        bindings = [
            {**trigger, "authLevel": "anonymous", "methods": ["get"], "route": name.lower()},
            {"type": "http", "direction": "out", "name": "$return"},
        ]
        (folder / "function.json").write_text(json.dumps({"bindings": bindings}))
        (folder / "__init__.py").write_text(textwrap.dedent(source).lstrip())
    return root


def _parent_of(pid: int) -> int:
    """The parent process id of ``pid`` (Linux ``/proc``)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def _pids(base_url: str, connections: int) -> set[int]:
    """The processes that answered ``connections`` requests, each on a new connection."""

    def ask(_: int) -> int:
        response = httpx.get(base_url + "/api/pid", headers={"Connection": "close"}, timeout=30)
        response.raise_for_status()
        return int(response.text)

    with ThreadPoolExecutor(max_workers=8) as pool:
        return set(pool.map(ask, range(connections)))


def test_two_worker_processes_share_one_port(tmp_path: Path) -> None:
    root = _write_app(tmp_path / "app")
    env = {"FUNCTIONS_WORKER_PROCESS_COUNT": "2"}
    with running_host(root, tmp_path / "host.log", env=env) as host:
        seen: set[int] = set()
        for _ in range(10):  # connections are spread by a hash: both are seen soon
            seen |= _pids(host.base_url, 40)
            if len(seen) == 2:
                break
        log = host.log_text()
        parents = {_parent_of(pid) for pid in seen}
    assert len(seen) == 2 and host.pid not in seen
    assert parents == {host.pid}  # two worker processes of the host, each serving
    assert "2 worker processes (FUNCTIONS_WORKER_PROCESS_COUNT)" in log
    assert log.count("Pid: [GET]") == 1  # the function list is printed once


def _ask_on(sock: socket.socket) -> int:
    """The pid answering ``GET /api/pid`` on an open connection (kept alive)."""
    sock.sendall(b"GET /api/pid HTTP/1.1\r\nHost: localhost\r\n\r\n")
    answer = b""
    while True:
        head, _, body = answer.partition(b"\r\n\r\n")
        if _:
            length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
            assert length is not None, head
            if len(body) >= int(length[1]):
                return int(body[: int(length[1])])
        chunk = sock.recv(4096)
        assert chunk, f"connection closed after {answer!r}"
        answer += chunk


def test_connections_opened_together_are_spread_over_the_processes(tmp_path: Path) -> None:
    """As a load generator opens them: all at once, before any request, each kept alive."""
    root = _write_app(tmp_path / "app")
    env = {"FUNCTIONS_WORKER_PROCESS_COUNT": "2"}
    with running_host(root, tmp_path / "host.log", env=env) as host:
        connections = [socket.create_connection(("127.0.0.1", host.port)) for _ in range(32)]
        try:
            pids = [_ask_on(sock) for sock in connections]
            assert [_ask_on(sock) for sock in connections] == pids  # each kept alive
        finally:
            for sock in connections:
                sock.close()
    served = Counter(pids)
    assert len(served) == 2, served
    assert min(served.values()) >= 4, served  # a hash spread: 16 each on average


def test_one_worker_process_by_default_serves_in_the_host_process(tmp_path: Path) -> None:
    root = _write_app(tmp_path / "app")
    with running_host(root, tmp_path / "host.log") as host:
        assert _pids(host.base_url, 20) == {host.pid}
        assert "1 worker process (FUNCTIONS_WORKER_PROCESS_COUNT)" in host.log_text()


def test_the_environment_wins_over_local_settings_for_the_process_count(tmp_path: Path) -> None:
    root = _write_app(tmp_path / "app", {"FUNCTIONS_WORKER_PROCESS_COUNT": "3"})
    env = {"FUNCTIONS_WORKER_PROCESS_COUNT": "1"}
    with running_host(root, tmp_path / "host.log", env=env) as host:
        assert _pids(host.base_url, 20) == {host.pid}


def test_sync_functions_run_in_a_pool_of_the_set_size(tmp_path: Path) -> None:
    """``PYTHON_THREADPOOL_THREAD_COUNT=2``: two requests run at once (the barrier of two
    passes), and no more than two threads ever run the function."""
    root = _write_app(tmp_path / "app", {"PYTHON_THREADPOOL_THREAD_COUNT": "2"})
    with running_host(root, tmp_path / "host.log") as host:
        with ThreadPoolExecutor(max_workers=6) as pool:
            answers = list(
                pool.map(
                    lambda _: httpx.get(host.base_url + "/api/pair", timeout=60), range(3 * PAIR)
                )
            )
        assert [answer.status_code for answer in answers] == [200] * (3 * PAIR)
        assert len({answer.text for answer in answers}) == PAIR
        assert "2 threads each (PYTHON_THREADPOOL_THREAD_COUNT)" in host.log_text()


def _start_and_fail(root: Path, args: list[str], env: dict[str, str]) -> tuple[int, str]:
    finished = subprocess.run(
        [sys.executable, "-m", "devhost", "--root", str(root), *args],
        cwd=REPO,
        env=host_environ(env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    return finished.returncode, finished.stderr


@pytest.mark.parametrize("value", ["0", "11", "many"])
def test_a_bad_process_count_stops_the_start(tmp_path: Path, value: str) -> None:
    root = _write_app(tmp_path / "app")
    code, err = _start_and_fail(root, [], {"FUNCTIONS_WORKER_PROCESS_COUNT": value})
    assert code == 1
    assert err.strip().splitlines() == [
        f"Error: FUNCTIONS_WORKER_PROCESS_COUNT is '{value}': it must be a whole number "
        "from 1 to 10, as on Azure"
    ]


def test_a_busy_port_stops_the_start_before_any_url(tmp_path: Path) -> None:
    root = _write_app(tmp_path / "app")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, err = _start_and_fail(root, ["--port", str(port)], {})
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "/api/pid" not in err
    assert lines[0].startswith(f"Error: port {port} is in use; choose another with --port ")


def test_the_start_says_it_keeps_running_after_the_urls(tmp_path: Path) -> None:
    root = _write_app(tmp_path / "app")
    with running_host(root, tmp_path / "host.log") as host:
        lines = host.log_text().splitlines()
    url_lines = [i for i, line in enumerate(lines) if host.base_url + "/api/" in line]
    ctrl_c = [i for i, line in enumerate(lines) if "until you press Ctrl+C" in line]
    assert url_lines and len(ctrl_c) == 1 and ctrl_c[0] > max(url_lines)
