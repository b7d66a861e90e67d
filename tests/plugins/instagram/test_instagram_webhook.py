"""Meta's subscription handshake and the X-Hub-Signature-256 check, for Instagram."""

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


def test_missing_signature_is_401(channel):
    """No X-Hub-Signature-256 header gives a 401 verdict."""
    verdict = channel.verify(WebhookRequest(method="POST", body=b"{}"))

    assert (verdict.ok, verdict.status) == (False, 401)


def test_signature_with_another_secret_is_forged(channel, payloads):
    """A body signed with another secret gives a 403 verdict."""
    body = payloads.body(payloads.delivery(payloads.entry()))
    request = WebhookRequest(
        method="POST",
        headers={"X-Hub-Signature-256": payloads.signature(body, "another-secret")},
        body=body,
    )

    verdict = channel.verify(request)

    assert (verdict.ok, verdict.status) == (False, 403)


def test_body_re_encoded_after_signing_is_forged(channel, payloads):
    """Decoding and re-encoding the escaped body breaks the signature: bytes matter."""
    request = payloads.posted(payloads.message(text="Привет"))
    reencoded = request.body.decode("unicode_escape").encode("utf-8")
    assert reencoded != request.body

    altered = WebhookRequest(method="POST", headers=request.headers, body=reencoded)

    assert channel.verify(altered).status == 403


@pytest.mark.parametrize(
    "header", ["sha256=abc", "md5=" + "0" * 64, "sha256=" + "я" * 64]
)
def test_malformed_signature_is_forged_without_raising(channel, header):
    """A header that is not sha256=<64 hex> gives 403, never an exception."""
    request = WebhookRequest(
        method="POST", headers={"X-Hub-Signature-256": header}, body=b"{}"
    )

    assert channel.verify(request).status == 403
