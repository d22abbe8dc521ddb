"""Injected time: every deadline is tested with a frozen clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from piu_lab.clock import Clock, FrozenClock, SystemClock, ensure_utc


def test_frozen_clock_moves_only_when_told() -> None:
    clock = FrozenClock(datetime(2026, 3, 2, 8, 0))
    assert clock.now() == datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    assert clock.now() == clock.now()
    assert clock.advance(hours=24, seconds=1) == datetime(2026, 3, 3, 8, 0, 1, tzinfo=UTC)
    assert clock.advance(timedelta(days=1)).day == 4
    clock.set(datetime(2027, 1, 1, tzinfo=timezone(timedelta(hours=1))))
    assert clock.now() == datetime(2026, 12, 31, 23, 0, tzinfo=UTC)


def test_system_clock_is_aware_utc() -> None:
    now = SystemClock().now()
    assert now.tzinfo is UTC
    assert isinstance(SystemClock(), Clock)
    assert isinstance(FrozenClock(), Clock)


def test_ensure_utc_converts_and_assumes_naive_is_utc() -> None:
    assert ensure_utc(datetime(2026, 1, 1)).tzinfo is UTC
    cet = datetime(2026, 1, 1, 12, tzinfo=timezone(timedelta(hours=1)))
    assert ensure_utc(cet) == datetime(2026, 1, 1, 11, tzinfo=UTC)
