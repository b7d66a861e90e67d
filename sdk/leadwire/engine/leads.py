"""The lead hand-off: what the CRM learns about a client, and when.

Name, phone and e-mail come from local detection and from what the channel
vouches for (the sender's profile, a shared contact card), never from the
LLM; the LLM contributes only the request's fields.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import phonenumbers

from leadwire.models import Contact, Entity, LeadFields, Sender
from leadwire.pii.callback import rank_phones

__all__ = ["contact_from", "digest", "e164", "fields_from", "merge_contact"]

#: The region a phone without a country code is read in.
DEFAULT_REGION = "RU"


def e164(raw: str | None) -> str | None:
    """The phone in E.164, or None if it is not a valid number."""
    if not raw:
        return None
    digits = "".join(ch for ch in raw if ch.isdigit())
    candidate = raw.strip() if raw.strip().startswith("+") else None
    attempts = [candidate, f"+{digits}" if len(digits) > 10 else None, raw]
    for attempt in filter(None, attempts):
        try:
            number = phonenumbers.parse(attempt, DEFAULT_REGION)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(
                number, phonenumbers.PhoneNumberFormat.E164
            )
    return None


def merge_contact(
    known: Contact,
    *,
    sender: Sender | None = None,
    shared: Contact | None = None,
    entities: Iterable[Entity] = (),
    text: str = "",
) -> Contact:
    """*known* completed by what this event tells; newer statements win.

    Of several phones in *text* the one the client asked to be called on
    becomes the phone, else a mobile one, else the first (see
    :func:`~leadwire.pii.callback.rank_phones`); every other number, a
    replaced one included, is kept in ``other_phones``.
    """
    name, phone, email = known.name, known.phone, known.email
    phones = [phone, *known.other_phones]
    if sender is not None:
        name = name or sender.name
        phones.append(e164(sender.phone))
        phone = phone or e164(sender.phone)
    if shared is not None:
        name = shared.name or name
        phone = e164(shared.phone) or phone
        phones.append(phone)
        email = shared.email or email

    entities = list(entities)
    for entity in entities:
        if entity.type == "PERSON":
            name = entity.value
        elif entity.type == "EMAIL":
            email = (entity.normalized or entity.value).lower()

    written = [
        number
        for number in (
            e164(entity.normalized or entity.value)
            for entity in rank_phones(text, [e for e in entities if e.type == "PHONE"])
        )
        if number
    ]
    if written:
        phone = written[0]
        phones.extend(written)
    others = tuple(dict.fromkeys(n for n in phones if n and n != phone))
    return Contact(name=name, phone=phone, email=email, other_phones=others)


def contact_from(document: dict[str, Any] | None) -> Contact:
    """A contact from its JSON form."""
    document = document or {}
    return Contact(
        name=document.get("name"),
        phone=document.get("phone"),
        email=document.get("email"),
        other_phones=tuple(document.get("other_phones") or ()),
    )


def fields_from(document: Mapping[str, Any] | None) -> LeadFields:
    """Lead fields from their JSON form."""
    document = document or {}
    return LeadFields(
        service=document.get("service"),
        desired_time=document.get("desired_time"),
        comment=document.get("comment"),
    )


def digest(contact: Contact, fields: LeadFields) -> str:
    """A hash of what a lead would say, to skip upserts that change nothing."""
    described = attrs.asdict(contact)
    if not described["other_phones"]:
        del described["other_phones"]  # as before the field existed
    document = {"contact": described, "fields": attrs.asdict(fields)}
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()
