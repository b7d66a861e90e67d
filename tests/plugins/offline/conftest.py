"""Fixtures for the offline assistant: a context whose HTTP client refuses to work."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from leadwire import ConnectorContext
from leadwire.config import converter
from leadwire_offline import OfflineLlm, OfflineSettings


def _no_network(request: httpx.Request) -> httpx.Response:
    raise AssertionError("the offline assistant made an HTTP request")


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.MockTransport(_no_network)) as client:
        yield client


@pytest.fixture
def make_llm(http: httpx.AsyncClient) -> Callable[..., OfflineLlm]:
    """Build the connector from a settings table, as a configuration would."""

    def make(**table: Any) -> OfflineLlm:
        settings = converter.structure(table, OfflineSettings)
        return OfflineLlm(settings, ConnectorContext(name="assistant", http=http))

    return make
