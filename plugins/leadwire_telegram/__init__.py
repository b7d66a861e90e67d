"""leadwire's Telegram channel: a bot on the Telegram Bot API, fed by webhook.

Configure it as ``[channels.<name>]`` with ``plugin = "telegram"``; see
``docs/plugins/telegram.md`` for the settings and the webhook setup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from leadwire import ConnectorType, hookimpl
from leadwire_telegram.channel import SECRET_HEADER, TelegramChannel
from leadwire_telegram.settings import TelegramSettings

__all__ = ["SECRET_HEADER", "TelegramChannel", "TelegramSettings"]


@hookimpl
def leadwire_register_channels(
    register: Callable[[ConnectorType[Any, Any]], None],
) -> None:
    """Offer the ``telegram`` channel kind."""
    register(
        ConnectorType("telegram", TelegramSettings, TelegramChannel, "Telegram Bot API")
    )
