"""The Instagram channel checks Meta's handshake and signatures with its secrets."""

from __future__ import annotations

import pytest

from leadwire import WebhookRequest


def subscription(mode="subscribe", token="test-verify-token-instagram"):
    return WebhookRequest(
        method="GET",
        query={
            "hub.mode": mode,
            "hub.verify_token": token,
            "hub.challenge": "847291003",
        },
    )


async def test_handshake_echoes_the_challenge(channel):
    """A subscribe GET with the right token gets 200 and the raw challenge."""
    response = await channel.handshake(subscription())

    assert (response.status, response.body) == (200, b"847291003")


@pytest.mark.parametrize(
    "request_",
    [
        subscription(token="wrong-token"),
        subscription(mode="unsubscribe"),
        subscription(token=""),
        WebhookRequest(method="GET", query={"hub.challenge": "847291003"}),
    ],
)
async def test_handshake_refuses_wrong_token_or_mode(channel, request_):
    """A wrong token, a wrong mode or missing parameters get 403 and no challenge."""
    response = await channel.handshake(request_)

    assert response.status == 403
    assert b"847291003" not in response.body


async def test_handshake_ignores_deliveries(channel, payloads):
    """A POST is not a handshake: None."""
    assert await channel.handshake(payloads.posted()) is None


def test_signature_over_escaped_unicode_is_accepted(channel, payloads):
    """A body escaping Cyrillic and emoji as \\uXXXX verifies over its exact bytes."""
    request = payloads.posted(payloads.message(text="Тестовая Клиентка \U0001f338"))

    assert b"\\u0422" in request.body
    assert channel.verify(request).ok
