"""A client-side leaky bucket matching the portal's own request limit.

Bitrix24 counts requests in a bucket per portal that holds ``burst`` requests
and drains ``drain_per_second``; a request into a full bucket is refused with
QUERY_LIMIT_EXCEEDED. Waiting here, before sending, keeps us out of that.
All waits go through the connector's clock, so a fake clock can measure them.
"""

from __future__ import annotations

import asyncio

from leadwire import Clock

__all__ = ["LeakyBucket"]

#: Room for float rounding, so a computed wait is never followed by a tiny one.
_SLACK = 1e-6


class LeakyBucket:
    """Hands out one slot per request, waiting when the bucket is full.

    :param clock: Gives the time and does the waiting.
    :param burst: Requests that may go at once into an empty bucket.
    :param drain_per_second: How fast the bucket empties.
    """

    def __init__(self, clock: Clock, *, burst: int, drain_per_second: float) -> None:
        self._clock = clock
        self._burst = burst
        self._drain = drain_per_second
        self._level = 0.0
        self._checked_at: float | None = None
        self._lock = asyncio.Lock()

    @property
    def level(self) -> float:
        """How full the bucket was when last looked at."""
        return self._level

    async def acquire(self) -> float:
        """Wait until one more request fits, take its slot; return the wait."""
        waited = 0.0
        async with self._lock:
            self._leak()

            while self._level + 1 > self._burst + _SLACK:
                pause = (self._level + 1 - self._burst) / self._drain
                await self._clock.sleep(pause)
                waited += pause
                self._leak()

            self._level += 1
        return waited

    def fill(self) -> None:
        """Mark the bucket full: the portal said so, other callers share it."""
        self._leak()
        self._level = float(self._burst)

    def _leak(self) -> None:
        moment = self._clock.now().timestamp()
        if self._checked_at is not None:
            elapsed = max(0.0, moment - self._checked_at)
            self._level = max(0.0, self._level - elapsed * self._drain)
        self._checked_at = moment
