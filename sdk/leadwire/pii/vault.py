"""Keeping a client's placeholder map encrypted, apart from the texts."""

from __future__ import annotations

import json

from cryptography.fernet import Fernet, InvalidToken

from leadwire.errors import LeadwireError
from leadwire.pii.placeholders import PlaceholderMap

__all__ = ["Vault", "VaultError"]

_FORMAT = 1


class VaultError(LeadwireError):
    """A sealed map cannot be opened: wrong key, or damaged data."""


class Vault:
    """Seals a :class:`PlaceholderMap` with Fernet (AES-128-CBC and HMAC-SHA256).

    :param key: A Fernet key, as made by ``Fernet.generate_key()``; leadwire
        reads it from ``LEADWIRE_VAULT_KEY`` (``storage.vault_key``).
    """

    def __init__(self, key: str | bytes) -> None:
        try:
            self._fernet = Fernet(key)
        except (ValueError, TypeError):
            raise VaultError(
                "the vault key is not a Fernet key (32 url-safe base64-encoded "
                "bytes); make one with `leadwire init` or Fernet.generate_key()"
            ) from None

    def seal(self, mapping: PlaceholderMap) -> bytes:
        """The map, encrypted and authenticated."""
        document = {"format": _FORMAT, "placeholders": mapping.to_records()}
        return self._fernet.encrypt(json.dumps(document).encode("utf-8"))

    def open(self, blob: bytes) -> PlaceholderMap:
        """The map sealed in *blob*; raise VaultError if it cannot be read."""
        try:
            plain = self._fernet.decrypt(blob)
        except (InvalidToken, TypeError):
            raise VaultError(
                "the sealed map cannot be opened: another vault key, or damaged data"
            ) from None
        try:
            document = json.loads(plain)
            if document.get("format") != _FORMAT:
                raise ValueError("unknown vault format")
            return PlaceholderMap.from_records(document["placeholders"])
        except (ValueError, KeyError, AttributeError) as error:
            raise VaultError(f"the sealed map is malformed: {error}") from None
