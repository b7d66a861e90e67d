"""Turning Telegram updates into leadwire's inbound events.

Each update becomes exactly one event whose id is the ``update_id``, so a
redelivered update (Telegram retries until it gets a 2xx) dedupes. Only
private chats with a person are answered; channel posts, group messages and
messages sent on behalf of a chat become UNSUPPORTED events without a sender,
with what they were in ``payload``.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import phonenumbers

from leadwire import Contact, EventKind, InboundEvent, Media, Sender

__all__ = ["e164", "parse_update"]

#: Message fields that carry an attachment, with the media type leadwire
#: records. ``animation`` comes before ``document``: Telegram sets both.
_MEDIA_FIELDS = (
    ("photo", "image"),
    ("voice", "voice"),
    ("audio", "audio"),
    ("video", "video"),
    ("video_note", "video"),
    ("animation", "video"),
    ("document", "document"),
    ("sticker", "sticker"),
)


def parse_update(body: bytes, channel: str, received_at: datetime) -> InboundEvent:
    """Parse one webhook body into its event; raise ValueError if it is malformed.

    :param channel: The configured channel name, recorded on the event.
    :param received_at: When the update arrived: the time of events that carry
        none (button presses).
    """
    update = _load(body)
    event_id = str(update["update_id"])
    build = _Builder(channel, event_id, received_at)

    if "message" in update:
        return build.message(_object(update, "message"), edited=False)
    if "edited_message" in update:
        return build.message(_object(update, "edited_message"), edited=True)
    if "callback_query" in update:
        return build.button(_object(update, "callback_query"))
    if "message_reaction" in update:
        return build.reaction(_object(update, "message_reaction"))
    return build.other(update)


def _load(body: bytes) -> Mapping[str, Any]:
    try:
        update = json.loads(body)
    except UnicodeDecodeError:
        raise ValueError("a Telegram update must be JSON in UTF-8") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"a Telegram update must be JSON: {error.msg}") from None

    if not isinstance(update, dict):
        raise ValueError("a Telegram update must be a JSON object")
    update_id = update.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        raise ValueError("a Telegram update must carry an integer update_id")
    return update


def _object(parent: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = parent.get(key)
    if not isinstance(value, dict):
        raise ValueError(f"Telegram update field {key!r} must be an object")
    return value


def _chat_id(holder: Mapping[str, Any], where: str) -> str:
    chat = _object(holder, "chat")
    chat_id = chat.get("id")
    if not isinstance(chat_id, int | str) or isinstance(chat_id, bool):
        raise ValueError(f"Telegram {where} has no chat.id")
    return str(chat_id)


def _is_private(holder: Mapping[str, Any]) -> bool:
    chat = holder.get("chat")
    return isinstance(chat, dict) and chat.get("type") == "private"


def _moment(value: Any, fallback: datetime) -> datetime:
    """Telegram's Unix seconds as aware UTC; Telegram writes 0 when it is unknown."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        with contextlib.suppress(OverflowError, OSError, ValueError):
            return datetime.fromtimestamp(value, UTC)
    return fallback


def _person(user: Any) -> Sender | None:
    """The sender, or None when it is not a person (missing, a bot)."""
    if not isinstance(user, dict) or user.get("is_bot") or "id" not in user:
        return None
    return Sender(id=str(user["id"]), name=_full_name(user))


def _full_name(holder: Mapping[str, Any]) -> str | None:
    parts = [holder.get("first_name"), holder.get("last_name")]
    name = " ".join(part.strip() for part in parts if isinstance(part, str))
    return name.strip() or None


def e164(raw: Any) -> str | None:
    """Normalise a phone number to E.164, or None when it is not a valid one.

    Telegram sends shared numbers as bare digits with the country code, so a
    number without a leading ``+`` is read as international.
    """
    if not isinstance(raw, str) or not raw.strip():
        return None
    candidate = raw.strip()
    if not candidate.startswith("+"):
        candidate = "+" + candidate

    try:
        number = phonenumbers.parse(candidate, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class _Builder:
    """Builds the event of one update; knows its channel, id and arrival time."""

    def __init__(self, channel: str, event_id: str, received_at: datetime) -> None:
        self.channel = channel
        self.event_id = event_id
        self.received_at = received_at

    def event(
        self, kind: EventKind, conversation: str, at: datetime, **fields: Any
    ) -> InboundEvent:
        return InboundEvent(
            channel=self.channel,
            event_id=self.event_id,
            kind=kind,
            conversation=conversation,
            occurred_at=at,
            **fields,
        )

    def unsupported(
        self, what: str, conversation: str, at: datetime, sender: Sender | None = None
    ) -> InboundEvent:
        return self.event(
            EventKind.UNSUPPORTED, conversation, at, sender=sender, payload=what
        )

    # -- update kinds ------------------------------------------------------

    def message(self, message: Mapping[str, Any], *, edited: bool) -> InboundEvent:
        kind_name = "edited_message" if edited else "message"
        conversation = _chat_id(message, kind_name)
        stamp = message.get("edit_date") if edited else message.get("date")
        at = _moment(stamp, self.received_at)
        sender = _person(message.get("from"))

        if not _is_private(message):
            return self.unsupported(
                f"{kind_name} outside a private chat", conversation, at
            )
        if sender is None:
            return self.unsupported(f"{kind_name} not from a person", conversation, at)
        if edited:
            return self.edit(message, conversation, at, sender)

        reply = message.get("reply_to_message")
        target = _message_id(reply) if isinstance(reply, dict) else None
        if "contact" in message:
            return self.contact(message, conversation, at, sender)
        if isinstance(message.get("text"), str):
            return self.event(
                EventKind.MESSAGE,
                conversation,
                at,
                sender=sender,
                text=message["text"],
                target_id=target,
            )
        media = _media(message)
        if media is not None:
            return self.event(
                EventKind.MEDIA,
                conversation,
                at,
                sender=sender,
                text=media.caption,
                media=media,
                target_id=target,
            )
        if isinstance(message.get("location"), dict):
            return self.location(message, conversation, at, sender)
        return self.unsupported(
            "message of an unsupported type", conversation, at, sender
        )

    def edit(
        self,
        message: Mapping[str, Any],
        conversation: str,
        at: datetime,
        sender: Sender,
    ) -> InboundEvent:
        text = message.get("text", message.get("caption"))
        if not isinstance(text, str):
            # Live locations move by editing the message: not a client's edit.
            return self.unsupported("edit without text", conversation, at, sender)
        return self.event(
            EventKind.EDIT,
            conversation,
            at,
            sender=sender,
            text=text,
            target_id=_message_id(message),
        )

    def contact(
        self,
        message: Mapping[str, Any],
        conversation: str,
        at: datetime,
        sender: Sender,
    ) -> InboundEvent:
        shared = _object(message, "contact")
        raw_phone = shared.get("phone_number")
        normalised = e164(raw_phone)
        kept = raw_phone.strip() if isinstance(raw_phone, str) else None
        contact = Contact(name=_full_name(shared), phone=normalised or kept or None)

        # Telegram vouches for the number only when the client shares their own.
        if normalised and str(shared.get("user_id")) == sender.id:
            sender = Sender(id=sender.id, name=sender.name, phone=normalised)
        return self.event(
            EventKind.CONTACT, conversation, at, sender=sender, contact=contact
        )

    def location(
        self,
        message: Mapping[str, Any],
        conversation: str,
        at: datetime,
        sender: Sender,
    ) -> InboundEvent:
        where = _object(message, "location")
        point = f"{where.get('latitude')},{where.get('longitude')}"
        venue = message.get("venue")
        text = None
        if isinstance(venue, dict):
            parts = (venue.get("title"), venue.get("address"))
            text = ", ".join(part for part in parts if isinstance(part, str)) or None
        return self.event(
            EventKind.LOCATION,
            conversation,
            at,
            sender=sender,
            text=text,
            payload=point,
        )

    def button(self, query: Mapping[str, Any]) -> InboundEvent:
        sender = _person(query.get("from"))
        message = query.get("message")
        message = message if isinstance(message, dict) else None
        at = self.received_at  # a callback query carries no time of its own
        if message is not None:
            conversation = _chat_id(message, "callback_query.message")
        elif sender is not None:
            conversation = sender.id  # a private chat's id is the user's id
        else:
            raise ValueError("Telegram callback_query has neither message nor from")

        if sender is None:
            return self.unsupported("button not pressed by a person", conversation, at)
        if message is not None and not _is_private(message):
            return self.unsupported(
                "button outside a private chat", conversation, at, sender
            )
        data = query.get("data")
        if not isinstance(data, str):
            return self.unsupported("button without data", conversation, at, sender)

        return self.event(
            EventKind.BUTTON,
            conversation,
            at,
            sender=sender,
            text=_button_title(message, data) or data,
            payload=data,
            target_id=_message_id(message) if message is not None else None,
        )

    def reaction(self, update: Mapping[str, Any]) -> InboundEvent:
        conversation = _chat_id(update, "message_reaction")
        at = _moment(update.get("date"), self.received_at)
        sender = _person(update.get("user"))
        if sender is None or not _is_private(update):
            return self.unsupported("reaction not from a client", conversation, at)

        return self.event(
            EventKind.REACTION,
            conversation,
            at,
            sender=sender,
            payload=_reaction(update.get("new_reaction")),
            target_id=_message_id(update),
        )

    def other(self, update: Mapping[str, Any]) -> InboundEvent:
        """Any other kind: kept as UNSUPPORTED, named by its field."""
        kinds = sorted(key for key in update if key != "update_id")
        what = kinds[0] if kinds else "empty update"
        value = update.get(what)
        value = value if isinstance(value, dict) else {}

        chat = value.get("chat")
        user = value.get("from")
        if isinstance(chat, dict) and "id" in chat:
            conversation = str(chat["id"])
        elif isinstance(user, dict) and "id" in user:
            conversation = str(user["id"])
        else:
            conversation = ""
        at = _moment(value.get("date"), self.received_at)
        return self.unsupported(what, conversation, at)


def _message_id(message: Mapping[str, Any]) -> str | None:
    message_id = message.get("message_id")
    return None if message_id is None else str(message_id)


def _media(message: Mapping[str, Any]) -> Media | None:
    caption = message.get("caption")
    caption = caption if isinstance(caption, str) else None
    for field, media_type in _MEDIA_FIELDS:
        value = message.get(field)
        if field == "photo" and isinstance(value, list) and value:
            value = value[-1]  # sizes grow: the last is the original
        if isinstance(value, dict):
            return Media(
                type=media_type,
                mime_type=value.get("mime_type"),
                provider_id=value.get("file_id"),
                caption=caption,
            )
    return None


def _button_title(message: Mapping[str, Any] | None, data: str) -> str | None:
    """The title of the pressed button, found in the message's inline keyboard."""
    markup = message.get("reply_markup") if message else None
    rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
    for row in rows if isinstance(rows, list) else ():
        for button in row if isinstance(row, list) else ():
            if isinstance(button, dict) and button.get("callback_data") == data:
                title = button.get("text")
                return title if isinstance(title, str) else None
    return None


def _reaction(reactions: Any) -> str:
    """The first new reaction as text; empty when the reaction was removed."""
    for reaction in reactions if isinstance(reactions, list) else ():
        if not isinstance(reaction, dict):
            continue
        kind = reaction.get("type")
        if kind == "emoji":
            return str(reaction.get("emoji", ""))
        if kind == "custom_emoji":
            return f"custom_emoji:{reaction.get('custom_emoji_id', '')}"
        if kind == "paid":
            return "paid"
    return ""
