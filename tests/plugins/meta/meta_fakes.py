"""Invented credentials and endpoints for the tests of Meta's shared code."""

from __future__ import annotations

from typing import Any

from leadwire_instagram import InstagramChannel, InstagramSettings
from leadwire_meta import MetaChannel
from leadwire_whatsapp import WhatsAppChannel, WhatsAppSettings

ACCESS_TOKEN = "EAAtestMetaSharedTokenNotRealXYZ0123456789"
APP_SECRET = "test-app-secret-for-meta"
VERIFY_TOKEN = "test-verify-token-meta"
TOKEN_ENV = "TEST_META_ACCESS_TOKEN"
CLIENT = "79990001122"

#: Each channel: its classes, its own settings, its messages endpoint.
CHANNELS: dict[str, tuple[type[MetaChannel[Any]], type, dict[str, str], str]] = {
    "whatsapp": (
        WhatsAppChannel,
        WhatsAppSettings,
        {"phone_number_id": "100200300400500"},
        "https://graph.facebook.com/v23.0/100200300400500/messages",
    ),
    "instagram": (
        InstagramChannel,
        InstagramSettings,
        {},
        "https://graph.instagram.com/v23.0/me/messages",
    ),
}
