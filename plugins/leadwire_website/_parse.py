"""Turning a website's JSON posts into leadwire's inbound events.

A post of type ``message`` (a form or a chat line) gives, in this order: a
BUTTON with the consent answer when the form has a consent checkbox, a
CONTACT when a phone or e-mail is filled in, and the MESSAGE itself. The
consent comes first so that it is recorded before the contact is kept. A post
of type ``button`` is a pressed button; any other type is UNSUPPORTED.

Event ids derive from the session and the site's ``message_id``, so a post
sent twice dedupes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import attrs
import phonenumbers

from leadwire import Contact, EventKind, InboundEvent, Sender

__all__ = [
    "CONSENT_AGREE",
    "CONSENT_REFUSE",
    "consent_payload",
    "e164",
    "parse_post",
]

#: The payloads of leadwire's own consent buttons (the engine's ConsentPrompt).
#: A checked consent checkbox agrees to the wording the site showed, so it
#: names that version after the agree payload (``leadwire:consent:agree:1``);
#: the engine records it only when it is the configured version.
CONSENT_AGREE = "leadwire:consent:agree"
CONSENT_REFUSE = "leadwire:consent:refuse"

#: The longest session id or message id accepted.
_ID_LIMIT = 200


def consent_payload(given: bool, version: str | None = None) -> str:
    """The BUTTON payload that answers the consent request as a checkbox did.

    An agreement names the *version* of the text beside the box, when given;
    a refusal needs none, since nothing is recorded as agreed.
    """
    if not given:
        return CONSENT_REFUSE
    return f"{CONSENT_AGREE}:{version}" if version else CONSENT_AGREE


def e164(raw: str, region: str) -> str | None:
    """Normalise a typed phone number to E.164, or None if it is not a valid one."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@attrs.frozen
class _Post:
    """The fields common to every post, checked."""

    type: str
    session: str
    message_id: str
    at: datetime


def parse_post(
    body: bytes, channel: str, sent_at: datetime, phone_region: str
) -> list[InboundEvent]:
    """Parse one post into its events; raise ValueError naming what is wrong.

    :param sent_at: When the post was signed: the time of its events unless
        the post gives its own ``sent_at``.
    """
    data = _load(body)
    post = _Post(
        type=_text(data, "type", required=False) or "message",
        session=_identifier(data, "session"),
        message_id=_identifier(data, "message_id"),
        at=_moment(data.get("sent_at"), sent_at),
    )

    if post.type == "message":
        return _message(data, post, channel, phone_region)
    if post.type == "button":
        return [_button(data, post, channel)]
    return [
        InboundEvent(
            channel=channel,
            event_id=f"{post.session}:{post.message_id}",
            kind=EventKind.UNSUPPORTED,
            conversation=post.session,
            occurred_at=post.at,
            sender=Sender(id=post.session),
            payload=post.type,
        )
    ]


def _load(body: bytes) -> Mapping[str, Any]:
    try:
        data = json.loads(body)
    except UnicodeDecodeError:
        raise ValueError("a website post must be JSON in UTF-8") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"a website post must be JSON: {error.msg}") from None
    if not isinstance(data, dict):
        raise ValueError("a website post must be a JSON object")
    return data


def _text(data: Mapping[str, Any], key: str, *, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise ValueError(f"website post field {key!r} must be a string")
    return value.strip() or None


def _identifier(data: Mapping[str, Any], key: str) -> str:
    value = _text(data, key, required=True)
    if value is None or len(value) > _ID_LIMIT:
        raise ValueError(
            f"website post field {key!r} must be 1 to {_ID_LIMIT} characters"
        )
    return value


def _moment(value: Any, fallback: datetime) -> datetime:
    if value is None:
        return fallback
    complaint = "website post field 'sent_at' must be Unix seconds"
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(complaint)
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError):
        raise ValueError(complaint) from None


def _message(
    data: Mapping[str, Any], post: _Post, channel: str, region: str
) -> list[InboundEvent]:
    name = _text(data, "name")
    raw_phone = _text(data, "phone")
    email = _text(data, "email")
    text = _text(data, "text")
    answer = _consent(data.get("consent"))

    phone = e164(raw_phone, region) if raw_phone else None
    sender = Sender(id=post.session, name=name, phone=phone)
    base = f"{post.session}:{post.message_id}"

    def event(suffix: str, kind: EventKind, **fields: Any) -> InboundEvent:
        return InboundEvent(
            channel=channel,
            event_id=base + suffix,
            kind=kind,
            conversation=post.session,
            occurred_at=post.at,
            sender=sender,
            **fields,
        )

    events = []
    if answer is not None:
        given, version = answer
        events.append(
            event(
                ":consent",
                EventKind.BUTTON,
                text=f"consent checkbox, version {version}",
                payload=consent_payload(given, version),
            )
        )
    if raw_phone or email:
        # A number phonenumbers cannot read is kept as typed: nothing is lost.
        contact = Contact(name=name, phone=phone or raw_phone, email=email)
        events.append(event(":contact", EventKind.CONTACT, contact=contact))
    events.append(event("", EventKind.MESSAGE, text=text))
    return events


def _consent(value: Any) -> tuple[bool, str] | None:
    """The consent block's answer and version, or None when the form has none."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValueError("website post field 'consent' must be an object")
    given = value.get("given")
    version = value.get("version")
    if not isinstance(given, bool):
        raise ValueError("website post field 'consent.given' must be true or false")
    if not isinstance(version, str) or not version.strip():
        raise ValueError(
            "website post field 'consent.version' must name the consent text's version"
        )
    return given, version.strip()


def _button(data: Mapping[str, Any], post: _Post, channel: str) -> InboundEvent:
    payload = _text(data, "payload", required=True)
    if payload is None:
        raise ValueError("website post field 'payload' must not be empty")
    return InboundEvent(
        channel=channel,
        event_id=f"{post.session}:{post.message_id}",
        kind=EventKind.BUTTON,
        conversation=post.session,
        occurred_at=post.at,
        sender=Sender(id=post.session),
        text=_text(data, "title") or payload,
        payload=payload,
        target_id=_text(data, "reply_to"),
    )
