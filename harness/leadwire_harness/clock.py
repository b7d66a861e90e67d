"""A clock the replay controls: time moves only when the harness says so."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

__all__ = ["FakeClock"]

#: Where a replay's time starts unless the dialogue says otherwise.
DEFAULT_START = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)


class FakeClock:
    """Implements :class:`leadwire.Clock`; ``sleep`` advances time at once.

    Connectors that back off before a retry sleep through this clock, so a
    replay with a minute of backoff takes no real time.
    """

    def __init__(self, start: datetime = DEFAULT_START) -> None:
        if start.tzinfo is None:
            raise ValueError("the clock needs an aware datetime, such as ...+03:00")
        self._now = start.astimezone(UTC)
        self.slept = 0.0

    def now(self) -> datetime:
        """The current replay time, aware UTC."""
        return self._now

    async def sleep(self, seconds: float) -> None:
        """Advance time by *seconds* and let other tasks run once."""
        self.advance(max(seconds, 0.0))
        self.slept += max(seconds, 0.0)
        await asyncio.sleep(0)

    def advance(self, seconds: float) -> None:
        """Move time forward by *seconds*; it never moves back."""
        if seconds < 0:
            raise ValueError("the replay clock never moves back")
        self._now += timedelta(seconds=seconds)

    def set(self, moment: datetime) -> None:
        """Move time forward to *moment*; earlier moments are ignored."""
        moment = moment.astimezone(UTC)
        if moment > self._now:
            self._now = moment
