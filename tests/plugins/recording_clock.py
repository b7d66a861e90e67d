"""The harness's fake clock, also listing each sleep, for tests of backoff schedules."""

from __future__ import annotations

from datetime import datetime

from leadwire_harness.clock import DEFAULT_START, FakeClock


class RecordingClock(FakeClock):
    """A :class:`FakeClock` that keeps every sleep, in order, in :attr:`sleeps`."""

    def __init__(self, start: datetime = DEFAULT_START) -> None:
        super().__init__(start)
        self.sleeps: list[float] = []

    async def sleep(self, seconds: float) -> None:
        """Note the wait, then advance time by it."""
        self.sleeps.append(seconds)
        await super().sleep(seconds)
