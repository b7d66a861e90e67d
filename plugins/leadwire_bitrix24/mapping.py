"""How a leadwire :class:`~leadwire.Lead` maps onto Bitrix24 lead fields.

Name, phones and e-mail go to NAME, PHONE (the number to call back first)
and EMAIL; the channel picks the
SOURCE_ID; the service, desired time and comment go to their configured
fields, and the ones configured as COMMENTS share it, one labelled line each.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from leadwire import Lead
from leadwire_bitrix24.contacts import (
    PhoneValue,
    Reachable,
    email_key,
    multi_values,
    phone_key,
)
from leadwire_bitrix24.settings import Bitrix24Settings

__all__ = ["details", "lead_fields", "timeline_comment", "title", "update_fields"]

_LABELS = {
    "service": "Услуга",
    "desired_time": "Желаемое время",
    "comment": "Комментарий",
}

_COMMENTS = "COMMENTS"


def title(lead: Lead) -> str:
    """The lead's title: the engine's, or the service and the channel.

    It never carries the client's name, so blanking a lead leaves no name in it.
    """
    if lead.title:
        return lead.title
    if lead.fields.service:
        return f"{lead.fields.service} — заявка из {lead.channel}"
    return f"Заявка из {lead.channel}"


def details(lead: Lead, settings: Bitrix24Settings) -> dict[str, str]:
    """The service, desired time and comment, keyed by their configured field."""
    wanted = {
        "service": (settings.service_field, lead.fields.service),
        "desired_time": (settings.desired_time_field, lead.fields.desired_time),
        "comment": (settings.comment_field, lead.fields.comment),
    }
    by_field: dict[str, str] = {}
    comment_lines = []

    for name, (field, value) in wanted.items():
        if not value:
            continue
        if field == _COMMENTS:
            comment_lines.append(f"{_LABELS[name]}: {value}")
        else:
            by_field[field] = value

    if comment_lines:
        by_field[_COMMENTS] = "\n".join(comment_lines)
    return by_field


def lead_fields(
    lead: Lead,
    reach: Reachable,
    settings: Bitrix24Settings,
    *,
    key_marker: str,
    contact_id: str | None = None,
) -> dict[str, Any]:
    """The ``fields`` of ``crm.lead.add`` for a new lead."""
    fields: dict[str, Any] = {
        "TITLE": title(lead),
        "SOURCE_ID": settings.source_id(lead.channel),
        **details(lead, settings),
    }

    if lead.contact.name:
        fields["NAME"] = lead.contact.name
    if reach.phones:
        fields["PHONE"] = [_phone_item(phone) for phone in reach.phones]
    if reach.email is not None:
        fields["EMAIL"] = [{"VALUE": reach.email, "VALUE_TYPE": "WORK"}]
    if contact_id is not None:
        fields["CONTACT_ID"] = contact_id

    fields[settings.idempotency_field] = key_marker
    if settings.idempotency_field == "ORIGIN_ID":
        fields["ORIGINATOR_ID"] = settings.originator_id
    return fields


def update_fields(
    lead: Lead,
    reach: Reachable,
    existing: Mapping[str, Any],
    settings: Bitrix24Settings,
) -> dict[str, Any]:
    """The ``fields`` of ``crm.lead.update`` for a returning client's open lead.

    Only what the lead lacks is added (a name, a new phone or e-mail) and the
    configured custom fields are refreshed. COMMENTS is left alone: the new
    request goes to the timeline instead, so the manager's text survives.
    """
    fields: dict[str, Any] = {
        field: value
        for field, value in details(lead, settings).items()
        if field != _COMMENTS
    }

    if lead.contact.name and not existing.get("NAME"):
        fields["NAME"] = lead.contact.name

    phones = {
        phone_key(str(item.get("VALUE", "")), settings.default_region)
        for item in multi_values(existing, "PHONE")
    }
    # New items of a multi-field are added to the lead's, not put in place.
    added = [_phone_item(p) for p in reach.phones if p.value not in phones]
    if added:
        fields["PHONE"] = added

    emails = {
        email_key(str(item.get("VALUE", "")))
        for item in multi_values(existing, "EMAIL")
    }
    if reach.email is not None and reach.email not in emails:
        fields["EMAIL"] = [{"VALUE": reach.email, "VALUE_TYPE": "WORK"}]
    return fields


def _phone_item(phone: PhoneValue) -> dict[str, str]:
    return {"VALUE": phone.value, "VALUE_TYPE": phone.value_type}


def timeline_comment(lead: Lead) -> str:
    """The timeline comment that tells a manager about a repeated request."""
    lines = [f"Повторное обращение из {lead.channel}."]
    wanted = (
        ("service", lead.fields.service),
        ("desired_time", lead.fields.desired_time),
        ("comment", lead.fields.comment),
    )
    lines.extend(f"{_LABELS[name]}: {value}" for name, value in wanted if value)
    return "\n".join(lines)
