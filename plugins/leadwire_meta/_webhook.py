"""Meta's webhook handshake and request signature, shared by its messaging APIs.

Meta subscribes a callback URL with an unsigned GET carrying ``hub.mode``,
``hub.verify_token`` and ``hub.challenge``; every delivery after that is a POST
signed with ``X-Hub-Signature-256: sha256=<hex>``, an HMAC-SHA256 of the raw
body keyed with the app secret. WhatsApp and Instagram use both alike.
"""

from __future__ import annotations

import hmac
import re

from leadwire import Verification, WebhookRequest, WebhookResponse, hmac_sha256_matches

SIGNATURE_HEADER = "X-Hub-Signature-256"

_SIGNATURE = re.compile(r"sha256=([0-9a-fA-F]{64})")


def answer_handshake(
    request: WebhookRequest, verify_token: str
) -> WebhookResponse | None:
    """Answer Meta's subscription GET; return None for anything but a GET.

    The challenge goes back as it came, as plain text. A wrong mode or token
    gets 403 without saying which of the two was wrong.
    """
    if request.method.upper() != "GET":
        return None

    mode = request.query.get("hub.mode", "")
    token = request.query.get("hub.verify_token", "")
    challenge = request.query.get("hub.challenge", "")

    token_matches = hmac.compare_digest(token.encode(), verify_token.encode())
    if mode != "subscribe" or not token_matches:
        return WebhookResponse(status=403, body=b"verification failed")

    return WebhookResponse(status=200, body=challenge.encode())


def check_signature(request: WebhookRequest, app_secret: str) -> Verification:
    """Check ``X-Hub-Signature-256`` against the raw body, in constant time.

    The body is hashed exactly as received: Meta escapes non-ASCII as
    ``\\uXXXX``, so decoding and re-encoding it would break every signature.
    """
    header = request.header(SIGNATURE_HEADER)
    if header is None or not header.strip():
        return Verification.missing(f"the {SIGNATURE_HEADER} header is missing")

    match = _SIGNATURE.fullmatch(header.strip())
    if match is None:
        return Verification.forged(
            f"the {SIGNATURE_HEADER} header is not of the form sha256=<64 hex digits>"
        )

    if not hmac_sha256_matches(app_secret.encode(), request.body, match.group(1)):
        return Verification.forged(
            f"the {SIGNATURE_HEADER} signature does not match the body; "
            "check that app_secret is the secret of the app Meta delivers for"
        )
    return Verification.accept()
