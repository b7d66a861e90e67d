"""The Telegram plugin passes the harness's channel contract."""

from __future__ import annotations

import json

import attrs
import httpx

import leadwire_telegram
from leadwire_harness.contract import ChannelContract

TOKEN = "1234567890:CONTRACT-fake-token-for-tests-XYZ"
SECRET = "contract-secret-token-0001"


def update(update_id: int, **kind: dict) -> bytes:
    return json.dumps({"update_id": update_id, **kind}).encode()


USER = {"id": 700100300, "is_bot": False, "first_name": "Контракт"}
CHAT = {"id": 700100300, "type": "private"}


class TestTelegramChannel(ChannelContract):
    plugin = leadwire_telegram
    kind = "telegram"
    settings = {
        "bot_token": "env:CONTRACT_TG_TOKEN",
        "secret_token": "env:CONTRACT_TG_SECRET",
    }
    environment = {"CONTRACT_TG_TOKEN": TOKEN, "CONTRACT_TG_SECRET": SECRET}
    conversation = "700100300"
    send_outcomes = frozenset(
        {"rate_limited", "credentials", "rejected", "unavailable"}
    )
    deliveries = {
        "text": update(
            90001,
            message={
                "message_id": 1,
                "from": USER,
                "chat": CHAT,
                "date": 1772445000,
                "text": "Сколько стоит стрижка?",
            },
        ),
        "button": update(
            90002,
            callback_query={
                "id": "4382000000000001",
                "from": USER,
                "message": {"message_id": 2, "chat": CHAT, "date": 1772445000},
                "chat_instance": "-100200300",
                "data": "leadwire:consent:agree",
            },
        ),
        "blocked": update(
            90003,
            my_chat_member={
                "chat": CHAT,
                "from": USER,
                "date": 1772445100,
                "old_chat_member": {"status": "member", "user": USER},
                "new_chat_member": {"status": "kicked", "user": USER},
            },
        ),
    }

    def forge(self, signed):
        # Telegram signs nothing: the secret token proves the sender, not the
        # body, so a forgery carries a wrong token.
        headers = {**signed.headers, "x-telegram-bot-api-secret-token": "x" + SECRET}
        return attrs.evolve(signed, headers=headers)

    def sign(self, request, now):
        headers = {**request.headers, "x-telegram-bot-api-secret-token": SECRET}
        return attrs.evolve(request, headers=headers)

    def mock_send(self, router, outcome):
        def failed(code: int, **parameters) -> httpx.Response:
            body = {"ok": False, "error_code": code, "description": "invented"}
            return httpx.Response(code, json={**body, "parameters": parameters})

        answers = {
            "ok": httpx.Response(
                200, json={"ok": True, "result": {"message_id": 5, "chat": CHAT}}
            ),
            "rate_limited": failed(429, retry_after=3),
            "credentials": failed(401),
            "rejected": failed(403),
            "unavailable": httpx.Response(502, text="<html>Bad Gateway</html>"),
        }
        router.post(f"https://api.telegram.org/bot{TOKEN}/sendMessage").mock(
            return_value=answers[outcome]
        )
