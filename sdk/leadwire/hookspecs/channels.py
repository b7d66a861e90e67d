"""Hooks of the channel family: WhatsApp, Instagram Direct, Telegram, websites."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from leadwire.connectors import Channel, ConnectorType
from leadwire.markers import hookspec

# ---------------------------------------------------------------------------
# Registration: called once when the plugins are loaded.


@hookspec
def leadwire_register_channels(
    register: Callable[[ConnectorType[Any, Channel]], None],
) -> None:
    """Register the kinds of chat channel a plugin offers.

    :param register: Call it once per kind with a
        :class:`~leadwire.connectors.ConnectorType` whose ``create`` returns a
        :class:`~leadwire.connectors.Channel`. Names are unique across plugins.

    The return value is ignored.

    Example::

        @hookimpl
        def leadwire_register_channels(register):
            register(ConnectorType("vk", VkSettings, VkChannel, "VK messages"))
    """
