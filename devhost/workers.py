"""How many worker processes and threads, from the same settings the real host and worker read.

``FUNCTIONS_WORKER_PROCESS_COUNT``: the host starts that many language worker processes,
1 by default and at most 10 (``WorkerProcessCountOptions``: ``ProcessCount = 1``,
``MaxProcessCount = 10``, Azure/azure-functions-host). A value outside 1-10 or not a number is
a start-up error here, with a message naming the setting.

``PYTHON_THREADPOOL_THREAD_COUNT``: the size of each worker's thread pool for sync functions.
From Python 3.9 on the worker passes ``None`` unless the setting is given
(``Dispatcher._get_sync_tp_max_workers``, Azure/azure-functions-python-worker), so
``ThreadPoolExecutor`` picks its own default, ``min(32, os.cpu_count() + 4)`` on 3.11; a value
that is not a whole number of at least 1 is logged and ignored, as the worker does.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

__all__ = [
    "MAX_PROCESSES",
    "PROCESS_COUNT_SETTING",
    "THREAD_COUNT_SETTING",
    "process_count",
    "thread_count",
    "thread_pool",
]

logger = logging.getLogger("devhost")

PROCESS_COUNT_SETTING = "FUNCTIONS_WORKER_PROCESS_COUNT"
THREAD_COUNT_SETTING = "PYTHON_THREADPOOL_THREAD_COUNT"
MAX_PROCESSES = 10


def process_count(environ: Mapping[str, str]) -> int:
    """The number of worker processes; ``ValueError`` naming the setting if it is bad."""
    text = environ.get(PROCESS_COUNT_SETTING, "").strip()
    if not text:
        return 1
    try:
        count = int(text)
    except ValueError:
        count = 0
    if not 1 <= count <= MAX_PROCESSES:
        raise ValueError(
            f"{PROCESS_COUNT_SETTING} is {text!r}: it must be a whole number from 1 to "
            f"{MAX_PROCESSES}, as on Azure"
        )
    return count


def thread_count(environ: Mapping[str, str]) -> int | None:
    """The thread pool size the setting asks for, or ``None`` for the executor's default."""
    text = environ.get(THREAD_COUNT_SETTING, "").strip()
    if not text:
        return None
    try:
        count = int(text)
    except ValueError:
        logger.warning("%s must be an integer; using the default", THREAD_COUNT_SETTING)
        return None
    if count < 1:
        logger.warning("%s must be at least 1; using the default", THREAD_COUNT_SETTING)
        return None
    return count


def thread_pool(environ: Mapping[str, str]) -> ThreadPoolExecutor:
    """One process's pool for sync functions, sized as the worker sizes it."""
    return ThreadPoolExecutor(max_workers=thread_count(environ))
