"""Turning WhatsApp Cloud API webhook deliveries into leadwire events.

One delivery may carry several entries, each with several changes, each with
several messages and statuses: every one becomes an event. A kind leadwire does
not know becomes an UNSUPPORTED event; only a body that is not a WhatsApp
delivery at all (not JSON, another ``object``, no ``entry``) raises ValueError.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import attrs

from leadwire import (
    Contact,
    DeliveryStatus,
    EventKind,
    InboundEvent,
    Media,
    Sender,
)
from leadwire_meta import DeliveryReader, loose, string, unnoticed

OBJECT = "whatsapp_business_account"

#: Reads the envelope and names WhatsApp in the errors of a malformed body.
_BODY = DeliveryReader("WhatsApp", OBJECT)

STATUSES = {
    "sent": DeliveryStatus.SENT,
    "delivered": DeliveryStatus.DELIVERED,
    "read": DeliveryStatus.READ,
    "failed": DeliveryStatus.FAILED,
}

MEDIA_TYPES = frozenset({"image", "video", "audio", "document", "sticker"})


def parse_delivery(
    body: bytes, channel: str, received_at: datetime
) -> list[InboundEvent]:
    """Every event of one webhook delivery, in the order Meta listed them.

    :param received_at: Stands in for the time of changes that carry none.
    """
    events: list[InboundEvent] = []

    for entry, entry_id, where in _BODY.entries(body):
        for change_index, raw_change in enumerate(_BODY.array(entry, "changes", where)):
            change_where = f"{where}.changes[{change_index}]"
            change = _BODY.object(raw_change, change_where)
            events.extend(
                _parse_change(change, entry_id, channel, received_at, change_where)
            )
    return events


def _parse_change(
    change: Mapping[str, Any],
    entry_id: str,
    channel: str,
    received_at: datetime,
    where: str,
) -> list[InboundEvent]:
    field = string(change.get("field")) or ""
    value = _BODY.object(change.get("value"), f"{where}.value")

    if field != "messages":
        # Account, template and quality notices: kept for the record, no client.
        return [unnoticed(change, field, entry_id, channel, received_at)]

    names = _profile_names(value)
    events = [
        _parse_message(
            _BODY.object(raw, f"{where}.value.messages[{index}]"),
            names,
            channel,
            f"{where}.value.messages[{index}]",
        )
        for index, raw in enumerate(
            _BODY.array(value, "messages", f"{where}.value", required=False)
        )
    ]

    events += [
        _parse_status(
            _BODY.object(raw, f"{where}.value.statuses[{index}]"),
            channel,
            f"{where}.value.statuses[{index}]",
        )
        for index, raw in enumerate(
            _BODY.array(value, "statuses", f"{where}.value", required=False)
        )
    ]

    if value.get("errors"):
        events.append(
            attrs.evolve(
                unnoticed(change, "errors", entry_id, channel, received_at),
                errors=_error_codes(value.get("errors")),
            )
        )
    return events


def _profile_names(value: Mapping[str, Any]) -> dict[str, str | None]:
    """wa_id or user_id -> profile name; ``profile`` may be absent."""
    names: dict[str, str | None] = {}
    contacts = value.get("contacts")
    for raw in contacts if isinstance(contacts, list) else []:
        contact = loose(raw)
        name = string(loose(contact.get("profile")).get("name"))
        for key in ("wa_id", "user_id"):
            client = string(contact.get(key))
            if client:
                names[client] = name
    return names


# --------------------------------------------------------------------------
# Messages


def _parse_message(
    message: Mapping[str, Any],
    names: Mapping[str, str | None],
    channel: str,
    where: str,
) -> InboundEvent:
    # A client who hides the number behind a username has only a
    # business-scoped user id (BSUID), in from_user_id.
    wa_id = string(message.get("from"))
    client = wa_id or _BODY.required(message, "from_user_id", where)
    kind = string(message.get("type")) or "unknown"
    context = loose(message.get("context"))

    base = InboundEvent(
        channel=channel,
        event_id=_BODY.required(message, "id", where),
        kind=EventKind.UNSUPPORTED,
        conversation=client,
        occurred_at=_from_seconds(message.get("timestamp"), f"{where}.timestamp"),
        sender=Sender(
            id=client, name=names.get(client), phone=f"+{wa_id}" if wa_id else None
        ),
        payload=kind,
        target_id=string(context.get("id")),
        errors=_error_codes(message.get("errors")),
    )

    if kind in MEDIA_TYPES:
        return _media(base, message, kind)
    read = _READERS.get(kind)
    return base if read is None else read(base, message)


def _text(base: InboundEvent, message: Mapping[str, Any]) -> InboundEvent:
    body = string(loose(message.get("text")).get("body"))
    return attrs.evolve(base, kind=EventKind.MESSAGE, text=body, payload=None)


def _interactive(base: InboundEvent, message: Mapping[str, Any]) -> InboundEvent:
    interactive = loose(message.get("interactive"))
    reply_type = string(interactive.get("type")) or "unknown"

    if reply_type not in ("button_reply", "list_reply"):
        # Flows' nfm_reply and newer kinds: recorded, not acted on.
        return attrs.evolve(base, payload=f"interactive.{reply_type}")

    reply = loose(interactive.get(reply_type))
    return attrs.evolve(
        base,
        kind=EventKind.BUTTON,
        payload=string(reply.get("id")) or "",
        text=string(reply.get("title")),
    )


def _template_button(base: InboundEvent, message: Mapping[str, Any]) -> InboundEvent:
    button = loose(message.get("button"))
    return attrs.evolve(
        base,
        kind=EventKind.BUTTON,
        payload=string(button.get("payload")) or "",
        text=string(button.get("text")),
    )


def _media(base: InboundEvent, message: Mapping[str, Any], kind: str) -> InboundEvent:
    content = loose(message.get(kind))
    caption = string(content.get("caption"))
    media_type = "voice" if kind == "audio" and content.get("voice") is True else kind

    media = Media(
        type=media_type,
        mime_type=string(content.get("mime_type")),
        provider_id=string(content.get("id")),
        caption=caption,
    )
    return attrs.evolve(
        base, kind=EventKind.MEDIA, media=media, text=caption, payload=None
    )


def _reaction(base: InboundEvent, message: Mapping[str, Any]) -> InboundEvent:
    reaction = loose(message.get("reaction"))
    return attrs.evolve(
        base,
        kind=EventKind.REACTION,
        payload=string(reaction.get("emoji")) or "",
        target_id=string(reaction.get("message_id")),
    )


def _contacts(base: InboundEvent, message: Mapping[str, Any]) -> InboundEvent:
    cards = message.get("contacts")
    card = loose(cards[0]) if isinstance(cards, list) and cards else {}

    phones = card.get("phones")
    first_phone = loose(phones[0]) if isinstance(phones, list) and phones else {}
    phone = string(first_phone.get("phone"))
    if phone is None and string(first_phone.get("wa_id")):
        phone = f"+{first_phone['wa_id']}"

    contact = Contact(
        name=string(loose(card.get("name")).get("formatted_name")), phone=phone
    )
    return attrs.evolve(base, kind=EventKind.CONTACT, contact=contact, payload=None)


def _location(base: InboundEvent, message: Mapping[str, Any]) -> InboundEvent:
    location = loose(message.get("location"))
    latitude = location.get("latitude")
    longitude = location.get("longitude")
    coordinates = (
        f"{latitude},{longitude}"
        if isinstance(latitude, int | float) and isinstance(longitude, int | float)
        else None
    )

    place = [string(location.get(key)) for key in ("name", "address")]
    label = ", ".join(part for part in place if part) or None
    return attrs.evolve(base, kind=EventKind.LOCATION, payload=coordinates, text=label)


_READERS: dict[str, Callable[[InboundEvent, Mapping[str, Any]], InboundEvent]] = {
    "text": _text,
    "interactive": _interactive,
    "button": _template_button,
    "reaction": _reaction,
    "contacts": _contacts,
    "location": _location,
}


# --------------------------------------------------------------------------
# Statuses


def _parse_status(status: Mapping[str, Any], channel: str, where: str) -> InboundEvent:
    """A status of a message we sent; one event per (message, status)."""
    message_id = _BODY.required(status, "id", where)
    name = string(status.get("status")) or "unknown"
    delivery = STATUSES.get(name)

    return InboundEvent(
        channel=channel,
        event_id=f"{message_id}:{name}",
        kind=EventKind.UNSUPPORTED if delivery is None else EventKind.STATUS,
        conversation=string(status.get("recipient_id"))
        or string(status.get("recipient_user_id"))
        or "",
        occurred_at=_from_seconds(status.get("timestamp"), f"{where}.timestamp"),
        payload=name if delivery is None else None,
        target_id=message_id,
        status=delivery,
        errors=_error_codes(status.get("errors")),
    )


# --------------------------------------------------------------------------
# Timestamps and error codes


def _from_seconds(value: Any, where: str) -> datetime:
    """WhatsApp's timestamps: Unix seconds, written as a string."""
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        raise ValueError(
            f"{where} in the WhatsApp webhook body is not Unix seconds"
        ) from None


def _error_codes(errors: Any) -> tuple[str, ...]:
    if not isinstance(errors, list):
        return ()
    codes = (string(loose(error).get("code")) for error in errors)
    return tuple(code for code in codes if code)
