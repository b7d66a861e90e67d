"""Meta's subscription handshake and the X-Hub-Signature-256 check."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from leadwire import WebhookRequest
from leadwire_meta import SIGNATURE_HEADER, answer_handshake, check_signature

VERIFY_TOKEN = "test-verify-token-meta"
APP_SECRET = "test-app-secret-for-meta"
CHALLENGE = "1158201444"


def subscription(mode="subscribe", token=VERIFY_TOKEN, challenge=CHALLENGE):
    return WebhookRequest(
        method="GET",
        query={"hub.mode": mode, "hub.verify_token": token, "hub.challenge": challenge},
    )


def body_of(document) -> bytes:
    """The bytes Meta sends: JSON with non-ASCII escaped as \\uXXXX."""
    return json.dumps(document, ensure_ascii=True).encode()


def signature(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signed(body: bytes, secret: str = APP_SECRET) -> WebhookRequest:
    return WebhookRequest(
        method="POST", headers={SIGNATURE_HEADER: signature(body, secret)}, body=body
    )


DELIVERY = body_of({"object": "instagram", "entry": [{"id": "1", "messaging": []}]})


def test_handshake_echoes_the_challenge_as_plain_bytes():
    """A subscribe GET with the right token gets 200 and the raw challenge."""
    response = answer_handshake(subscription(), VERIFY_TOKEN)

    assert (response.status, response.body) == (200, CHALLENGE.encode())


@pytest.mark.parametrize(
    "request_",
    [
        subscription(token="wrong-token"),
        subscription(mode="unsubscribe"),
        subscription(token=""),
        WebhookRequest(method="GET", query={"hub.challenge": CHALLENGE}),
        WebhookRequest(method="GET"),
    ],
)
def test_handshake_refuses_wrong_token_or_mode(request_):
    """A wrong token, a wrong mode or missing parameters get 403 and no challenge."""
    response = answer_handshake(request_, VERIFY_TOKEN)

    assert response.status == 403
    assert CHALLENGE.encode() not in response.body


def test_handshake_ignores_deliveries():
    """A POST is not a handshake: None, so the engine verifies and parses it."""
    assert answer_handshake(signed(DELIVERY), VERIFY_TOKEN) is None


def test_signature_over_escaped_unicode_is_accepted():
    """A body escaping Cyrillic and emoji as \\uXXXX verifies over its exact bytes."""
    body = body_of({"object": "instagram", "text": "Тестовая Клиентка \U0001f338"})
    assert b"\\u0422" in body
    assert b"\\ud83c" in body
    request = WebhookRequest(
        method="POST",
        headers={"x-hub-signature-256": signature(body)},
        body=body,
    )

    assert check_signature(request, APP_SECRET).ok


def test_missing_signature_is_401():
    """No X-Hub-Signature-256 header gives a 401 verdict."""
    verdict = check_signature(WebhookRequest(method="POST", body=DELIVERY), APP_SECRET)

    assert (verdict.ok, verdict.status) == (False, 401)


def test_signature_with_another_secret_is_forged():
    """A body signed with another secret gives a 403 verdict, naming no secret."""
    verdict = check_signature(signed(DELIVERY, "another-secret"), APP_SECRET)

    assert (verdict.ok, verdict.status) == (False, 403)
    assert APP_SECRET not in verdict.reason


def test_altered_body_is_forged():
    """Changing one byte after signing breaks the signature."""
    request = signed(body_of({"object": "instagram", "amount": "100"}))
    altered = WebhookRequest(
        method="POST",
        headers=request.headers,
        body=request.body.replace(b"100", b"900"),
    )

    assert check_signature(altered, APP_SECRET).status == 403


def test_body_re_encoded_after_signing_is_forged():
    """Decoding and re-encoding the escaped body breaks the signature: bytes matter."""
    request = signed(body_of({"object": "instagram", "text": "Привет"}))
    reencoded = request.body.decode("unicode_escape").encode("utf-8")
    assert reencoded != request.body

    altered = WebhookRequest(method="POST", headers=request.headers, body=reencoded)

    assert check_signature(altered, APP_SECRET).status == 403


@pytest.mark.parametrize(
    "header",
    [
        "sha1=0123456789abcdef0123456789abcdef01234567",
        "sha256=",
        "sha256=abc",
        "sha256=zz" + "0" * 62,
        "sha256=" + "ф" * 64,
        "sha256=" + "я" * 64,
        "md5=" + "0" * 64,
        "0" * 64,
    ],
)
def test_malformed_signature_is_forged_without_raising(header):
    """A header that is not sha256=<64 hex> gives 403, never an exception."""
    request = WebhookRequest(
        method="POST", headers={SIGNATURE_HEADER: header}, body=b"{}"
    )

    verdict = check_signature(request, APP_SECRET)

    assert (verdict.ok, verdict.status) == (False, 403)


def test_uppercase_hex_signature_is_accepted():
    """The hex digest is compared without regard to case."""
    header = "sha256=" + signature(DELIVERY).split("=", 1)[1].upper()
    request = WebhookRequest(
        method="POST", headers={SIGNATURE_HEADER: header}, body=DELIVERY
    )

    assert check_signature(request, APP_SECRET).ok
