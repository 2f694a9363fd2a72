"""The render queue serves waiting threads in the order they came."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from shared import chart
from shared.chart.fast import render_fast
from shared.chart.queue import RENDER_QUEUE, FifoLock
from shared.spec import ChartSpec
from tests.conftest import decode_png


def _wait_until(condition: object, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.001)


def test_waiting_threads_get_the_lock_in_the_order_they_asked() -> None:
    lock = FifoLock()
    served: list[int] = []
    lock.acquire()
    threads = []
    for number in range(8):

        def wait_turn(number: int = number) -> None:
            with lock:
                served.append(number)

        thread = threading.Thread(target=wait_turn)
        thread.start()
        threads.append(thread)
        _wait_until(lambda count=number + 1: len(lock._waiting) == count)
    lock.release()
    for thread in threads:
        thread.join(timeout=10)
    assert served == list(range(8))
    assert not lock._held and not lock._waiting


def test_a_failure_inside_hands_the_lock_on() -> None:
    lock = FifoLock()
    with pytest.raises(ValueError), lock:
        raise ValueError("drawing failed")
    assert lock._held is False
    with lock:
        assert lock._held is True


def test_release_without_acquire_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="not held"):
        FifoLock().release()


def test_a_render_holds_the_queue_and_frees_it(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []

    def spy(spec: ChartSpec) -> bytes | None:
        seen.append(RENDER_QUEUE._held)
        return render_fast(spec)

    monkeypatch.setattr("shared.chart.render_fast", spy)

    x = np.arange(3, dtype=np.float64)
    image = chart.render(ChartSpec(x=x, y=x, width=64, height=48))
    assert decode_png(image).shape[:2] == (48, 64)
    assert seen == [True]
    assert RENDER_QUEUE._held is False
