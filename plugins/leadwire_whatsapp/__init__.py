"""WhatsApp Business Cloud API: the ``whatsapp`` channel of leadwire.

Receives Meta's webhook deliveries (messages and delivery statuses), checks
their signature, and sends replies and consent requests through the Graph API.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from leadwire import Channel, ConnectorType, hookimpl
from leadwire_whatsapp._channel import WhatsAppChannel, WhatsAppSettings

__all__ = ["WhatsAppChannel", "WhatsAppSettings", "leadwire_register_channels"]


@hookimpl
def leadwire_register_channels(
    register: Callable[[ConnectorType[Any, Channel]], None],
) -> None:
    """Offer the ``whatsapp`` channel kind."""
    register(
        ConnectorType(
            "whatsapp", WhatsAppSettings, WhatsAppChannel, "WhatsApp Business Cloud API"
        )
    )
