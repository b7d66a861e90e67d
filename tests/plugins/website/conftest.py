"""Fixtures for the website channel: a channel on a fake secret, post builders.

Every session, name and number here is invented.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import respx

from leadwire import ConnectorContext, WebhookRequest
from leadwire.config import converter
from leadwire_website import WebsiteChannel, WebsiteSettings, sign


class Site:
    """A website's backend as the tests play it: builds and signs posts."""

    SECRET = "test-shared-secret-for-website-0001"
    CALLBACK = "https://site.test/leadwire/callback"
    SESSION = "s-test-0001"
    NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)

    def __init__(self) -> None:
        self.next_id = 0

    @property
    def now_ts(self) -> int:
        return int(self.NOW.timestamp())

    def post(self, **fields: Any) -> dict[str, Any]:
        """A post of the session with a fresh message id; *fields* override."""
        self.next_id += 1
        return {"session": self.SESSION, "message_id": f"m-{self.next_id}", **fields}

    def form(self, **fields: Any) -> dict[str, Any]:
        """A filled lead form: name, phone, text and a ticked consent box."""
        form = {
            "type": "message",
            "name": "Тестина Примерова",
            "phone": "8 (999) 000-00-01",
            "text": "Хочу записаться на маникюр",
            "consent": {"given": True, "version": "3"},
        }
        return self.post(**{**form, **fields})

    def request(
        self,
        body: Any,
        *,
        timestamp: int | None = None,
        secret: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> WebhookRequest:
        """Sign *body* (a dict or raw bytes) as the site's backend does."""
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        stamp = self.now_ts if timestamp is None else timestamp
        signature = sign(secret or self.SECRET, stamp, raw)
        signed = {
            "Content-Type": "application/json",
            "X-Leadwire-Timestamp": str(stamp),
            "X-Leadwire-Signature": signature,
        }
        if headers is not None:
            signed = headers
        return WebhookRequest(method="POST", headers=signed, body=raw)


@pytest.fixture
def site() -> Site:
    return Site()


@pytest.fixture
def secrets(monkeypatch: pytest.MonkeyPatch, site) -> None:
    monkeypatch.setenv("TEST_SITE_SECRET", site.SECRET)


@pytest.fixture
def make_channel(secrets, http, clock, site):
    """Build a channel from a settings table changed by *extra*."""

    def make(**extra: Any) -> WebsiteChannel:
        table = {
            "secret": "env:TEST_SITE_SECRET",
            "callback_url": site.CALLBACK,
            **extra,
        }
        settings = converter.structure(table, WebsiteSettings)
        context = ConnectorContext(name="site", http=http, clock=clock)
        return WebsiteChannel(settings, context)

    return make


@pytest.fixture
def channel(make_channel) -> WebsiteChannel:
    return make_channel()


@pytest.fixture
def callback(site) -> Iterator[respx.Route]:
    """The site's callback endpoint, mocked strictly."""
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router:
        yield router.post(site.CALLBACK)
