"""The settings table of a Telegram channel."""

from __future__ import annotations

import attrs

from leadwire import Secret

__all__ = ["TelegramSettings"]


@attrs.frozen
class TelegramSettings:
    """How leadwire reaches one Telegram bot.

    :param bot_token: The token @BotFather gave the bot.
    :param secret_token: The ``secret_token`` passed to ``setWebhook``; every
        update must carry it in ``X-Telegram-Bot-Api-Secret-Token``.
    :param api_base: The Bot API server; change it for a local Bot API server.
    :param ask_phone: Offer a "share my phone" button with every consent request.
    :param phone_request_text: The message that carries the phone button.
    :param phone_button_text: The title of the phone button.
    """

    bot_token: Secret
    secret_token: Secret
    api_base: str = "https://api.telegram.org"
    ask_phone: bool = False
    phone_request_text: str = (
        "Чтобы администратор мог вам перезвонить, отправьте номер кнопкой ниже."
    )
    phone_button_text: str = "Отправить номер телефона"
