"""The send APIs of the chat channels: what leadwire's replies go through.

Each mock accepts the provider's real request shape, keeps what was sent as a
:class:`SentMessage` (text and buttons, so that a dialogue can press them),
and enforces the 24-hour reply window of WhatsApp and Instagram with the
providers' own error answers.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Any

import attrs
import httpx

from leadwire_harness.providers.base import (
    Call,
    FaultQueue,
    SentMessage,
    json_body,
    reply,
)

__all__ = [
    "ChannelMock",
    "InstagramApi",
    "TelegramApi",
    "WebsiteCallback",
    "WhatsAppApi",
]

_WINDOW = timedelta(hours=24)


class ChannelMock:
    """What every channel mock shares: sent messages, calls, faults, the window."""

    provider = "channel"

    def __init__(self, channel: str, clock: Any) -> None:
        self.channel = channel
        self.clock = clock
        self.sent: list[SentMessage] = []
        self.calls: list[Call] = []
        self.faults = FaultQueue()
        self.turn = -1
        self._last_inbound: dict[str, datetime] = {}

    def client_wrote(self, conversation: str, moment: datetime) -> None:
        """Note that the client wrote at *moment*: the reply window opens."""
        last = self._last_inbound.get(conversation)
        if last is None or moment > last:
            self._last_inbound[conversation] = moment

    def window_closed(self, conversation: str) -> bool:
        last = self._last_inbound.get(conversation)
        return last is None or self.clock.now() - last > _WINDOW

    def last_buttons(self, conversation: str) -> tuple[tuple[str, str], ...]:
        for message in reversed(self.sent):
            if message.conversation == conversation and message.buttons:
                return message.buttons
        return ()

    def last_message_id(self, conversation: str) -> str | None:
        for message in reversed(self.sent):
            if message.conversation == conversation:
                return message.message_id
        return None

    def handle(self, request: httpx.Request) -> httpx.Response:
        body = json_body(request)
        operation = self.operation(request)
        failure = self.faults.take(operation)
        if failure is not None and failure.body is None and not failure.timeout:
            failure = attrs.evolve(failure, body=self.error_body(failure.status))
        try:
            response = reply(
                request, failure, lambda: self.answer(operation, body), self.clock
            )
        except httpx.TimeoutException:
            self._record(operation, body, 0, failure)
            raise
        self._record(operation, body, response.status_code, failure)
        return response

    def _record(self, operation: str, body: Any, status: int, failure: Any) -> None:
        name = failure.name if failure else None
        self.calls.append(Call(self.provider, operation, body, self.turn, status, name))

    def operation(self, request: httpx.Request) -> str:
        return "send"

    def error_body(self, status: int) -> object:
        """The provider's own error answer for an injected server error."""
        return {
            "error": {
                "message": "An unexpected error has occurred. Please retry.",
                "type": "OAuthException",
                "code": 2,
                "is_transient": True,
                "fbtrace_id": "AReplayTrace",
            }
        }

    def answer(self, operation: str, body: Any) -> httpx.Response:
        raise NotImplementedError

    def message_id(self, number: int) -> str:
        """The provider's id of our *number*-th sent message."""
        return f"{self.provider}-out-{number}"

    def _keep(self, conversation: str, text: str, **extra: Any) -> str:
        message_id = self.message_id(len(self.sent) + 1)
        self.sent.append(
            SentMessage(
                self.channel, conversation, text, message_id, self.turn, **extra
            )
        )
        return message_id


class WhatsAppApi(ChannelMock):
    """``POST /<version>/<phone_number_id>/messages`` of the Graph API."""

    provider = "whatsapp"

    def answer(self, operation: str, body: Any) -> httpx.Response:
        if not isinstance(body, dict) or body.get("messaging_product") != "whatsapp":
            return _graph_error(400, 100, "Invalid parameter", "OAuthException")
        to = str(body.get("to", ""))
        if self.window_closed(to):
            return _graph_error(
                400,
                131047,
                "Re-engagement message",
                "OAuthException",
                details="More than 24 hours have passed since the recipient last "
                "replied to the sender number.",
            )
        text, buttons = _whatsapp_content(body)
        if text is None:
            return _graph_error(400, 100, "Invalid parameter", "OAuthException")
        message_id = self._keep(to, text, buttons=buttons)
        return httpx.Response(
            200,
            json={
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": message_id}],
            },
        )

    def message_id(self, number: int) -> str:
        return f"wamid.HBgLreplay{number:04d}"


def _whatsapp_content(body: dict[str, Any]) -> tuple[str | None, tuple[Any, ...]]:
    kind = body.get("type")
    if kind == "text":
        return (body.get("text") or {}).get("body"), ()
    if kind == "interactive":
        interactive = body.get("interactive") or {}
        text = (interactive.get("body") or {}).get("text")
        action = interactive.get("action") or {}
        buttons = [
            (b["reply"]["id"], b["reply"]["title"]) for b in action.get("buttons", [])
        ]
        for section in action.get("sections", []):
            buttons += [(row["id"], row["title"]) for row in section.get("rows", [])]
        return text, tuple(buttons)
    if kind == "template":
        return f"template:{(body.get('template') or {}).get('name')}", ()
    return None, ()


class InstagramApi(ChannelMock):
    """``POST /<version>/<account>/messages`` of the Instagram Graph API."""

    provider = "instagram"

    def answer(self, operation: str, body: Any) -> httpx.Response:
        if not isinstance(body, dict):
            return _graph_error(400, 100, "Invalid parameter", "IGApiException")
        recipient = str((body.get("recipient") or {}).get("id", ""))
        if self.window_closed(recipient):
            return _graph_error(
                403,
                10,
                "This message is sent outside of allowed window.",
                "IGApiException",
                subcode=2534022,
            )
        message = body.get("message") or {}
        text = message.get("text")
        if not isinstance(text, str):
            return _graph_error(400, 100, "Invalid parameter", "IGApiException")
        buttons = tuple(
            (item.get("payload", ""), item.get("title", ""))
            for item in message.get("quick_replies", [])
        )
        message_id = self._keep(recipient, text, buttons=buttons)
        return httpx.Response(
            200, json={"recipient_id": recipient, "message_id": message_id}
        )

    def message_id(self, number: int) -> str:
        return f"mid.replay{number:04d}"


def _graph_error(
    status: int,
    code: int,
    message: str,
    kind: str,
    *,
    subcode: int | None = None,
    details: str | None = None,
) -> httpx.Response:
    error: dict[str, Any] = {
        "message": message,
        "type": kind,
        "code": code,
        "fbtrace_id": "AReplayTrace",
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    if details is not None:
        error["error_data"] = {"messaging_product": "whatsapp", "details": details}
    return httpx.Response(status, json={"error": error})


class TelegramApi(ChannelMock):
    """``POST /bot<token>/<method>`` of the Bot API."""

    provider = "telegram"

    def __init__(self, channel: str, clock: Any, token: str) -> None:
        super().__init__(channel, clock)
        self.token = token

    def operation(self, request: httpx.Request) -> str:
        return request.url.path.rsplit("/", 1)[-1]

    def handle(self, request: httpx.Request) -> httpx.Response:
        if f"/bot{self.token}/" not in request.url.path:
            return httpx.Response(
                401,
                json={"ok": False, "error_code": 401, "description": "Unauthorized"},
            )
        return super().handle(request)

    def error_body(self, status: int) -> object:
        return {
            "ok": False,
            "error_code": status,
            "description": "Internal Server Error",
        }

    def window_closed(self, conversation: str) -> bool:
        return False  # a bot may write to a user who started it, at any time

    def answer(self, operation: str, body: Any) -> httpx.Response:
        if operation != "sendMessage":
            return httpx.Response(200, json={"ok": True, "result": True})
        if not isinstance(body, dict) or not str(body.get("text", "")).strip():
            return httpx.Response(
                400,
                json={
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: message text is empty",
                },
            )
        chat = str(body.get("chat_id"))
        markup = body.get("reply_markup") or {}
        buttons = tuple(
            (button.get("callback_data", ""), button.get("text", ""))
            for row in markup.get("inline_keyboard", [])
            for button in row
        )
        asks_contact = any(
            button.get("request_contact")
            for row in markup.get("keyboard", [])
            for button in row
            if isinstance(button, dict)
        )
        message_id = self._keep(
            chat, body["text"], buttons=buttons, asks_contact=asks_contact
        )
        return httpx.Response(
            200,
            json={
                "ok": True,
                "result": {
                    "message_id": int(message_id),
                    "chat": {"id": body.get("chat_id"), "type": "private"},
                    "date": int(self.clock.now().timestamp()),
                    "text": body["text"],
                },
            },
        )

    def message_id(self, number: int) -> str:
        return str(9000 + number)


class WebsiteCallback(ChannelMock):
    """The site's backend at ``callback_url``: checks leadwire's signature."""

    provider = "website"

    def __init__(self, channel: str, clock: Any, secret: str) -> None:
        super().__init__(channel, clock)
        self.secret = secret
        self.bad_signatures = 0

    def window_closed(self, conversation: str) -> bool:
        return False  # the site shows replies whenever the visitor comes back

    def handle(self, request: httpx.Request) -> httpx.Response:
        stamp = request.headers.get("x-leadwire-timestamp", "")
        signature = request.headers.get("x-leadwire-signature", "")
        expected = hmac.new(
            self.secret.encode(), f"{stamp}.".encode() + request.content, hashlib.sha256
        ).hexdigest()
        if not hmac.compare_digest(expected, signature):
            self.bad_signatures += 1
            return httpx.Response(401, json={"error": "bad signature"})
        return super().handle(request)

    def error_body(self, status: int) -> object:
        return {"error": "internal error"}

    def answer(self, operation: str, body: Any) -> httpx.Response:
        if not isinstance(body, dict) or not isinstance(body.get("text"), str):
            return httpx.Response(400, json={"error": "text is required"})
        buttons = tuple(
            (button.get("payload", ""), button.get("title", ""))
            for button in body.get("buttons", [])
        )
        self._keep(
            str(body.get("session", "")),
            body["text"],
            buttons=buttons,
            asks_contact=bool(body.get("ask_phone")),
        )
        return httpx.Response(200, json={"ok": True})

    def message_id(self, number: int) -> str:
        return f"site-out-{number}"
