"""Several worker processes behind one port, as ``FUNCTIONS_WORKER_PROCESS_COUNT`` asks.

The parent binds the port, one listening socket per worker (``server.bind_each``), starts
each worker with ``multiprocessing``'s ``spawn`` (a fresh interpreter that imports the app
itself, as each language worker on Azure does), hands it its socket, and waits for its
``LoadReport`` before printing the function URLs once. The kernel spreads new connections over
the sockets, so over the workers. A worker that dies is replaced by one serving the same
socket (connections that arrive meanwhile wait in its queue), as the host restarts a failed
language worker; a worker whose parent is gone stops itself.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import FrameType

from .server import HostError, HostOptions, quiet_uvicorn, run_server
from .startup import LoadReport, announce, build_app

__all__ = ["LOG_FORMAT", "run_workers"]

logger = logging.getLogger("devhost")

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s[%(process)d]: %(message)s"
STOP_SECONDS = 10.0


def _follow_parent(conn: Connection) -> None:
    """Stop this worker (as SIGTERM would) when the parent goes away without telling it."""
    try:
        conn.recv()
    except (EOFError, OSError):
        pass
    os.kill(os.getpid(), signal.SIGTERM)


def _worker(
    root: Path,
    origins: tuple[str, ...],
    sock: socket.socket,
    request_headers_timeout: float,
    conn: Connection,
) -> None:
    """A worker process: load the app, report, serve until SIGTERM."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us; uvicorn re-arms it
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT, stream=sys.stderr)
    quiet_uvicorn()
    app, report = build_app(root, origins)
    conn.send(report)
    threading.Thread(target=_follow_parent, args=(conn,), daemon=True).start()
    run_server(app, sock, request_headers_timeout)


@dataclass(slots=True)
class _Worker:
    process: BaseProcess
    conn: Connection


class _Supervisor:
    def __init__(
        self,
        root: Path,
        origins: tuple[str, ...],
        sockets: Sequence[socket.socket],
        options: HostOptions,
    ) -> None:
        self.root, self.origins, self.sockets = root, origins, sockets
        self.timeout = options.request_headers_timeout
        self.context = multiprocessing.get_context("spawn")
        self.stopping = threading.Event()

    def start(self, index: int) -> _Worker:
        """A worker process serving the ``index``-th socket."""
        parent_end, child_end = self.context.Pipe()
        args = (self.root, self.origins, self.sockets[index], self.timeout, child_end)
        process = self.context.Process(
            target=_worker, args=args, name="devhost-worker", daemon=True
        )
        process.start()
        child_end.close()
        return _Worker(process, parent_end)

    def report(self, worker: _Worker) -> LoadReport | None:
        """The worker's load report, or ``None`` if it exited or we are stopping first."""
        while not self.stopping.is_set():
            ready = wait([worker.conn, worker.process.sentinel], timeout=0.2)
            if worker.conn in ready:
                try:
                    report: LoadReport = worker.conn.recv()
                except EOFError:
                    return None
                return report
            if worker.process.sentinel in ready:
                return None
        return None

    def watch(self, workers: list[_Worker]) -> None:
        """Replace workers that exit until we are told to stop."""
        while not self.stopping.is_set():
            ready = wait([w.process.sentinel for w in workers], timeout=0.5)
            for index, worker in enumerate(workers):
                if worker.process.sentinel in ready and not self.stopping.is_set():
                    logger.error(
                        "worker process %s exited with code %s; starting another",
                        worker.process.pid,
                        worker.process.exitcode,
                    )
                    worker.conn.close()
                    workers[index] = self.start(index)

    def stop(self, workers: Sequence[_Worker]) -> None:
        for worker in workers:
            if worker.process.is_alive():
                worker.process.terminate()  # SIGTERM: uvicorn finishes open requests
        for worker in workers:
            worker.process.join(STOP_SECONDS)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()


def run_workers(
    root: Path,
    origins: tuple[str, ...],
    sockets: Sequence[socket.socket],
    options: HostOptions,
) -> None:
    """Serve with one worker process per socket until SIGINT or SIGTERM."""
    processes = len(sockets)
    supervisor = _Supervisor(root, origins, sockets, options)

    def on_signal(signum: int, frame: FrameType | None) -> None:
        supervisor.stopping.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    workers: list[_Worker] = []
    try:
        workers.extend(supervisor.start(index) for index in range(processes))
        reports = [supervisor.report(worker) for worker in workers]
        if supervisor.stopping.is_set():
            return
        if any(report is None for report in reports):
            codes = sorted({str(w.process.exitcode) for w in workers if not w.process.is_alive()})
            raise HostError(
                f"a worker process exited while loading the app (exit code {', '.join(codes)})"
            )
        first = reports[0]
        assert first is not None
        announce(first, options.base_url, processes)
        supervisor.watch(workers)
    finally:
        supervisor.stop(workers)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
