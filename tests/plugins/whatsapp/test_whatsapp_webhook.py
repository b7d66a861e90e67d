"""The WhatsApp channel checks Meta's handshake and signatures with its secrets."""

from __future__ import annotations

from leadwire import WebhookRequest


def subscription(
    mode="subscribe", token="test-verify-token-whatsapp", challenge="1158201444"
):
    return WebhookRequest(
        method="GET",
        query={"hub.mode": mode, "hub.verify_token": token, "hub.challenge": challenge},
    )


async def test_handshake_echoes_the_challenge(channel):
    """A subscribe GET with the right token gets 200 and the raw challenge."""
    response = await channel.handshake(subscription())

    assert response.status == 200
    assert response.body == b"1158201444"


async def test_handshake_refuses_a_wrong_token(channel):
    """A wrong verify token gets 403 and no challenge."""
    response = await channel.handshake(subscription(token="guessed-token"))

    assert response.status == 403
    assert b"1158201444" not in response.body


async def test_handshake_ignores_deliveries(channel, payloads):
    """A POST is not a handshake: None, so the engine verifies and parses it."""
    request = payloads.post(payloads.delivery(payloads.value()))

    assert await channel.handshake(request) is None


def test_signed_delivery_is_accepted(channel, payloads):
    """A body signed with the app secret passes."""
    request = payloads.post(
        payloads.delivery(payloads.value([payloads.text("Привет")]))
    )

    assert channel.verify(request).ok
