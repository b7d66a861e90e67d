"""The WhatsApp and Instagram plugins pass the channel contract."""

from __future__ import annotations

import hashlib
import hmac
import json

import attrs
import httpx

import leadwire_instagram
import leadwire_whatsapp
from leadwire_harness.contract import ChannelContract

APP_SECRET = "contract-app-secret-0001"
ENVIRONMENT = {
    "CONTRACT_ACCESS_TOKEN": "contract-access-token-0001",
    "CONTRACT_APP_SECRET": APP_SECRET,
    "CONTRACT_VERIFY_TOKEN": "contract-verify-token-0001",
}
SECRETS = {
    "access_token": "env:CONTRACT_ACCESS_TOKEN",
    "app_secret": "env:CONTRACT_APP_SECRET",
    "verify_token": "env:CONTRACT_VERIFY_TOKEN",
}


def meta_signed(request, now):
    digest = hmac.new(APP_SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    headers = {**request.headers, "x-hub-signature-256": f"sha256={digest}"}
    return attrs.evolve(request, headers=headers)


def meta_error(status: int, code: int, subcode: int | None = None) -> httpx.Response:
    error = {"message": "invented", "type": "OAuthException", "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    return httpx.Response(status, json={"error": {**error, "fbtrace_id": "Trace1"}})


def whatsapp_delivery(*values: dict) -> bytes:
    changes = [{"field": "messages", "value": value} for value in values]
    document = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "200300400500600", "changes": changes}],
    }
    return json.dumps(document).encode()


def whatsapp_text(message_id: str, body: str) -> dict:
    return {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550001111", "phone_number_id": "1"},
        "contacts": [
            {"profile": {"name": "Тестовая Клиентка"}, "wa_id": "79990001122"}
        ],
        "messages": [
            {
                "from": "79990001122",
                "id": message_id,
                "timestamp": "1772445000",
                "type": "text",
                "text": {"body": body},
            }
        ],
    }


class TestWhatsAppChannel(ChannelContract):
    plugin = leadwire_whatsapp
    kind = "whatsapp"
    settings = {"phone_number_id": "100200300400500", **SECRETS}
    environment = ENVIRONMENT
    conversation = "79990001122"
    deliveries = {
        "text": whatsapp_delivery(whatsapp_text("wamid.C1", "Здравствуйте")),
        "text and status in one batch": whatsapp_delivery(
            whatsapp_text("wamid.C2", "Хочу записаться"),
            {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "15550001111"},
                "statuses": [
                    {
                        "id": "wamid.OUT1",
                        "status": "read",
                        "timestamp": "1772445001",
                        "recipient_id": "79990001122",
                    }
                ],
            },
        ),
    }

    def sign(self, request, now):
        return meta_signed(request, now)

    def mock_send(self, router, outcome):
        answers = {
            "ok": httpx.Response(
                200,
                json={
                    "messaging_product": "whatsapp",
                    "contacts": [{"input": "79990001122", "wa_id": "79990001122"}],
                    "messages": [{"id": "wamid.SENT1"}],
                },
            ),
            "outside_window": meta_error(400, 131047),
            "rate_limited": meta_error(400, 130429),
            "credentials": meta_error(401, 190),
            "rejected": meta_error(400, 131026),
            "unavailable": httpx.Response(503, text="unavailable"),
        }
        url = "https://graph.facebook.com/v23.0/100200300400500/messages"
        router.post(url).mock(return_value=answers[outcome])


def instagram_delivery(*events: dict) -> bytes:
    document = {
        "object": "instagram",
        "entry": [
            {"id": "17840000000000001", "time": 1772445000123, "messaging": events}
        ],
    }
    return json.dumps(document).encode()


def instagram_message(mid: str, text: str, **flags) -> dict:
    return {
        "sender": {"id": "990000000000001"},
        "recipient": {"id": "17840000000000001"},
        "timestamp": 1772445000123,
        "message": {"mid": mid, "text": text, **flags},
    }


class TestInstagramChannel(ChannelContract):
    plugin = leadwire_instagram
    kind = "instagram"
    settings = SECRETS
    environment = ENVIRONMENT
    conversation = "990000000000001"
    deliveries = {
        "text": instagram_delivery(instagram_message("m.C1", "Сколько стоит стрижка?")),
        "text and echo": instagram_delivery(
            instagram_message("m.C2", "Спасибо"),
            {
                "sender": {"id": "17840000000000001"},
                "recipient": {"id": "990000000000001"},
                "timestamp": 1772445000200,
                "message": {"mid": "m.OUT1", "text": "Пожалуйста", "is_echo": True},
            },
        ),
    }

    def sign(self, request, now):
        return meta_signed(request, now)

    def mock_send(self, router, outcome):
        answers = {
            "ok": httpx.Response(
                200, json={"recipient_id": "990000000000001", "message_id": "m.SENT1"}
            ),
            "outside_window": meta_error(403, 10, 2534022),
            "rate_limited": meta_error(400, 4),
            "credentials": meta_error(401, 190),
            "rejected": meta_error(400, 100),
            "unavailable": httpx.Response(503, text="unavailable"),
        }
        router.post("https://graph.instagram.com/v23.0/me/messages").mock(
            return_value=answers[outcome]
        )
