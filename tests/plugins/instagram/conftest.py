"""Fixtures for the Instagram channel: a channel on fake credentials, payload builders.

Every id, name and number here is invented; payloads follow the Instagram
messaging webhook shape field for field.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from leadwire import ConnectorContext, WebhookRequest
from leadwire.config import converter
from leadwire_instagram import InstagramChannel, InstagramSettings

ACCESS_TOKEN = "IGAAtestInstagramTokenNotRealXYZ0123456789"
APP_SECRET = "test-app-secret-for-instagram"
VERIFY_TOKEN = "test-verify-token-instagram"
MESSAGES_URL = "https://graph.instagram.com/v23.0/me/messages"
ACCOUNT = "17840000000000001"  # our professional account
CLIENT = "990000000000001"  # an Instagram-scoped user id
OTHER_CLIENT = "990000000000002"
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
SENT_AT_MS = 1772445000123  # 2026-03-02 09:50:00.123 UTC


class FakeClock:
    """A clock that stands still unless a test moves it; sleeping only records."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment
        self.slept: list[float] = []

    def now(self) -> datetime:
        return self.moment

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.moment += timedelta(seconds=seconds)


class Payloads:
    """Builds Instagram webhook deliveries and API answers."""

    ACCOUNT = ACCOUNT
    CLIENT = CLIENT
    OTHER_CLIENT = OTHER_CLIENT
    SENT_AT_MS = SENT_AT_MS
    ACCESS_TOKEN = ACCESS_TOKEN
    APP_SECRET = APP_SECRET
    VERIFY_TOKEN = VERIFY_TOKEN
    MESSAGES_URL = MESSAGES_URL

    def __init__(self) -> None:
        self.next_id = 1000

    def mid(self) -> str:
        self.next_id += 1
        return f"aWdfZAG1faXRlbTprest{self.next_id:06d}"

    def delivery(self, *entries: dict[str, Any]) -> dict[str, Any]:
        return {"object": "instagram", "entry": list(entries)}

    def entry(self, *events: dict[str, Any]) -> dict[str, Any]:
        """One entry of our account holding *events* in its messaging list."""
        return {"id": ACCOUNT, "time": SENT_AT_MS + 500, "messaging": list(events)}

    def event(self, sender: str = CLIENT, **kind: Any) -> dict[str, Any]:
        """A messaging event from *sender* to our account (or back, for echoes)."""
        recipient = CLIENT if sender == ACCOUNT else ACCOUNT
        return {
            "sender": {"id": sender},
            "recipient": {"id": recipient},
            "timestamp": kind.pop("timestamp", SENT_AT_MS),
            **kind,
        }

    def message(
        self, sender: str = CLIENT, *, timestamp: Any = SENT_AT_MS, **fields: Any
    ) -> dict[str, Any]:
        """A message event; *fields* go into its ``message`` object."""
        mid = fields.pop("mid", None) or self.mid()
        return self.event(sender, timestamp=timestamp, message={"mid": mid, **fields})

    def body(self, document: dict[str, Any]) -> bytes:
        """The bytes Meta sends: JSON with non-ASCII escaped as \\uXXXX."""
        return json.dumps(document, ensure_ascii=True).encode()

    def signature(self, body: bytes, secret: str = APP_SECRET) -> str:
        digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        return f"sha256={digest}"

    def post(self, document: dict[str, Any]) -> WebhookRequest:
        """A signed delivery of *document*."""
        body = self.body(document)
        return WebhookRequest(
            method="POST",
            headers={"X-Hub-Signature-256": self.signature(body)},
            body=body,
        )

    def posted(self, *events: dict[str, Any]) -> WebhookRequest:
        """A signed delivery of one entry holding *events*."""
        return self.post(self.delivery(self.entry(*events)))

    def sent(self, message_id: str, to: str = CLIENT) -> dict[str, Any]:
        """The API's answer to an accepted message."""
        return {"recipient_id": to, "message_id": message_id}

    def failure(self, code: int, subcode: int | None = None) -> dict[str, Any]:
        """The API's answer to a refused call."""
        error: dict[str, Any] = {
            "message": f"Test failure for {CLIENT} with {ACCESS_TOKEN}",
            "type": "IGApiException",
            "code": code,
            "fbtrace_id": "BTraceTest456",
        }
        if subcode is not None:
            error["error_subcode"] = subcode
        return {"error": error}


@pytest.fixture
def payloads() -> Payloads:
    return Payloads()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """The secrets in the environment, as an operator would export them."""
    monkeypatch.setenv("TEST_IG_ACCESS_TOKEN", ACCESS_TOKEN)
    monkeypatch.setenv("TEST_IG_APP_SECRET", APP_SECRET)
    monkeypatch.setenv("TEST_IG_VERIFY_TOKEN", VERIFY_TOKEN)


@pytest.fixture
def settings(credentials: None) -> InstagramSettings:
    return converter.structure(
        {
            "access_token": "env:TEST_IG_ACCESS_TOKEN",
            "app_secret": "env:TEST_IG_APP_SECRET",
            "verify_token": "env:TEST_IG_VERIFY_TOKEN",
        },
        InstagramSettings,
    )


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


@pytest.fixture
def channel(
    settings: InstagramSettings, http: httpx.AsyncClient, clock: FakeClock
) -> InstagramChannel:
    return InstagramChannel(
        settings, ConnectorContext(name="ig-main", http=http, clock=clock)
    )
