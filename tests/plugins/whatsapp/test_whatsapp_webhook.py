"""Meta's subscription handshake and the X-Hub-Signature-256 check, for WhatsApp."""

from __future__ import annotations

import pytest

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


async def test_handshake_refuses_a_wrong_mode(channel):
    """A mode other than subscribe gets 403, even with the right token."""
    response = await channel.handshake(subscription(mode="unsubscribe"))

    assert response.status == 403


async def test_handshake_refuses_a_bare_get(channel):
    """A GET without hub parameters gets 403."""
    response = await channel.handshake(WebhookRequest(method="GET"))

    assert response.status == 403


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


def test_signature_over_escaped_unicode_is_accepted(channel, payloads):
    """A body escaping Cyrillic and emoji as \\uXXXX verifies over its exact bytes."""
    message = payloads.text("Тестовая Клиентка \U0001f338 хочет маникюр")
    body = payloads.body(payloads.delivery(payloads.value([message])))
    assert b"\\u0422" in body
    assert b"\\ud83c" in body
    request = WebhookRequest(
        method="POST",
        headers={"x-hub-signature-256": payloads.signature(body)},
        body=body,
    )

    assert channel.verify(request).ok


def test_missing_signature_is_401(channel, payloads):
    """No X-Hub-Signature-256 header gives a 401 verdict."""
    request = WebhookRequest(
        method="POST", body=b'{"object": "whatsapp_business_account"}'
    )

    verdict = channel.verify(request)

    assert (verdict.ok, verdict.status) == (False, 401)


def test_signature_with_another_secret_is_forged(channel, payloads):
    """A body signed with another secret gives a 403 verdict."""
    body = payloads.body(payloads.delivery(payloads.value()))
    request = WebhookRequest(
        method="POST",
        headers={"X-Hub-Signature-256": payloads.signature(body, "other-secret")},
        body=body,
    )

    verdict = channel.verify(request)

    assert (verdict.ok, verdict.status) == (False, 403)
    assert payloads.APP_SECRET not in verdict.reason


def test_altered_body_is_forged(channel, payloads):
    """Changing one byte after signing breaks the signature."""
    request = payloads.post(payloads.delivery(payloads.value([payloads.text("100")])))
    altered = WebhookRequest(
        method="POST",
        headers=request.headers,
        body=request.body.replace(b"100", b"900"),
    )

    assert channel.verify(altered).status == 403


@pytest.mark.parametrize(
    "header",
    [
        "sha1=0123456789abcdef0123456789abcdef01234567",
        "sha256=",
        "sha256=zz" + "0" * 62,
        "sha256=" + "ф" * 64,
        "0" * 64,
    ],
)
def test_malformed_signature_is_forged_without_raising(channel, payloads, header):
    """A header that is not sha256=<64 hex> gives 403, never an exception."""
    request = WebhookRequest(
        method="POST", headers={"X-Hub-Signature-256": header}, body=b"{}"
    )

    verdict = channel.verify(request)

    assert (verdict.ok, verdict.status) == (False, 403)


def test_uppercase_hex_signature_is_accepted(channel, payloads):
    """The hex digest is compared without regard to case."""
    body = payloads.body(payloads.delivery(payloads.value()))
    signature = "sha256=" + payloads.signature(body).split("=", 1)[1].upper()
    request = WebhookRequest(
        method="POST", headers={"X-Hub-Signature-256": signature}, body=body
    )

    assert channel.verify(request).ok
