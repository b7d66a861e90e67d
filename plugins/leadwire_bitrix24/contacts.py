"""Phones and e-mails as the portal stores and searches them.

Phones are compared in E.164, so ``8 (999) 000-11-22`` and ``+79990001122`` are
one number; e-mails are compared in lower case.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import phonenumbers

from leadwire import Contact

__all__ = ["Reachable", "email_key", "multi_values", "phone_key", "phone_value"]


@attrs.frozen
class PhoneValue:
    """A phone ready for a PHONE multi-field: E.164 when it parses."""

    value: str
    value_type: str  # MOBILE or WORK
    normalised: bool


def phone_value(raw: str, region: str) -> PhoneValue:
    """Normalise *raw*; a number that does not parse is kept as written.

    Keeping it loses nothing the client said, though such a number cannot be
    matched against other records.
    """
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return PhoneValue(raw.strip(), "WORK", normalised=False)

    if not phonenumbers.is_possible_number(number):
        return PhoneValue(raw.strip(), "WORK", normalised=False)

    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    kind = phonenumbers.number_type(number)
    mobile = kind in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )
    return PhoneValue(e164, "MOBILE" if mobile else "WORK", normalised=True)


def phone_key(raw: str, region: str) -> str | None:
    """The E.164 form of *raw* for comparison, or None if it does not parse."""
    phone = phone_value(raw, region)
    return phone.value if phone.normalised else None


def email_key(raw: str) -> str | None:
    """The lower-case form of an e-mail for comparison, or None if blank."""
    value = raw.strip().lower()
    return value or None


@attrs.frozen
class Reachable:
    """The contact's phones and e-mail in the forms the portal is searched by.

    :ivar phone: The number to call back; searched by and filed first.
    :ivar others: Further numbers the client gave, filed after it but never
        searched by: an office landline shared by many must not make two
        clients one.
    """

    phone: PhoneValue | None
    email: str | None
    others: tuple[PhoneValue, ...] = ()

    @classmethod
    def of(cls, contact: Contact, region: str) -> Reachable:
        phone = phone_value(contact.phone, region) if contact.phone else None
        if phone is not None and not phone.value:
            phone = None
        email = email_key(contact.email) if contact.email else None

        others: dict[str, PhoneValue] = {}
        for raw in contact.other_phones:
            other = phone_value(raw, region)
            if other.value and (phone is None or other.value != phone.value):
                others.setdefault(other.value, other)
        return cls(phone=phone, email=email, others=tuple(others.values()))

    @property
    def phones(self) -> tuple[PhoneValue, ...]:
        """Every number, the one to call back first."""
        return (self.phone, *self.others) if self.phone else self.others

    @property
    def searchable_phone(self) -> str | None:
        """The phone to search by: only a normalised one can match reliably."""
        return self.phone.value if self.phone and self.phone.normalised else None


def multi_values(record: Mapping[str, Any], field: str) -> list[dict[str, Any]]:
    """The values of a multi-field (PHONE, EMAIL, IM) of a record, tolerantly."""
    values = record.get(field)
    if not isinstance(values, Iterable) or isinstance(values, str | bytes):
        return []
    return [value for value in values if isinstance(value, dict)]
