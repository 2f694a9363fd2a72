"""The collector pause around reading a body: counted, and the collector's state restored."""

from __future__ import annotations

import gc
import threading

from shared.request.nogc import collector_paused


def test_the_collector_is_paused_inside_and_running_again_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block still reads
    assert gc.isenabled()


def test_a_collector_switched_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_error_inside_still_restarts_the_collector() -> None:
    try:
        with collector_paused():
            raise ValueError("bad body")
    except ValueError:
        pass
    assert gc.isenabled()


def test_the_last_of_several_threads_restarts_the_collector() -> None:
    inside = threading.Barrier(3)
    leave = threading.Event()
    states: list[bool] = []

    def read() -> None:
        with collector_paused():
            inside.wait()
            leave.wait()

    threads = [threading.Thread(target=read) for _ in range(2)]
    for thread in threads:
        thread.start()
    inside.wait()
    states.append(gc.isenabled())
    leave.set()
    for thread in threads:
        thread.join()
    states.append(gc.isenabled())
    assert states == [False, True]
