"""Fixtures for the WhatsApp channel: a channel on fake credentials, payload builders.

Every id, name and number here is invented; payloads follow the Cloud API's
webhook shape field for field.
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

from leadwire import ConnectorContext
from leadwire_harness.clock import FakeClock
from leadwire_whatsapp import WhatsAppChannel, WhatsAppSettings

ACCESS_TOKEN = "EAAtestWhatsAppTokenNotRealXYZ0123456789"
APP_SECRET = "test-app-secret-for-whatsapp"
VERIFY_TOKEN = "test-verify-token-whatsapp"
PHONE_NUMBER_ID = "100200300400500"
GRAPH = "https://graph.facebook.com"
MESSAGES_URL = f"{GRAPH}/v23.0/{PHONE_NUMBER_ID}/messages"
CLIENT = "79990001122"
OTHER_CLIENT = "79990003344"
CLIENT_NAME = "Тестовая Клиентка"
SENT_AT = 1772445000  # 2026-03-02 09:50:00 UTC


class Payloads(SignedDeliveries):
    """Builds WhatsApp webhook deliveries and Graph API answers."""

    CLIENT = CLIENT
    OTHER_CLIENT = OTHER_CLIENT
    CLIENT_NAME = CLIENT_NAME
    SENT_AT = SENT_AT
    ACCESS_TOKEN = ACCESS_TOKEN
    APP_SECRET = APP_SECRET
    VERIFY_TOKEN = VERIFY_TOKEN
    MESSAGES_URL = MESSAGES_URL

    def wamid(self) -> str:
        return f"wamid.TEST{self.fresh_number():06d}"

    def delivery(self, *values: dict[str, Any], field: str = "messages") -> dict:
        """A delivery with one entry holding one change per value."""
        return {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "200300400500600",
                    "changes": [{"value": value, "field": field} for value in values],
                }
            ],
        }

    def value(
        self,
        messages: list[dict[str, Any]] | None = None,
        statuses: list[dict[str, Any]] | None = None,
        contacts: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """The ``value`` of a messages change."""
        value: dict[str, Any] = {
            "messaging_product": "whatsapp",
            "metadata": {
                "display_phone_number": "15550001111",
                "phone_number_id": PHONE_NUMBER_ID,
            },
        }
        if messages is not None:
            value["contacts"] = (
                contacts if contacts is not None else [self.contact(CLIENT)]
            )
            value["messages"] = messages
        if statuses is not None:
            value["statuses"] = statuses
        return value

    def contact(self, wa_id: str, name: str | None = CLIENT_NAME) -> dict[str, Any]:
        contact: dict[str, Any] = {"wa_id": wa_id}
        if name is not None:
            contact["profile"] = {"name": name}
        return contact

    def message(
        self, kind: str, content: Any, *, sender: str = CLIENT, **extra: Any
    ) -> dict[str, Any]:
        """A message of type *kind* whose ``<kind>`` object is *content*."""
        return {
            "from": sender,
            "id": extra.pop("id", None) or self.wamid(),
            "timestamp": str(extra.pop("timestamp", SENT_AT)),
            "type": kind,
            kind: content,
            **extra,
        }

    def text(self, body: str, **extra: Any) -> dict[str, Any]:
        return self.message("text", {"body": body}, **extra)

    def status(self, message_id: str, status: str, **extra: Any) -> dict[str, Any]:
        return {
            "id": message_id,
            "status": status,
            "timestamp": str(SENT_AT + 60),
            "recipient_id": CLIENT,
            **extra,
        }

    def sent(self, message_id: str, to: str = CLIENT) -> dict[str, Any]:
        """The Graph API's answer to an accepted message."""
        return {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": to}],
            "messages": [{"id": message_id}],
        }

    def accepted(self) -> dict[str, Any]:
        """The answer to an accepted message, with a fresh id."""
        return self.sent(self.wamid())

    def failure(self, code: int, subcode: int | None = None) -> dict[str, Any]:
        """The Graph API's answer to a refused call."""
        return graph_failure(
            code,
            subcode,
            message=f"(#{code}) Test failure mentioning {ACCESS_TOKEN}",
            type="OAuthException",
            error_data={
                "messaging_product": "whatsapp",
                "details": f"details for +{CLIENT}",
            },
            fbtrace_id="ATraceTest123",
        )


@pytest.fixture
def payloads() -> Payloads:
    return Payloads()


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch) -> WhatsAppSettings:
    """Settings whose secrets are exported as an operator would."""
    secrets = {
        "access_token": ("TEST_WA_ACCESS_TOKEN", ACCESS_TOKEN),
        "app_secret": ("TEST_WA_APP_SECRET", APP_SECRET),
        "verify_token": ("TEST_WA_VERIFY_TOKEN", VERIFY_TOKEN),
    }
    return exported_settings(
        monkeypatch,
        WhatsAppSettings,
        secrets,
        phone_number_id=PHONE_NUMBER_ID,
    )


@pytest.fixture
def channel(
    settings: WhatsAppSettings, http: httpx.AsyncClient, clock: FakeClock
) -> WhatsAppChannel:
    return WhatsAppChannel(
        settings, ConnectorContext(name="wa-main", http=http, clock=clock)
    )
