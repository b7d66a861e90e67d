"""Fixtures for the gpt connector: a fake clock, a context, a strict mock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx
from gpt_fakes import FAKE_KEY, KEY_ENV
from recording_clock import RecordingClock

from leadwire import ConnectorContext
from leadwire.config import converter
from leadwire_gpt import GptLlm, GptSettings


@pytest.fixture
def clock() -> RecordingClock:
    return RecordingClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
def api_key(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(KEY_ENV, FAKE_KEY)
    return FAKE_KEY


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router:
        yield router


@pytest.fixture
def make_llm(
    http: httpx.AsyncClient, clock: RecordingClock, api_key: str
) -> Callable[..., GptLlm]:
    """Build the connector from a settings table, as a configuration would."""

    def make(**table: Any) -> GptLlm:
        table.setdefault("api_key", f"env:{KEY_ENV}")
        settings = converter.structure(table, GptSettings)
        context = ConnectorContext(name="assistant", http=http, clock=clock)
        return GptLlm(settings, context)

    return make
