"""Fixtures for the code Meta's channels share: both channels on fake credentials.

Every id and secret here is invented. Tests of shared behaviour run once per
channel, so they also prove each channel wires the shared code in.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from meta_fakes import (
    ACCESS_TOKEN,
    APP_SECRET,
    CHANNELS,
    TOKEN_ENV,
    VERIFY_TOKEN,
)
from meta_payloads import exported_settings

from leadwire import ConnectorContext
from leadwire_harness.clock import FakeClock
from leadwire_meta import MetaChannel


@pytest.fixture(params=sorted(CHANNELS))
def kind(request: pytest.FixtureRequest) -> str:
    """The channel kind a test runs against, each in turn."""
    return request.param


@pytest.fixture
def messages_url(kind: str) -> str:
    return CHANNELS[kind][3]


@pytest.fixture
def meta_channel(
    kind: str,
    monkeypatch: pytest.MonkeyPatch,
    http: httpx.AsyncClient,
    clock: FakeClock,
) -> MetaChannel[Any]:
    """The channel of *kind*, its secrets exported as an operator would."""
    channel_class, settings_class, own, _ = CHANNELS[kind]
    secrets = {
        "access_token": (TOKEN_ENV, ACCESS_TOKEN),
        "app_secret": ("TEST_META_APP_SECRET", APP_SECRET),
        "verify_token": ("TEST_META_VERIFY_TOKEN", VERIFY_TOKEN),
    }
    settings = exported_settings(monkeypatch, settings_class, secrets, **own)
    return channel_class(
        settings, ConnectorContext(name="meta", http=http, clock=clock)
    )
