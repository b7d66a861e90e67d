"""Signing requests between leadwire and a website's backend.

Both directions use the same recipe: HMAC-SHA256, keyed with the shared
secret, over the timestamp (Unix seconds, as decimal digits), a dot, and the
raw body bytes. The timestamp goes in ``X-Leadwire-Timestamp`` and the
lower-case hex digest in ``X-Leadwire-Signature``. Signing the timestamp lets
the receiver refuse an old request replayed by someone who recorded it.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from leadwire import Verification, WebhookRequest, hmac_sha256_matches

__all__ = [
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "check_signature",
    "sign",
    "signed_headers",
]

TIMESTAMP_HEADER = "X-Leadwire-Timestamp"
SIGNATURE_HEADER = "X-Leadwire-Signature"


def _signed_bytes(timestamp: int | str, body: bytes) -> bytes:
    return f"{timestamp}.".encode() + body


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The hex signature of *body* sent at *timestamp* (Unix seconds)."""
    digest = hmac.new(secret.encode(), _signed_bytes(timestamp, body), hashlib.sha256)
    return digest.hexdigest()


def signed_headers(secret: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The two headers that authenticate *body*."""
    return {
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(secret, timestamp, body),
    }


def check_signature(
    request: WebhookRequest,
    secret: str,
    now: datetime,
    max_age_seconds: int,
    future_skew_seconds: int,
) -> Verification:
    """Tell whether *request* is signed with *secret* and fresh at *now*.

    Missing headers are 401; a wrong signature, a malformed timestamp, or one
    too old or too far ahead is 403. Nothing here raises.
    """
    stamp = request.header(TIMESTAMP_HEADER)
    signature = request.header(SIGNATURE_HEADER)
    if not stamp or not signature:
        return Verification.missing(
            f"{TIMESTAMP_HEADER} and {SIGNATURE_HEADER} are both required"
        )

    if not (stamp.isascii() and stamp.isdigit()):
        return Verification.forged(f"{TIMESTAMP_HEADER} is not Unix seconds")
    if not _matches(secret, stamp, request.body, signature):
        return Verification.forged(f"{SIGNATURE_HEADER} does not match the body")

    age = now.timestamp() - int(stamp)
    if age > max_age_seconds:
        return Verification.forged(f"signed {int(age)} s ago, more than allowed")
    if -age > future_skew_seconds:
        return Verification.forged("signed in the future: check the site's clock")
    return Verification.accept()


def _matches(secret: str, stamp: str, body: bytes, signature: str) -> bool:
    """Compare in constant time; a non-ASCII signature cannot be a hex digest."""
    if not signature.isascii():
        return False
    return hmac_sha256_matches(secret.encode(), _signed_bytes(stamp, body), signature)
