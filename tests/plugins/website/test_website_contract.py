"""The website plugin passes the harness's channel contract."""

from __future__ import annotations

import json

import attrs
import httpx

import leadwire_website
from leadwire_harness.contract import ChannelContract
from leadwire_website import signed_headers

SECRET = "contract-website-secret-0001"
CALLBACK = "https://site.contract.test/leadwire/callback"


def post(**fields) -> bytes:
    return json.dumps({"session": "s-contract-1", **fields}).encode()


class TestWebsiteChannel(ChannelContract):
    plugin = leadwire_website
    kind = "website"
    settings = {"secret": "env:CONTRACT_SITE_SECRET", "callback_url": CALLBACK}
    environment = {"CONTRACT_SITE_SECRET": SECRET}
    conversation = "s-contract-1"
    send_outcomes = frozenset(
        {"rate_limited", "credentials", "rejected", "unavailable"}
    )
    deliveries = {
        "chat line": post(message_id="m-1", text="Сколько стоит стрижка?"),
        "form": post(
            message_id="m-2",
            name="Контракт Тестов",
            phone="+7 999 000-00-09",
            consent={"given": True, "version": "1"},
        ),
        "button": post(type="button", message_id="m-3", payload="slot:1"),
        "unknown type": post(type="typing", message_id="m-4"),
    }

    def sign(self, request, now):
        stamp = int(now.timestamp())
        headers = {**request.headers, **signed_headers(SECRET, stamp, request.body)}
        return attrs.evolve(request, headers=headers)

    def mock_send(self, router, outcome):
        answers = {
            "ok": httpx.Response(204),
            "rate_limited": httpx.Response(429, headers={"Retry-After": "5"}),
            "credentials": httpx.Response(401),
            "rejected": httpx.Response(422),
            "unavailable": httpx.Response(503),
        }
        router.post(CALLBACK).mock(return_value=answers[outcome])
