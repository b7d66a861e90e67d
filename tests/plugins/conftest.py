"""Fixtures shared by the built-in plugins' tests."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from leadwire_harness.clock import FakeClock

#: Where the channels' tests start their clock: ten minutes after SENT_AT.
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    """The harness's fake clock at 2026-03-02 10:00 UTC; sleeping moves it."""
    return FakeClock(NOW)


@pytest.fixture(scope="session")
def http() -> Iterator[httpx.AsyncClient]:
    """One client for the session: building one costs tens of milliseconds.

    respx replaces its transport in every test, so no connection is ever
    opened and no event loop is bound to it.
    """
    client = httpx.AsyncClient()
    yield client
    asyncio.run(client.aclose())
