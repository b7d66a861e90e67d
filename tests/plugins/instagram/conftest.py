"""Fixtures for the Instagram channel: a channel on fake credentials, payload builders.

Every id, name and number here is invented; payloads follow the Instagram
messaging webhook shape field for field.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from meta_payloads import (
    SignedDeliveries,
    exported_settings,
    graph,  # noqa: F401 (the messages endpoint, a fixture of the send tests)
    graph_failure,
)

from leadwire import ConnectorContext, WebhookRequest
from leadwire_harness.clock import FakeClock
from leadwire_instagram import InstagramChannel, InstagramSettings

ACCESS_TOKEN = "IGAAtestInstagramTokenNotRealXYZ0123456789"
APP_SECRET = "test-app-secret-for-instagram"
VERIFY_TOKEN = "test-verify-token-instagram"
MESSAGES_URL = "https://graph.instagram.com/v23.0/me/messages"
ACCOUNT = "17840000000000001"  # our professional account
CLIENT = "990000000000001"  # an Instagram-scoped user id
OTHER_CLIENT = "990000000000002"
SENT_AT_MS = 1772445000123  # 2026-03-02 09:50:00.123 UTC


class Payloads(SignedDeliveries):
    """Builds Instagram webhook deliveries and API answers."""

    ACCOUNT = ACCOUNT
    CLIENT = CLIENT
    OTHER_CLIENT = OTHER_CLIENT
    SENT_AT_MS = SENT_AT_MS
    ACCESS_TOKEN = ACCESS_TOKEN
    APP_SECRET = APP_SECRET
    VERIFY_TOKEN = VERIFY_TOKEN
    MESSAGES_URL = MESSAGES_URL

    def mid(self) -> str:
        return f"aWdfZAG1faXRlbTprest{self.fresh_number():06d}"

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

    def posted(self, *events: dict[str, Any]) -> WebhookRequest:
        """A signed delivery of one entry holding *events*."""
        return self.post(self.delivery(self.entry(*events)))

    def sent(self, message_id: str, to: str = CLIENT) -> dict[str, Any]:
        """The API's answer to an accepted message."""
        return {"recipient_id": to, "message_id": message_id}

    def accepted(self) -> dict[str, Any]:
        """The answer to an accepted message, with a fresh id."""
        return self.sent(self.mid())

    def failure(self, code: int, subcode: int | None = None) -> dict[str, Any]:
        """The API's answer to a refused call."""
        return graph_failure(
            code,
            subcode,
            message=f"Test failure for {CLIENT} with {ACCESS_TOKEN}",
            type="IGApiException",
            fbtrace_id="BTraceTest456",
        )


@pytest.fixture
def payloads() -> Payloads:
    return Payloads()


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch) -> InstagramSettings:
    """Settings whose secrets are exported as an operator would."""
    secrets = {
        "access_token": ("TEST_IG_ACCESS_TOKEN", ACCESS_TOKEN),
        "app_secret": ("TEST_IG_APP_SECRET", APP_SECRET),
        "verify_token": ("TEST_IG_VERIFY_TOKEN", VERIFY_TOKEN),
    }
    return exported_settings(
        monkeypatch,
        InstagramSettings,
        secrets,
    )


@pytest.fixture
def channel(
    settings: InstagramSettings, http: httpx.AsyncClient, clock: FakeClock
) -> InstagramChannel:
    return InstagramChannel(
        settings, ConnectorContext(name="ig-main", http=http, clock=clock)
    )
