"""Turning Instagram messaging webhook deliveries into leadwire events.

A delivery holds entries, each with a ``messaging`` list of events: messages
(with text, attachments, a quick reply or flags), postbacks, reactions, reads,
edits and referrals. Every one becomes an event; a kind leadwire does not know
becomes an UNSUPPORTED event. Only a body that is not an Instagram delivery at
all (not JSON, another ``object``, no ``entry``) raises ValueError.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import attrs

from leadwire import DeliveryStatus, EventKind, InboundEvent, Media, Sender
from leadwire_meta import DeliveryReader, digest, loose, string, unnoticed

OBJECT = "instagram"

#: Reads the envelope and names Instagram in the errors of a malformed body.
_BODY = DeliveryReader("Instagram", OBJECT)

#: Attachment types renamed to leadwire's words; others keep Instagram's name.
MEDIA_NAMES = {"file": "document"}


def parse_delivery(
    body: bytes, channel: str, received_at: datetime
) -> list[InboundEvent]:
    """The messaging events, changes and standby items of one delivery, in order.

    :param received_at: The time of changes and standby items, which carry none
        of their own.
    """
    events: list[InboundEvent] = []

    for entry, entry_id, where in _BODY.entries(body):
        for index, raw in enumerate(
            _BODY.array(entry, "messaging", where, required=False)
        ):
            item_where = f"{where}.messaging[{index}]"
            events.extend(
                _parse_item(_BODY.object(raw, item_where), channel, item_where)
            )

        # Comments, mentions and other subscribed fields, and the events
        # another app handles while it controls the thread: kept, not acted on.
        events.extend(
            unnoticed(
                change,
                string(loose(change).get("field")) or "unknown",
                entry_id,
                channel,
                received_at,
            )
            for change in _BODY.array(entry, "changes", where, required=False)
        )
        events.extend(
            unnoticed(item, "standby", entry_id, channel, received_at)
            for item in _BODY.array(entry, "standby", where, required=False)
        )
    return events


# --------------------------------------------------------------------------
# Messaging events


def _parse_item(
    item: Mapping[str, Any], channel: str, where: str
) -> list[InboundEvent]:
    sender_id = _BODY.required(loose(item.get("sender")), "id", f"{where}.sender")
    at = _from_milliseconds(item.get("timestamp"), f"{where}.timestamp")

    base = InboundEvent(
        channel=channel,
        event_id=f"{sender_id}:{digest(item)}",
        kind=EventKind.UNSUPPORTED,
        conversation=sender_id,
        occurred_at=at,
        sender=Sender(id=sender_id),
    )

    if isinstance(item.get("message"), dict):
        return _message(base, item, where)
    if isinstance(item.get("postback"), dict):
        return [_postback(base, item["postback"])]
    if isinstance(item.get("reaction"), dict):
        return [_reaction(base, item["reaction"])]
    if isinstance(item.get("read"), dict):
        return [_read(base, item["read"])]
    if isinstance(item.get("message_edit"), dict):
        return [_edit(base, item["message_edit"])]

    # Referrals, optins, handovers and anything newer.
    known = [key for key in item if key not in ("sender", "recipient", "timestamp")]
    return [attrs.evolve(base, payload=known[0] if known else "unknown")]


def _message(
    base: InboundEvent, item: Mapping[str, Any], where: str
) -> list[InboundEvent]:
    message = item["message"]
    mid = _BODY.required(message, "mid", f"{where}.message")
    text = string(message.get("text"))
    base = attrs.evolve(base, event_id=mid, target_id=_reply_target(message))

    if message.get("is_echo") is True:
        # Our own message coming back: the conversation is its recipient.
        recipient = string(loose(item.get("recipient")).get("id")) or ""
        return [
            attrs.evolve(
                base,
                kind=EventKind.ECHO,
                conversation=recipient,
                sender=None,
                text=text,
            )
        ]

    if message.get("is_deleted") is True:
        return [
            attrs.evolve(
                base, event_id=f"{mid}:deleted", kind=EventKind.DELETE, target_id=mid
            )
        ]

    if message.get("is_unsupported") is True:
        return [attrs.evolve(base, payload="unsupported")]

    quick_reply = loose(message.get("quick_reply"))
    if "payload" in quick_reply:
        return [
            attrs.evolve(
                base,
                kind=EventKind.BUTTON,
                payload=string(quick_reply.get("payload")) or "",
                text=text,
            )
        ]

    attachments = _attachments(message)
    if not attachments and text is None:
        return [attrs.evolve(base, payload="empty")]
    if not attachments:
        return [attrs.evolve(base, kind=EventKind.MESSAGE, text=text)]

    # Several attachments give an event each: the first keeps the mid and the
    # message's text (as WhatsApp's caption would), the others get numbered ids.
    return [
        attrs.evolve(
            base,
            event_id=mid if index == 0 else f"{mid}:{index}",
            kind=EventKind.MEDIA,
            media=_media(attachment),
            text=text if index == 0 else None,
        )
        for index, attachment in enumerate(attachments)
    ]


def _attachments(message: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    attachments = message.get("attachments")
    if not isinstance(attachments, list):
        return []
    return [loose(attachment) for attachment in attachments]


def _media(attachment: Mapping[str, Any]) -> Media:
    """An attachment, recorded but never fetched; its URL is not kept."""
    kind = string(attachment.get("type")) or "unknown"
    payload = loose(attachment.get("payload"))
    return Media(
        type=MEDIA_NAMES.get(kind, kind),
        provider_id=string(payload.get("reel_video_id") or payload.get("id")),
        caption=string(payload.get("title")),
    )


def _reply_target(message: Mapping[str, Any]) -> str | None:
    """The message (or story) this one answers."""
    reply_to = loose(message.get("reply_to"))
    story = loose(reply_to.get("story"))
    return string(reply_to.get("mid")) or string(story.get("id"))


def _postback(base: InboundEvent, postback: Mapping[str, Any]) -> InboundEvent:
    mid = string(postback.get("mid"))
    return attrs.evolve(
        base,
        event_id=f"{mid}:postback" if mid else base.event_id,
        kind=EventKind.BUTTON,
        payload=string(postback.get("payload")) or "",
        text=string(postback.get("title")),
    )


def _reaction(base: InboundEvent, reaction: Mapping[str, Any]) -> InboundEvent:
    """A reaction; ``unreact`` takes it back and reads as an empty emoji."""
    mid = string(reaction.get("mid"))
    action = string(reaction.get("action")) or "react"
    emoji = string(reaction.get("emoji")) or string(reaction.get("reaction")) or ""

    return attrs.evolve(
        base,
        event_id=f"{mid}:{action}:{base.event_id}",
        kind=EventKind.REACTION,
        payload="" if action == "unreact" else emoji,
        target_id=mid,
    )


def _read(base: InboundEvent, read: Mapping[str, Any]) -> InboundEvent:
    """The client read our message: a READ status, not a client message."""
    mid = string(read.get("mid"))
    return attrs.evolve(
        base,
        event_id=f"{mid}:read" if mid else base.event_id,
        kind=EventKind.STATUS,
        status=DeliveryStatus.READ,
        target_id=mid,
        sender=None,
    )


def _edit(base: InboundEvent, edit: Mapping[str, Any]) -> InboundEvent:
    mid = string(edit.get("mid"))
    count = string(edit.get("num_edit")) or "0"
    return attrs.evolve(
        base,
        event_id=f"{mid}:edit:{count}" if mid else base.event_id,
        kind=EventKind.EDIT,
        text=string(edit.get("text")),
        target_id=mid,
    )


# --------------------------------------------------------------------------
# Timestamps


def _from_milliseconds(value: Any, where: str) -> datetime:
    """Instagram's timestamps: Unix milliseconds, as a number."""
    if isinstance(value, bool):
        value = None
    try:
        return datetime.fromtimestamp(int(value) / 1000, UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        raise ValueError(
            f"{where} in the Instagram webhook body is not Unix milliseconds"
        ) from None
