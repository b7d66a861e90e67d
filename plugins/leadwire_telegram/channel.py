"""The Telegram channel: a bot that receives updates by webhook and answers them."""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from typing import Any

from leadwire import (
    ConfigError,
    ConnectorContext,
    ConsentPrompt,
    DataFlow,
    InboundEvent,
    OutboundMessage,
    RejectedError,
    SendReceipt,
    Verification,
    WebhookRequest,
    WebhookResponse,
    split_text,
)
from leadwire_telegram._api import BotApi
from leadwire_telegram._parse import parse_update
from leadwire_telegram.settings import TelegramSettings

__all__ = ["SECRET_HEADER", "TELEGRAM_TEXT_LIMIT", "TelegramChannel", "utf16_length"]

#: The header in which Telegram repeats the webhook's ``secret_token``.
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

#: The most bytes a button's ``callback_data`` may hold.
CALLBACK_DATA_LIMIT = 64

#: The most a sendMessage text may hold, in UTF-16 code units.
TELEGRAM_TEXT_LIMIT = 4096


def utf16_length(text: str) -> int:
    """The length of *text* as Telegram counts it: an astral emoji counts twice."""
    return len(text.encode("utf-16-le")) // 2


class TelegramChannel:
    """A Telegram bot as a leadwire channel (implements :class:`leadwire.Channel`)."""

    def __init__(self, settings: TelegramSettings, context: ConnectorContext) -> None:
        self._settings = settings
        self._context = context
        self._api = BotApi(settings, context)

    async def handshake(self, request: WebhookRequest) -> WebhookResponse | None:
        """Telegram has no verification request: nothing to answer."""
        return None

    def verify(self, request: WebhookRequest) -> Verification:
        """Compare the secret-token header with the configured one, in constant time."""
        offered = request.header(SECRET_HEADER)
        if not offered:
            return Verification.missing(f"no {SECRET_HEADER} header")

        try:
            expected = self._settings.secret_token.reveal()
        except ConfigError:
            return Verification.forged("the secret token's variable is not set")
        if not hmac.compare_digest(offered.encode(), expected.encode()):
            return Verification.forged(f"{SECRET_HEADER} does not match")
        return Verification.accept()

    def parse(self, request: WebhookRequest) -> Sequence[InboundEvent]:
        """Turn one update into its one event; ValueError if the body is malformed."""
        received_at = self._context.clock.now()
        return [parse_update(request.body, self._context.name, received_at)]

    async def send(self, message: OutboundMessage) -> SendReceipt:
        """Send the text in parts of at most 4096; buttons go under the last part."""
        markup = _inline_keyboard(message.buttons, self._context.name)
        reply = None
        if message.reply_to is not None:
            reply = {
                "message_id": _chat_id(message.reply_to),
                "allow_sending_without_reply": True,
            }
        return await self._send_text(message.conversation, message.text, markup, reply)

    async def send_consent_request(
        self, conversation: str, prompt: ConsentPrompt
    ) -> SendReceipt:
        """Send the consent text with agree/refuse buttons, then the phone button.

        Agree and refuse are inline buttons, so the answer comes back as a
        BUTTON event with the prompt's payload. Telegram's contact button only
        exists on a reply keyboard, which cannot share a message with inline
        buttons: it goes in a second, short message, in private chats only.
        """
        markup = _inline_keyboard((prompt.agree, prompt.refuse), self._context.name)
        receipt = await self._send_text(conversation, prompt.text, markup)

        wants_phone = prompt.ask_phone or self._settings.ask_phone
        if not (wants_phone and _is_private_chat(conversation)):
            return receipt
        phone = await self._send_text(
            conversation, self._settings.phone_request_text, self._contact_keyboard()
        )
        return SendReceipt(receipt.message_ids + phone.message_ids)

    def data_flows(self) -> Sequence[DataFlow]:
        """Everything the client writes passes through Telegram's servers."""
        return [
            DataFlow(
                data=(
                    "Telegram user id",
                    "name",
                    "phone",
                    "message text",
                    "attachments",
                    "location",
                ),
                recipient="Telegram (Bot API)",
                location="unknown",
                purpose="exchanging messages with the client in Telegram",
                pseudonymised=False,
            )
        ]

    async def aclose(self) -> None:
        """Nothing to release: the HTTP client is shared and closed by leadwire."""

    # -- sending -------------------------------------------------------------

    async def _send_text(
        self,
        conversation: str,
        text: str,
        markup: dict[str, Any] | None,
        reply: dict[str, Any] | None = None,
    ) -> SendReceipt:
        parts = split_text(text, TELEGRAM_TEXT_LIMIT, measure=utf16_length)
        if not parts:
            raise RejectedError(
                "cannot send an empty message to Telegram", connector=self._context.name
            )

        # XXX: a failure after the first part leaves the earlier parts sent; a
        # retry of the whole message repeats them.
        sent = []
        for index, part in enumerate(parts):
            body: dict[str, Any] = {"chat_id": _chat_id(conversation), "text": part}
            if index == 0 and reply is not None:
                body["reply_parameters"] = reply
            if index == len(parts) - 1 and markup is not None:
                body["reply_markup"] = markup
            result = await self._api.call("sendMessage", body)
            sent.append(_message_id(result))

        self._context.logger.debug(
            "sent %d Telegram message(s) to a conversation", len(sent)
        )
        return SendReceipt(tuple(sent))

    def _contact_keyboard(self) -> dict[str, Any]:
        button = {"text": self._settings.phone_button_text, "request_contact": True}
        return {
            "keyboard": [[button]],
            "resize_keyboard": True,
            "one_time_keyboard": True,
        }


def _inline_keyboard(
    buttons: Sequence[tuple[str, str]], connector: str
) -> dict[str, Any] | None:
    """One button per row (titles can be long); payloads must fit callback_data."""
    if not buttons:
        return None
    rows = []
    for number, (payload, title) in enumerate(buttons, start=1):
        size = len(payload.encode())
        if not 1 <= size <= CALLBACK_DATA_LIMIT:
            raise RejectedError(
                f"button {number}'s payload is {size} bytes; Telegram takes 1 to "
                f"{CALLBACK_DATA_LIMIT} bytes of callback_data: shorten it",
                connector=connector,
            )
        if not title.strip():
            raise RejectedError(
                f"button {number} has no title; Telegram needs one",
                connector=connector,
            )
        rows.append([{"text": title, "callback_data": payload}])
    return {"inline_keyboard": rows}


def _chat_id(value: str) -> int | str:
    """Telegram chat and message ids are integers; "@channel" names stay text."""
    try:
        return int(value)
    except ValueError:
        return value


def _is_private_chat(conversation: str) -> bool:
    """Private chats have the user's (positive) id; groups and channels negative."""
    chat_id = _chat_id(conversation)
    return isinstance(chat_id, int) and chat_id > 0


def _message_id(result: Any) -> str:
    if isinstance(result, dict) and "message_id" in result:
        return str(result["message_id"])
    return ""
