"""Turning WhatsApp webhook deliveries into events: every kind, batches, bad bodies."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from leadwire import (
    Contact,
    DeliveryStatus,
    EventKind,
    Media,
    Sender,
    WebhookRequest,
)


def parse_one(channel, payloads, message, **value_options):
    """Parse a delivery of one message and return its only event."""
    document = payloads.delivery(payloads.value([message], **value_options))
    events = channel.parse(payloads.post(document))
    assert len(events) == 1
    return events[0]


def test_text_message_becomes_a_message_event(channel, payloads):
    """A text gives MESSAGE; the wa_id is its sender, phone and conversation."""
    message = payloads.text("Здравствуйте, хочу записаться")

    event = parse_one(channel, payloads, message)

    assert event.kind is EventKind.MESSAGE
    assert event.text == "Здравствуйте, хочу записаться"
    assert event.event_id == message["id"]
    assert event.channel == "wa-main"
    assert event.conversation == payloads.CLIENT
    assert event.sender == Sender(
        id=payloads.CLIENT, name=payloads.CLIENT_NAME, phone=f"+{payloads.CLIENT}"
    )
    assert event.from_client


def test_timestamp_in_seconds_becomes_aware_utc(channel, payloads):
    """The string of Unix seconds becomes the same instant, aware UTC."""
    event = parse_one(channel, payloads, payloads.text("Привет"))

    assert event.occurred_at == datetime.fromtimestamp(payloads.SENT_AT, UTC)
    assert event.occurred_at.tzinfo is not None


def test_contact_without_profile_gives_a_sender_without_name(channel, payloads):
    """A contacts entry with only wa_id still gives a sender, with no name."""
    event = parse_one(
        channel,
        payloads,
        payloads.text("Привет"),
        contacts=[payloads.contact(payloads.CLIENT, name=None)],
    )

    assert event.sender == Sender(id=payloads.CLIENT, phone=f"+{payloads.CLIENT}")


def test_reply_context_becomes_the_target(channel, payloads):
    """A message quoting another gives the quoted wamid as target_id."""
    message = payloads.text(
        "Да", context={"from": "15550001111", "id": "wamid.QUOTED001"}
    )

    assert parse_one(channel, payloads, message).target_id == "wamid.QUOTED001"


@pytest.mark.parametrize("reply_type", ["button_reply", "list_reply"])
def test_interactive_reply_becomes_a_button(channel, payloads, reply_type):
    """button_reply and list_reply give BUTTON with the id as payload, title as text."""
    message = payloads.message(
        "interactive",
        {"type": reply_type, reply_type: {"id": "consent:yes", "title": "Согласен"}},
        context={"from": "15550001111", "id": "wamid.ASKED0001"},
    )

    event = parse_one(channel, payloads, message)

    assert event.kind is EventKind.BUTTON
    assert event.payload == "consent:yes"
    assert event.text == "Согласен"
    assert event.target_id == "wamid.ASKED0001"


def test_unknown_interactive_reply_is_unsupported(channel, payloads):
    """An interactive kind other than button or list reply is kept as UNSUPPORTED."""
    message = payloads.message(
        "interactive", {"type": "nfm_reply", "nfm_reply": {"response_json": "{}"}}
    )

    event = parse_one(channel, payloads, message)

    assert event.kind is EventKind.UNSUPPORTED
    assert event.payload == "interactive.nfm_reply"


def test_template_quick_reply_becomes_a_button(channel, payloads):
    """A template's quick reply (type button) gives BUTTON with payload and text."""
    message = payloads.message("button", {"payload": "book:later", "text": "Позже"})

    event = parse_one(channel, payloads, message)

    assert (event.kind, event.payload, event.text) == (
        EventKind.BUTTON,
        "book:later",
        "Позже",
    )


@pytest.mark.parametrize(
    ("kind", "content", "expected"),
    [
        (
            "image",
            {"caption": "Вот фото", "mime_type": "image/jpeg", "id": "7"},
            Media("image", "image/jpeg", "7", "Вот фото"),
        ),
        (
            "video",
            {"mime_type": "video/mp4", "sha256": "x", "id": "8"},
            Media("video", "video/mp4", "8", None),
        ),
        (
            "audio",
            {"mime_type": "audio/ogg; codecs=opus", "sha256": "x", "id": "9"},
            Media("audio", "audio/ogg; codecs=opus", "9", None),
        ),
        (
            "audio",
            {"mime_type": "audio/ogg; codecs=opus", "sha256": "x", "id": "10",
             "voice": True},
            Media("voice", "audio/ogg; codecs=opus", "10", None),
        ),
        (
            "document",
            {"caption": "Договор", "filename": "test.pdf",
             "mime_type": "application/pdf", "sha256": "x", "id": "11"},
            Media("document", "application/pdf", "11", "Договор"),
        ),
        (
            "sticker",
            {"mime_type": "image/webp", "sha256": "x", "id": "12", "animated": False},
            Media("sticker", "image/webp", "12", None),
        ),
    ],
)  # fmt: skip
def test_media_becomes_a_media_event(channel, payloads, kind, content, expected):
    """Each media type gives MEDIA with mime type, provider id and caption."""
    event = parse_one(channel, payloads, payloads.message(kind, content))

    assert event.kind is EventKind.MEDIA
    assert event.media == expected
    assert event.text == expected.caption


def test_reaction_gives_the_emoji_and_the_target(channel, payloads):
    """A reaction gives REACTION with the emoji as payload and the message as target."""
    message = payloads.message(
        "reaction", {"message_id": "wamid.OURS0001", "emoji": "\U0001f44d"}
    )

    event = parse_one(channel, payloads, message)

    assert event.kind is EventKind.REACTION
    assert event.payload == "\U0001f44d"
    assert event.target_id == "wamid.OURS0001"


def test_removed_reaction_has_an_empty_payload(channel, payloads):
    """A reaction with an empty emoji (removed) gives payload ''."""
    message = payloads.message(
        "reaction", {"message_id": "wamid.OURS0001", "emoji": ""}
    )

    event = parse_one(channel, payloads, message)

    assert (event.kind, event.payload) == (EventKind.REACTION, "")


def test_shared_contact_gives_first_phone_and_formatted_name(channel, payloads):
    """A contacts message gives CONTACT with the first card's phone and name."""
    cards = [
        {
            "name": {"formatted_name": "Тестовый Контакт", "first_name": "Тестовый"},
            "phones": [
                {"phone": "+7 999 000-55-66", "wa_id": "79990005566", "type": "CELL"},
                {"phone": "+7 999 000-77-88", "type": "WORK"},
            ],
        },
        {"name": {"formatted_name": "Второй Контакт"}, "phones": []},
    ]
    message = payloads.message("contacts", cards)

    event = parse_one(channel, payloads, message)

    assert event.kind is EventKind.CONTACT
    assert event.contact == Contact(name="Тестовый Контакт", phone="+7 999 000-55-66")


def test_location_gives_coordinates_and_place(channel, payloads):
    """A location gives LOCATION, coordinates as payload, name and address as text."""
    location = {
        "latitude": 55.0001,
        "longitude": 37.0002,
        "name": "Тестовый салон",
        "address": "ул. Примерная, д. 1",
    }

    event = parse_one(channel, payloads, payloads.message("location", location))

    assert event.kind is EventKind.LOCATION
    assert event.payload == "55.0001,37.0002"
    assert event.text == "Тестовый салон, ул. Примерная, д. 1"


def test_unsupported_message_keeps_its_error_codes(channel, payloads):
    """type unsupported gives UNSUPPORTED with the error codes, never a crash."""
    message = payloads.message(
        "unsupported",
        {"type": "edit"},
        errors=[{"code": 131051, "title": "Message type unknown"}],
    )

    event = parse_one(channel, payloads, message)

    assert event.kind is EventKind.UNSUPPORTED
    assert event.errors == ("131051",)
    assert event.payload == "unsupported"
    assert not event.from_client


def test_unknown_message_type_is_unsupported(channel, payloads):
    """A type leadwire does not know gives UNSUPPORTED with the type as payload."""
    message = payloads.message("order", {"catalog_id": "1", "product_items": []})

    event = parse_one(channel, payloads, message)

    assert (event.kind, event.payload) == (EventKind.UNSUPPORTED, "order")


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("sent", DeliveryStatus.SENT),
        ("delivered", DeliveryStatus.DELIVERED),
        ("read", DeliveryStatus.READ),
        ("failed", DeliveryStatus.FAILED),
    ],
)
def test_status_becomes_a_status_event(channel, payloads, name, status):
    """A status gives STATUS for the wamid, no sender, an id of its own."""
    document = payloads.delivery(
        payloads.value(statuses=[payloads.status("wamid.OURS0002", name)])
    )

    (event,) = channel.parse(payloads.post(document))

    assert event.kind is EventKind.STATUS
    assert event.status is status
    assert event.target_id == "wamid.OURS0002"
    assert event.event_id == f"wamid.OURS0002:{name}"
    assert event.sender is None
    assert event.conversation == payloads.CLIENT
    assert not event.from_client


def test_failed_status_carries_error_codes(channel, payloads):
    """A failed status gives its error codes as strings."""
    failed = payloads.status(
        "wamid.OURS0003",
        "failed",
        errors=[{"code": 131047, "title": "Re-engagement message"}],
    )
    document = payloads.delivery(payloads.value(statuses=[failed]))

    (event,) = channel.parse(payloads.post(document))

    assert event.errors == ("131047",)


def test_statuses_of_one_message_have_distinct_event_ids(channel, payloads):
    """sent, delivered and read of one wamid in one delivery are three events."""
    statuses = [
        payloads.status("wamid.OURS0004", name)
        for name in ("sent", "delivered", "read")
    ]
    document = payloads.delivery(payloads.value(statuses=statuses))

    events = channel.parse(payloads.post(document))

    assert [event.status for event in events] == [
        DeliveryStatus.SENT,
        DeliveryStatus.DELIVERED,
        DeliveryStatus.READ,
    ]
    assert len({event.event_id for event in events}) == 3


def test_delivery_statuses_are_ordered():
    """DeliveryStatus compares in delivery order, so a status need never go back."""
    assert (
        DeliveryStatus.SENT
        < DeliveryStatus.DELIVERED
        < DeliveryStatus.READ
        < DeliveryStatus.FAILED
    )


def test_unknown_status_is_unsupported(channel, payloads):
    """A status name leadwire does not know gives UNSUPPORTED, not a crash."""
    document = payloads.delivery(
        payloads.value(statuses=[payloads.status("wamid.OURS0005", "deleted")])
    )

    (event,) = channel.parse(payloads.post(document))

    assert (event.kind, event.payload) == (EventKind.UNSUPPORTED, "deleted")
    assert event.target_id == "wamid.OURS0005"


def test_batch_yields_every_message_and_status(channel, payloads):
    """Several entries, changes, messages and statuses: every one becomes an event."""
    first = payloads.value(
        [payloads.text("Первое"), payloads.text("Второе")],
    )
    second = payloads.value(
        [payloads.text("От другой", sender=payloads.OTHER_CLIENT)],
        statuses=[payloads.status("wamid.OURS0006", "read")],
        contacts=[payloads.contact(payloads.OTHER_CLIENT, name="Другая Тестовая")],
    )
    document = payloads.delivery(first, second)
    document["entry"].append(
        payloads.delivery(payloads.value([payloads.text("Третье")]))["entry"][0]
    )

    events = channel.parse(payloads.post(document))

    assert [event.text for event in events] == [
        "Первое",
        "Второе",
        "От другой",
        None,
        "Третье",
    ]
    assert events[2].sender.name == "Другая Тестовая"
    assert events[3].kind is EventKind.STATUS


def test_other_change_fields_are_kept_as_unsupported(channel, payloads):
    """A change that is not about messages gives one UNSUPPORTED event, no sender."""
    document = payloads.delivery(
        {"event": "FLAGGED", "current_limit": "TIER_1K"},
        field="phone_number_quality_update",
    )

    (event,) = channel.parse(payloads.post(document))

    assert event.kind is EventKind.UNSUPPORTED
    assert event.payload == "phone_number_quality_update"
    assert event.sender is None


def test_same_delivery_parses_to_the_same_event_ids(channel, payloads):
    """Parsing a redelivered body gives the same ids, so the engine can dedupe."""
    document = payloads.delivery(
        {"event": "FLAGGED"}, field="phone_number_quality_update"
    )
    request = payloads.post(document)

    assert [e.event_id for e in channel.parse(request)] == [
        e.event_id for e in channel.parse(request)
    ]


def test_escaped_unicode_body_parses_to_the_text(channel, payloads):
    """A body with Cyrillic and emoji escaped as \\uXXXX parses to the real text."""
    message = payloads.text("Запишите меня \U0001f600")
    request = payloads.post(payloads.delivery(payloads.value([message])))

    assert b"\\u0417" in request.body
    assert channel.parse(request)[0].text == "Запишите меня \U0001f600"


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        (b"not json at all", "not valid JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"object": "instagram", "entry": []}', "not 'whatsapp_business_account'"),
        (b'{"object": "whatsapp_business_account"}', "entry"),
        (b'{"object": "whatsapp_business_account", "entry": [1]}', "entry[0]"),
        (b"\xff\xfe", "not valid JSON"),
    ],
)
def test_malformed_body_raises_value_error(channel, body, complaint):
    """A body that is not a WhatsApp delivery raises ValueError saying what is wrong."""
    with pytest.raises(
        ValueError, match=complaint.replace("[", r"\[").replace("]", r"\]")
    ):
        channel.parse(WebhookRequest(method="POST", body=body))


def test_message_without_id_raises_value_error_naming_the_place(channel, payloads):
    """A message lacking its id is malformed: the error names where, not the content."""
    message = payloads.text("Секретный текст")
    del message["id"]
    document = payloads.delivery(payloads.value([message]))

    with pytest.raises(ValueError, match="messages") as raised:
        channel.parse(payloads.post(document))

    assert "Секретный" not in str(raised.value)


def test_bad_timestamp_raises_value_error(channel, payloads):
    """A timestamp that is not Unix seconds is reported, not guessed."""
    message = payloads.text("Привет", timestamp="вчера")
    document = payloads.delivery(payloads.value([message]))

    with pytest.raises(ValueError, match="timestamp"):
        channel.parse(payloads.post(document))


def test_empty_delivery_gives_no_events(channel, payloads):
    """A delivery with an entry but no changes' messages gives nothing, no error."""
    document = payloads.delivery(payloads.value())

    assert channel.parse(payloads.post(document)) == []


def test_value_level_errors_are_kept(channel, payloads):
    """Errors Meta puts on the change value itself become an UNSUPPORTED event."""
    value = payloads.value()
    value["errors"] = [{"code": 131000, "title": "Something went wrong"}]
    document = payloads.delivery(value)

    (event,) = channel.parse(payloads.post(document))

    assert (event.kind, event.errors) == (EventKind.UNSUPPORTED, ("131000",))


def test_parse_accepts_json_of_the_unescaped_kind_too(channel, payloads):
    """A body with raw UTF-8 (not escaped) parses the same."""
    message = payloads.text("Привет")
    body = json.dumps(payloads.delivery(payloads.value([message])), ensure_ascii=False)

    (event,) = channel.parse(WebhookRequest(method="POST", body=body.encode()))

    assert event.text == "Привет"


def test_username_client_without_number_is_keyed_by_bsuid(channel, payloads):
    """A message with only from_user_id gives that BSUID as sender, no phone."""
    message = payloads.text("Привет")
    del message["from"]
    message["from_user_id"] = "RU.1000000000000001"
    contacts = [
        {"profile": {"name": "Тестовая Клиентка"}, "user_id": message["from_user_id"]}
    ]

    event = parse_one(channel, payloads, message, contacts=contacts)

    assert event.sender == Sender(id="RU.1000000000000001", name="Тестовая Клиентка")
    assert event.conversation == "RU.1000000000000001"


def test_message_without_any_sender_id_raises_value_error(channel, payloads):
    """A message with neither from nor from_user_id is malformed."""
    message = payloads.text("Привет")
    del message["from"]

    with pytest.raises(ValueError, match="from_user_id"):
        channel.parse(payloads.post(payloads.delivery(payloads.value([message]))))


def test_status_for_a_bsuid_recipient_keeps_the_conversation(channel, payloads):
    """A status with recipient_user_id only uses it as the conversation."""
    status = payloads.status("wamid.OURS0007", "delivered")
    del status["recipient_id"]
    status["recipient_user_id"] = "RU.1000000000000001"
    document = payloads.delivery(payloads.value(statuses=[status]))

    (event,) = channel.parse(payloads.post(document))

    assert event.conversation == "RU.1000000000000001"
