"""Instagram Direct: the ``instagram`` channel of leadwire.

Receives Meta's Instagram messaging webhook deliveries, checks their signature,
and sends replies and consent requests through the Instagram Graph API.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from leadwire import Channel, ConnectorType, hookimpl
from leadwire_instagram._channel import InstagramChannel, InstagramSettings

__all__ = ["InstagramChannel", "InstagramSettings", "leadwire_register_channels"]


@hookimpl
def leadwire_register_channels(
    register: Callable[[ConnectorType[Any, Channel]], None],
) -> None:
    """Offer the ``instagram`` channel kind."""
    register(
        ConnectorType(
            "instagram",
            InstagramSettings,
            InstagramChannel,
            "Instagram Direct messages",
        )
    )
