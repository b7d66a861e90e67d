"""The contact a lead is built from: the full name, the phone to call, the rest."""

from __future__ import annotations

import hashlib
import json

import attrs
import pytest

from leadwire.engine.leads import contact_from, digest, merge_contact
from leadwire.models import Contact, LeadFields, Sender
from leadwire.pii import Detector
from leadwire.pii.builtins import built_in_recognizers

MOBILE = "+79120001234"
LANDLINE = "+74950002241"


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector.build(built_in_recognizers())


def merged(detector: Detector, text: str, known: Contact | None = None, **kw):
    return merge_contact(
        known or Contact(), entities=detector.detect(text), text=text, **kw
    )


def test_the_lead_keeps_the_full_name_and_the_mobile_asked_for(detector):
    """Name as written, whole; the mobile asked for is the phone, the landline kept."""
    text = (
        "Борис Тестонов, мобильный +7 912 000-12-34, рабочий 8 495 000-22-41, "
        "лучше звонить на мобильный"
    )

    contact = merged(detector, text)

    assert contact.name == "Борис Тестонов"
    assert contact.phone == MOBILE
    assert contact.other_phones == (LANDLINE,)


def test_a_new_phone_replaces_the_old_one_which_is_kept(detector):
    """A later message's phone is the one to call; the earlier one is not lost."""
    known = Contact(name="Борис", phone=LANDLINE)

    contact = merged(detector, "мой мобильный 8 912 000 12 34", known)

    assert (contact.name, contact.phone) == ("Борис", MOBILE)
    assert contact.other_phones == (LANDLINE,)


def test_the_channel_phone_stays_beside_a_written_one(detector):
    """WhatsApp's number fills in first and stays when the client writes another."""
    sender = Sender(id="79120001234", phone=MOBILE)

    first = merged(detector, "Здравствуйте", sender=sender)
    second = merged(detector, "звоните на 8 495 000-22-41", first, sender=sender)

    assert first.phone == MOBILE
    assert (second.phone, second.other_phones) == (LANDLINE, (MOBILE,))


def test_other_phones_survive_the_sealed_json_form():
    """The contact's JSON form (lists, as sealed) gives back the same contact."""
    contact = Contact(name="Тест", phone=MOBILE, other_phones=(LANDLINE,))

    assert contact_from(attrs.asdict(contact)) == contact


def test_a_contact_without_other_phones_digests_as_before():
    """No other phones: the digest is the one stored before the field existed,
    so existing conversations see no change; other phones do change it."""
    contact = Contact(name="Тест", phone=MOBILE)
    document = {
        "contact": {"name": "Тест", "phone": MOBILE, "email": None},
        "fields": attrs.asdict(LeadFields()),
    }
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False)

    assert (
        digest(contact, LeadFields()) == hashlib.sha256(canonical.encode()).hexdigest()
    )
    with_others = attrs.evolve(contact, other_phones=(LANDLINE,))
    assert digest(with_others, LeadFields()) != digest(contact, LeadFields())
