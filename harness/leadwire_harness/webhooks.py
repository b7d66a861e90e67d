"""Building the webhook deliveries a provider would send for each turn.

WhatsApp and Instagram bodies are signed with ``X-Hub-Signature-256`` over
the exact bytes (JSON with non-ASCII escaped, as Meta sends it); Telegram
updates carry the secret token header. Each builder remembers the requests it
made, so that a REPEAT turn delivers the very same bytes again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import zlib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import attrs

from leadwire import WebhookRequest
from leadwire_harness.dialogue import Dialogue, Persona, Turn, TurnKind
from leadwire_harness.providers.channels import ChannelMock

__all__ = ["Delivery", "DeliveryError", "Inbound", "channel_identity", "inbound_for"]


class DeliveryError(ValueError):
    """A turn cannot be delivered on this channel (or its button is missing)."""


@attrs.frozen
class Delivery:
    """One webhook request, and whether it is something the client did."""

    request: WebhookRequest
    from_client: bool
    message_id: str | None = None
    written_at: datetime | None = None


def channel_identity(dialogue: Dialogue) -> str:
    """The client's id on the dialogue's channel.

    WhatsApp's is the phone's digits; others are stable numbers derived from
    the dialogue's name, so every replay of a dialogue sees the same client.
    """
    persona = dialogue.persona
    if persona.channel_id:
        return persona.channel_id
    if dialogue.channel == "whatsapp" and persona.phone:
        digits = re.sub(r"\D", "", persona.phone)
        return "7" + digits[1:] if len(digits) == 11 and digits[0] == "8" else digits
    seed = zlib.crc32(dialogue.name.encode())
    if dialogue.channel == "whatsapp":
        return f"7999{seed % 10_000_000:07d}"
    if dialogue.channel == "instagram":
        return f"17841{seed:011d}"[:17]
    if dialogue.channel == "telegram":
        return str(5_000_000_000 + seed)
    return f"visitor-{seed:08x}"


def _sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _meta_bytes(document: Any) -> bytes:
    """JSON as Meta sends it: compact, non-ASCII escaped as \\uXXXX."""
    return json.dumps(document, ensure_ascii=True, separators=(",", ":")).encode()


class Inbound:
    """Builds the deliveries of one channel for one dialogue.

    :param channel_mock: The mocked send API: the last message we sent and
        its buttons (a press needs them).
    :param secrets: The channel's webhook secrets by name.
    :param consent_titles: Titles of the agree and refuse buttons, so that
        ``press: agree`` finds the right one.
    """

    def __init__(
        self,
        dialogue: Dialogue,
        channel_mock: ChannelMock,
        clock: Any,
        secrets: dict[str, str],
        consent_titles: tuple[str, str],
        consent_version: str = "1",
    ) -> None:
        self.dialogue = dialogue
        self.consent_version = consent_version
        self.persona: Persona = dialogue.persona
        self.identity = channel_identity(dialogue)
        self.sent = channel_mock
        self.clock = clock
        self.secrets = secrets
        self.consent_titles = consent_titles
        self._by_turn: dict[int, Delivery] = {}
        self._number = 0
        self._delayed = 0.0  # of the turn being built
        self._label = ""  # of the turn being built, for errors

    def build(self, turn: Turn) -> Delivery:
        """The delivery of *turn*; a REPEAT gives the target's bytes again."""
        if turn.kind is TurnKind.REPEAT:
            assert turn.target is not None
            original = self._by_turn.get(self.dialogue.turn(turn.target).index)
            if original is None:
                raise DeliveryError(
                    f"{turn.label} repeats {turn.target!r}, which was never delivered"
                )
            return self.again(original)
        builder = getattr(self, f"_{turn.kind.value}", None)
        if builder is None:
            raise DeliveryError(
                f"{turn.label}: {self.dialogue.channel} has no {turn.kind.value} events"
            )
        self._number += 1
        self._delayed = turn.delayed
        self._label = turn.label
        written_at = self.clock.now() - timedelta(seconds=turn.delayed)
        delivery = attrs.evolve(builder(turn), written_at=written_at)
        self._by_turn[turn.index] = delivery
        return delivery

    def again(self, delivery: Delivery) -> Delivery:
        """*delivery* as the provider sends it again: the very same bytes."""
        return delivery

    def message_id_of(self, turn_id: str) -> str | None:
        return self._by_turn[self.dialogue.turn(turn_id).index].message_id

    @property
    def seconds(self) -> int:
        """When the event being built happened, in Unix seconds."""
        return int(self.clock.now().timestamp() - self._delayed)

    def button(self, turn: Turn) -> tuple[str, str]:
        """The (payload, title) of the button the client presses."""
        buttons = self.sent.last_buttons(self.identity)
        wanted = turn.press or ""
        titles = {"agree": self.consent_titles[0], "refuse": self.consent_titles[1]}
        title = titles.get(wanted, wanted)
        for payload, shown in buttons:
            if shown.casefold() == title.casefold():
                return payload, shown
        position = {"agree": 0, "refuse": 1}.get(wanted)
        if position is not None and len(buttons) == 2:
            return buttons[position]
        shown = ", ".join(repr(button_title) for _, button_title in buttons) or "none"
        raise DeliveryError(
            f"{turn.label} presses {wanted!r}, but the last buttons sent to the "
            f"client were: {shown}"
        )

    def target_message(self) -> str:
        """The last message we sent: what statuses and reactions refer to."""
        message_id = self.sent.last_message_id(self.identity)
        if message_id is None:
            raise DeliveryError(
                f"{self._label}: a status or reaction needs a message sent first"
            )
        return message_id


# --------------------------------------------------------------------------
# WhatsApp


class WhatsAppInbound(Inbound):
    """Deliveries of the WhatsApp Cloud API webhook."""

    business_number = "15550001111"

    def _deliver(self, value: dict[str, Any], message_id: str | None) -> Delivery:
        value = {
            "messaging_product": "whatsapp",
            "metadata": {
                "display_phone_number": self.business_number,
                "phone_number_id": self.secrets.get(
                    "phone_number_id", "100000000000001"
                ),
            },
            **value,
        }
        document = {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "200000000000002",
                    "changes": [{"field": "messages", "value": value}],
                }
            ],
        }
        body = _meta_bytes(document)
        headers = {
            "content-type": "application/json",
            "x-hub-signature-256": _sign(self.secrets["app_secret"], body),
        }
        request = WebhookRequest("POST", "", {}, headers, body)
        return Delivery(request, "messages" in value, message_id)

    def _message(self, turn: Turn, kind: str, content: dict[str, Any]) -> Delivery:
        message_id = f"wamid.HBgLclient{self._number:04d}{turn.index:03d}"
        message = {
            "from": self.identity,
            "id": message_id,
            "timestamp": str(self.seconds),
            "type": kind,
            **content,
        }
        profile = {"wa_id": self.identity}
        if self.persona.profile_name:
            profile["profile"] = {"name": self.persona.profile_name}
        return self._deliver({"contacts": [profile], "messages": [message]}, message_id)

    def _text(self, turn: Turn) -> Delivery:
        return self._message(turn, "text", {"text": {"body": turn.text}})

    def _press(self, turn: Turn) -> Delivery:
        payload, title = self.button(turn)
        return self._message(
            turn,
            "interactive",
            {
                "context": {"from": self.business_number, "id": self.target_message()},
                "interactive": {
                    "type": "button_reply",
                    "button_reply": {"id": payload, "title": title},
                },
            },
        )

    def _contact(self, turn: Turn) -> Delivery:
        card = {
            "name": {"formatted_name": turn.contact["name"]},
            "phones": [{"phone": turn.contact["phone"], "type": "CELL"}],
        }
        return self._message(turn, "contacts", {"contacts": [card]})

    def _media(self, turn: Turn) -> Delivery:
        kind = "audio" if turn.media == "voice" else turn.media or "image"
        mime = _MIME[turn.media or "image"]
        content: dict[str, Any] = {
            "mime_type": mime,
            "sha256": hashlib.sha256(f"{turn.index}".encode()).hexdigest(),
            "id": f"3000000000{turn.index:05d}",
        }
        if turn.media == "voice":
            content["voice"] = True
        if turn.text:
            content["caption"] = turn.text
        return self._message(turn, kind, {kind: content})

    def _reaction(self, turn: Turn) -> Delivery:
        reaction = {"message_id": self.target_message(), "emoji": turn.emoji or ""}
        return self._message(turn, "reaction", {"reaction": reaction})

    def _status(self, turn: Turn) -> Delivery:
        status: dict[str, Any] = {
            "id": self.target_message(),
            "status": turn.status,
            "timestamp": str(self.seconds),
            "recipient_id": self.identity,
        }
        if turn.status == "failed":
            status["errors"] = [{"code": 131026, "title": "Message undeliverable"}]
        return self._deliver({"statuses": [status]}, None)


_MIME = {
    "image": "image/jpeg",
    "voice": "audio/ogg; codecs=opus",
    "audio": "audio/mpeg",
    "video": "video/mp4",
    "document": "application/pdf",
    "sticker": "image/webp",
}


# --------------------------------------------------------------------------
# Instagram


class InstagramInbound(Inbound):
    """Deliveries of the Instagram messaging webhook."""

    account = "17841400000000001"

    def _deliver(self, item: dict[str, Any], message_id: str | None) -> Delivery:
        milliseconds = self.seconds * 1000
        item = {
            "sender": {"id": self.identity},
            "recipient": {"id": self.account},
            "timestamp": milliseconds,
            **item,
        }
        document = {
            "object": "instagram",
            "entry": [{"id": self.account, "time": milliseconds, "messaging": [item]}],
        }
        body = _meta_bytes(document)
        headers = {
            "content-type": "application/json",
            "x-hub-signature-256": _sign(self.secrets["app_secret"], body),
        }
        request = WebhookRequest("POST", "", {}, headers, body)
        client = not any(key in item for key in ("read", "delivery"))
        return Delivery(request, client, message_id)

    def _mid(self, turn: Turn) -> str:
        return f"aWdfZAG1faXRlbTox{self._number:04d}{turn.index:03d}"

    def _text(self, turn: Turn) -> Delivery:
        mid = self._mid(turn)
        return self._deliver({"message": {"mid": mid, "text": turn.text}}, mid)

    def _press(self, turn: Turn) -> Delivery:
        payload, title = self.button(turn)
        mid = self._mid(turn)
        message = {"mid": mid, "text": title, "quick_reply": {"payload": payload}}
        return self._deliver({"message": message}, mid)

    def _media(self, turn: Turn) -> Delivery:
        mid = self._mid(turn)
        kind = {"voice": "audio", "document": "file"}.get(turn.media or "", turn.media)
        url = f"https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id={turn.index}"
        message: dict[str, Any] = {
            "mid": mid,
            "attachments": [{"type": kind, "payload": {"url": url}}],
        }
        if turn.text:
            message["text"] = turn.text
        return self._deliver({"message": message}, mid)

    def _edit(self, turn: Turn) -> Delivery:
        assert turn.target is not None
        mid = self.message_id_of(turn.target)
        edit = {"mid": mid, "text": turn.text, "num_edit": 1}
        return self._deliver({"message_edit": edit}, mid)

    def _reaction(self, turn: Turn) -> Delivery:
        reaction = {
            "mid": self.target_message(),
            "action": "react" if turn.emoji else "unreact",
            "reaction": "other",
            "emoji": turn.emoji or "",
        }
        return self._deliver({"reaction": reaction}, None)

    def _status(self, turn: Turn) -> Delivery:
        if turn.status == "read":
            return self._deliver({"read": {"mid": self.target_message()}}, None)
        raise DeliveryError(f"{turn.label}: Instagram reports only read statuses")


# --------------------------------------------------------------------------
# Telegram


class TelegramInbound(Inbound):
    """Updates of the Telegram Bot API webhook."""

    def _user(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": int(self.identity), "is_bot": False}
        user["first_name"] = self.persona.profile_name or "Гость"
        return user

    def _chat(self) -> dict[str, Any]:
        return {"id": int(self.identity), "type": "private"}

    def _deliver(self, update: dict[str, Any], message_id: str | None) -> Delivery:
        document = {"update_id": 700_000 + self._number, **update}
        body = json.dumps(document, ensure_ascii=False).encode()
        headers = {
            "content-type": "application/json",
            "x-telegram-bot-api-secret-token": self.secrets["secret_token"],
        }
        request = WebhookRequest("POST", "", {}, headers, body)
        return Delivery(request, True, message_id)

    def _message(self, turn: Turn, content: dict[str, Any]) -> Delivery:
        message_id = 100 + self._number
        message = {
            "message_id": message_id,
            "from": self._user(),
            "chat": self._chat(),
            "date": self.seconds,
            **content,
        }
        return self._deliver({"message": message}, str(message_id))

    def _text(self, turn: Turn) -> Delivery:
        return self._message(turn, {"text": turn.text})

    def _press(self, turn: Turn) -> Delivery:
        payload, _ = self.button(turn)
        query = {
            "id": f"48000000000{self._number:04d}",
            "from": self._user(),
            "message": {
                "message_id": int(self.target_message()),
                "chat": self._chat(),
                "date": self.seconds,
                "text": "…",
            },
            "chat_instance": "-100200300400",
            "data": payload,
        }
        return self._deliver({"callback_query": query}, None)

    def _contact(self, turn: Turn) -> Delivery:
        contact = {
            "phone_number": turn.contact["phone"],
            "first_name": turn.contact["name"],
            "user_id": int(self.identity),
        }
        return self._message(turn, {"contact": contact})

    def _media(self, turn: Turn) -> Delivery:
        file = {
            "file_id": f"AgAC{turn.index:04d}",
            "file_unique_id": f"AQAD{turn.index}",
        }
        content: dict[str, Any]
        if turn.media == "image":
            content = {"photo": [{**file, "width": 1280, "height": 960}]}
        elif turn.media == "voice":
            content = {"voice": {**file, "duration": 7, "mime_type": "audio/ogg"}}
        else:
            content = {
                turn.media or "document": {
                    **file,
                    "mime_type": _MIME[turn.media or "document"],
                }
            }
        if turn.text:
            content["caption"] = turn.text
        return self._message(turn, content)

    def _edit(self, turn: Turn) -> Delivery:
        assert turn.target is not None
        original = self.message_id_of(turn.target)
        message = {
            "message_id": int(original or 0),
            "from": self._user(),
            "chat": self._chat(),
            "date": self.seconds - 60,
            "edit_date": self.seconds,
            "text": turn.text,
        }
        return self._deliver({"edited_message": message}, original)

    def _reaction(self, turn: Turn) -> Delivery:
        new = [{"type": "emoji", "emoji": turn.emoji}] if turn.emoji else []
        reaction = {
            "chat": self._chat(),
            "message_id": int(self.target_message()),
            "user": self._user(),
            "date": self.seconds,
            "old_reaction": [],
            "new_reaction": new,
        }
        return self._deliver({"message_reaction": reaction}, None)


# --------------------------------------------------------------------------
# Website


class WebsiteInbound(Inbound):
    """Posts of a site's backend, signed over the timestamp and the body."""

    def _deliver(self, post: dict[str, Any]) -> Delivery:
        message_id = f"form-{self._number:04d}"
        document = {"session": self.identity, "message_id": message_id, **post}
        body = json.dumps(document, ensure_ascii=False).encode()
        return Delivery(self._signed(body, self.seconds), True, message_id)

    def _signed(self, body: bytes, seconds: int) -> WebhookRequest:
        stamp = str(seconds)
        signature = hmac.new(
            self.secrets["secret"].encode(), f"{stamp}.".encode() + body, hashlib.sha256
        ).hexdigest()
        headers = {
            "content-type": "application/json; charset=utf-8",
            "x-leadwire-timestamp": stamp,
            "x-leadwire-signature": signature,
        }
        return WebhookRequest("POST", "", {}, headers, body)

    def again(self, delivery: Delivery) -> Delivery:
        """The site's backend signs a retried post anew: same body, fresh time."""
        now = int(self.clock.now().timestamp())
        return attrs.evolve(delivery, request=self._signed(delivery.request.body, now))

    def _text(self, turn: Turn) -> Delivery:
        return self._deliver({"type": "message", "text": turn.text})

    def _press(self, turn: Turn) -> Delivery:
        payload, _ = self.button(turn)
        return self._deliver({"type": "button", "payload": payload})

    def _form(self, turn: Turn) -> Delivery:
        post: dict[str, Any] = {"type": "message", **turn.contact}
        if turn.text:
            post["text"] = turn.text
        if turn.consent is not None:
            post["consent"] = {"given": turn.consent, "version": self.consent_version}
        return self._deliver(post)


_INBOUND: dict[str, Callable[..., Inbound]] = {
    "whatsapp": WhatsAppInbound,
    "instagram": InstagramInbound,
    "telegram": TelegramInbound,
    "website": WebsiteInbound,
}


def inbound_for(
    dialogue: Dialogue,
    channel_mock: ChannelMock,
    clock: Any,
    secrets: dict[str, str],
    consent_titles: tuple[str, str],
    consent_version: str,
) -> Inbound:
    """The delivery builder of the dialogue's channel."""
    builder = _INBOUND.get(dialogue.channel)
    if builder is None:
        raise DeliveryError(f"no webhook builder for channel {dialogue.channel!r}")
    return builder(
        dialogue, channel_mock, clock, secrets, consent_titles, consent_version
    )
