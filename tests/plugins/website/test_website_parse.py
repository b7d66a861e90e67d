"""Parsing a website's posts into inbound events."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from leadwire import Contact, EventKind, Sender
from leadwire_website import CONSENT_AGREE, CONSENT_REFUSE, consent_payload


def test_form_gives_consent_contact_and_message_in_order(channel, site):
    """A lead form is a consent BUTTON, then a CONTACT, then the MESSAGE."""
    form = site.form()

    events = channel.parse(site.request(form))

    assert [event.kind for event in events] == [
        EventKind.BUTTON,
        EventKind.CONTACT,
        EventKind.MESSAGE,
    ]
    base = f"{site.SESSION}:{form['message_id']}"
    assert [event.event_id for event in events] == [
        f"{base}:consent",
        f"{base}:contact",
        base,
    ]
    assert {event.conversation for event in events} == {site.SESSION}
    assert {event.channel for event in events} == {"site"}


def test_form_sender_has_session_name_and_e164_phone(channel, site):
    """The sender is the session, with the typed name and the phone in E.164."""
    events = channel.parse(site.request(site.form()))

    expected = Sender(id=site.SESSION, name="Тестина Примерова", phone="+79990000001")
    assert {event.sender for event in events} == {expected}
    assert all(event.from_client for event in events)


def test_form_message_and_contact_carry_the_fields(channel, site):
    """The MESSAGE holds the text; the CONTACT the name and normalised phone."""
    _, contact, message = channel.parse(site.request(site.form(email="t@example.test")))

    assert contact.contact == Contact(
        name="Тестина Примерова", phone="+79990000001", email="t@example.test"
    )
    assert message.text == "Хочу записаться на маникюр"


def test_ticked_consent_is_the_engines_agree_payload_with_its_version(channel, site):
    """A ticked box is a BUTTON agreeing to the version of the text it showed."""
    consent, *_ = channel.parse(site.request(site.form()))

    assert consent.payload == f"{CONSENT_AGREE}:3" == consent_payload(True, "3")
    assert consent.payload == "leadwire:consent:agree:3"
    assert consent.text == "consent checkbox, version 3"


def test_ticked_consent_names_whatever_version_the_site_sent(channel, site):
    """The checkbox's version is passed on as sent, trimmed, not replaced."""
    form = site.form(consent={"given": True, "version": " 1999 "})

    consent, *_ = channel.parse(site.request(form))

    assert consent.payload == "leadwire:consent:agree:1999"


def test_consent_payload_without_a_version_is_the_plain_agree_payload():
    """Without a version the payload is leadwire's own agree button's."""
    assert consent_payload(True) == CONSENT_AGREE == "leadwire:consent:agree"
    assert consent_payload(False, "3") == CONSENT_REFUSE


def test_refused_consent_is_the_engines_refuse_payload(channel, site):
    """ "given": false is a BUTTON with the payload of leadwire's refuse button."""
    form = site.form(consent={"given": False, "version": "3"})
    del form["phone"]

    events = channel.parse(site.request(form))

    assert [event.kind for event in events] == [EventKind.BUTTON, EventKind.MESSAGE]
    assert events[0].payload == CONSENT_REFUSE == "leadwire:consent:refuse"


def test_chat_line_without_contact_is_one_message(channel, site):
    """A plain chat line is a single MESSAGE from the session."""
    events = channel.parse(
        site.request(site.post(type="message", text="Сколько стоит?"))
    )

    (event,) = events
    assert event.kind is EventKind.MESSAGE
    assert event.sender == Sender(id=site.SESSION)
    assert event.text == "Сколько стоит?"


def test_type_defaults_to_message(channel, site):
    """A post without a type is a message."""
    (event,) = channel.parse(site.request(site.post(text="Здравствуйте")))

    assert event.kind is EventKind.MESSAGE


def test_callback_form_without_text_still_gives_a_message(channel, site):
    """A call-me-back form (name and phone only) gives a CONTACT and a MESSAGE."""
    form = site.post(name="Тестина", phone="+7 999 000-00-02")

    contact, message = channel.parse(site.request(form))

    assert contact.contact.phone == "+79990000002"
    assert (message.kind, message.text) == (EventKind.MESSAGE, None)


def test_unreadable_phone_is_kept_as_typed(channel, site):
    """A phone phonenumbers cannot read is kept on the CONTACT, not the sender."""
    contact, message = channel.parse(site.request(site.post(phone="12-34")))

    assert contact.contact.phone == "12-34"
    assert message.sender.phone is None


def test_phone_region_setting_reads_national_numbers(make_channel, site):
    """A national number is read in the configured region."""
    channel = make_channel(phone_region="KZ")

    contact, _ = channel.parse(site.request(site.post(phone="8 700 000 0001")))

    assert contact.contact.phone == "+77000000001"


def test_button_post_is_a_button_event(channel, site):
    """A pressed widget button is a BUTTON with its payload and title."""
    post = site.post(
        type="button", payload="slot:morning", title="Утро", reply_to="lw-01"
    )

    (event,) = channel.parse(site.request(post))

    assert event.kind is EventKind.BUTTON
    assert (event.payload, event.text, event.target_id) == (
        "slot:morning",
        "Утро",
        "lw-01",
    )
    assert event.event_id == f"{site.SESSION}:{post['message_id']}"


def test_button_without_title_uses_payload_as_text(channel, site):
    """A button post without a title has its payload as text."""
    (event,) = channel.parse(site.request(site.post(type="button", payload="slot:1")))

    assert event.text == "slot:1"


def test_unknown_type_is_unsupported(channel, site):
    """A post of a type leadwire does not know is kept as UNSUPPORTED."""
    (event,) = channel.parse(site.request(site.post(type="typing")))

    assert event.kind is EventKind.UNSUPPORTED
    assert event.payload == "typing"
    assert not event.from_client


def test_resent_post_keeps_its_event_ids(channel, site):
    """The same post sent twice gives the same event ids, so it dedupes."""
    form = site.form()

    first = channel.parse(site.request(form))
    again = channel.parse(site.request(form, timestamp=site.now_ts + 5))

    assert [event.event_id for event in first] == [event.event_id for event in again]


def test_time_is_sent_at_else_the_signed_timestamp(channel, site):
    """Events happen at the post's sent_at, or when it was signed."""
    given = 1772440000
    (stated,) = channel.parse(site.request(site.post(text="a", sent_at=given)))
    (signed,) = channel.parse(site.request(site.post(text="b"), timestamp=given + 7))

    assert stated.occurred_at == datetime.fromtimestamp(given, UTC)
    assert signed.occurred_at == datetime.fromtimestamp(given + 7, UTC)


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        (b"<form>", "must be JSON"),
        (b"\xff", "must be JSON"),
        (b'"text"', "JSON object"),
        (b'{"message_id": "m-1", "text": "a"}', "'session'"),
        (b'{"session": "s-1", "text": "a"}', "'message_id'"),
        (b'{"session": "  ", "message_id": "m-1"}', "'session'"),
        (b'{"session": 5, "message_id": "m-1"}', "'session'"),
        (b'{"session": "s-1", "message_id": "m-1", "text": 5}', "'text'"),
        (b'{"session": "s-1", "message_id": "m-1", "sent_at": "x"}', "sent_at"),
        (b'{"session": "s-1", "message_id": "m-1", "sent_at": 1e400}', "sent_at"),
        (
            b'{"session": "s-1", "message_id": "m-1", "sent_at": 99999999999999999}',
            "sent_at",
        ),
        (b'{"session": "s-1", "message_id": "m-1", "consent": true}', "'consent'"),
        (
            b'{"session": "s-1", "message_id": "m-1", "consent": {"version": "3"}}',
            "consent.given",
        ),
        (
            b'{"session": "s-1", "message_id": "m-1", "consent": {"given": true}}',
            "consent.version",
        ),
        (b'{"session": "s-1", "message_id": "m-1", "type": "button"}', "'payload'"),
    ],
)
def test_malformed_post_is_a_clear_value_error(channel, site, body, complaint):
    """A body that breaks the format raises ValueError naming the field."""
    with pytest.raises(ValueError, match=complaint):
        channel.parse(site.request(body))


def test_overlong_session_is_refused(channel, site):
    """A session id over 200 characters is a ValueError, not a stored key."""
    with pytest.raises(ValueError, match="1 to 200"):
        channel.parse(site.request(site.post(session="s" * 201, text="a")))
