"""The scaling benchmark reads wrk's report (recorded from wrk 4.1 against the local host); the
sweep itself needs wrk and minutes of a quiet machine, so it is run by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import scaling

SAMPLES = Path(__file__).parent / "data" / "wrk"


def test_wrk_report_gives_count_rate_and_latencies_in_milliseconds() -> None:
    count, rate, p50, p99 = scaling.parse_wrk((SAMPLES / "ok.txt").read_text())
    assert (count, rate) == (188, 93.69)
    assert p50 == pytest.approx(20.07)
    assert p99 == pytest.approx(56.60)


def test_wrk_report_with_failed_answers_is_an_error_not_a_figure() -> None:
    with pytest.raises(RuntimeError, match="answered errors"):
        scaling.parse_wrk((SAMPLES / "errors.txt").read_text())


@pytest.mark.parametrize(
    ("text", "millis"),
    [("794.00us", 0.794), ("20.07ms", 20.07), ("1.50s", 1500.0), ("2m", 120000.0)],
)
def test_wrk_latency_units(text: str, millis: float) -> None:
    assert scaling._millis(text) == pytest.approx(millis)


def test_unreadable_latency_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot read"):
        scaling._millis("fast")


def test_open_loop_refuses_a_rate_it_cannot_ask_for() -> None:
    with pytest.raises(ValueError, match="positive"):
        scaling.open_loop("http://127.0.0.1:9/", 0.0, 1.0)
