"""The keys the engine derives from the vault key, and sealing records with them.

One secret (``storage.vault_key``) is configured; the engine derives a
separate key for each use with HKDF, so the pseudonymous client ids, the
sealed records and the pseudonym vault never share a key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from leadwire.errors import LeadwireError
from leadwire.models import ClientId

__all__ = ["Keys", "SealError"]


class SealError(LeadwireError):
    """A sealed record cannot be opened: another vault key, or damaged data."""


def _derive(secret: bytes, purpose: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"leadwire", info=purpose
    ).derive(secret)


class Keys:
    """Keys derived from the vault key.

    :param vault_key: The configured Fernet key of the pseudonym vault.
    """

    def __init__(self, vault_key: str) -> None:
        secret = vault_key.encode()
        self._client_key = _derive(secret, b"client id")
        self._phone_key = _derive(secret, b"phone lookup")
        self._fernet = Fernet(base64.urlsafe_b64encode(_derive(secret, b"records")))

    def client_id(self, channel: str, conversation: str) -> ClientId:
        """The pseudonymous id of a channel's conversation."""
        return ClientId.derive(self._client_key, channel, conversation)

    def phone_hash(self, phone: str) -> str:
        """A keyed hash of an E.164 phone: finds a client by phone, reveals none."""
        return hmac.new(self._phone_key, phone.encode(), hashlib.sha256).hexdigest()

    def seal(self, document: Any) -> bytes:
        """A JSON document, encrypted and authenticated."""
        return self._fernet.encrypt(json.dumps(document, ensure_ascii=False).encode())

    def open(self, blob: bytes) -> Any:
        """The document sealed in *blob*."""
        try:
            return json.loads(self._fernet.decrypt(blob))
        except (InvalidToken, TypeError, ValueError):
            raise SealError(
                "a sealed record cannot be opened: the vault key changed, or the "
                "data is damaged"
            ) from None
