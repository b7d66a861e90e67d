"""The fake clock: time moves only when the replay moves it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from leadwire_harness.clock import FakeClock


async def test_sleep_advances_time_at_once():
    """Sleeping a minute moves the clock a minute and returns immediately."""
    clock = FakeClock(datetime(2026, 3, 10, 9, 0, tzinfo=UTC))

    await clock.sleep(60)

    assert clock.now() == datetime(2026, 3, 10, 9, 1, tzinfo=UTC)
    assert clock.slept == 60


def test_time_never_moves_back():
    """set() to an earlier moment is ignored; advance() refuses negative steps."""
    clock = FakeClock()
    start = clock.now()

    clock.set(start - timedelta(hours=1))
    assert clock.now() == start
    with pytest.raises(ValueError, match="never moves back"):
        clock.advance(-1)


def test_naive_start_is_refused():
    """A start without a time zone is ambiguous and refused."""
    with pytest.raises(ValueError, match="aware"):
        FakeClock(datetime(2026, 3, 10, 9, 0))
