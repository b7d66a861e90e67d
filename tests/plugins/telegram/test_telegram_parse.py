"""Parsing Telegram updates into inbound events."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from leadwire import Contact, EventKind, Media, Sender


def only(channel, request):
    events = channel.parse(request)
    assert len(events) == 1
    return events[0]


def test_text_message_becomes_message_event(channel, tg, webhook):
    """A private text message is a MESSAGE from the user, in the user's chat."""
    update = tg.text("Хочу записаться на стрижку")

    event = only(channel, webhook(update))

    assert event.kind is EventKind.MESSAGE
    assert event.channel == "tg_main"
    assert event.event_id == str(update["update_id"])
    assert event.conversation == str(tg.USER_ID)
    assert event.sender == Sender(id=str(tg.USER_ID), name="Тестина Примерова")
    assert event.text == "Хочу записаться на стрижку"
    assert event.occurred_at == datetime.fromtimestamp(tg.SENT_AT, UTC)
    assert event.occurred_at.tzinfo is not None
    assert event.from_client


def test_sender_without_last_name_has_first_name_only(channel, tg, webhook):
    """A user with no last name is named by the first name alone."""
    message = tg.message(text="Привет")
    del message["from"]["last_name"]

    event = only(channel, webhook(tg.update(message=message)))

    assert event.sender.name == "Тестина"


def test_reply_points_at_the_quoted_message(channel, tg, webhook):
    """A reply carries the quoted message's id as its target."""
    quoted = tg.message(message_id=7, text="Выберите время")
    update = tg.text("Давайте в пять", reply_to_message=quoted)

    event = only(channel, webhook(update))

    assert event.target_id == "7"


def test_redelivered_update_keeps_its_event_id(channel, tg, webhook):
    """The same update delivered twice yields the same event id, so it dedupes."""
    update = tg.text()

    first = only(channel, webhook(update))
    again = only(channel, webhook(update))

    assert first.event_id == again.event_id


def test_edited_message_becomes_edit_of_the_original(channel, tg, webhook):
    """An edit targets the original message and has an id of its own."""
    original = tg.text("Запишите на 10")
    edited = tg.message(message_id=11, text="Запишите на 11", edit_date=tg.SENT_AT + 90)
    update = tg.update(edited_message=edited)

    first = only(channel, webhook(original))
    event = only(channel, webhook(update))

    assert event.kind is EventKind.EDIT
    assert event.text == "Запишите на 11"
    assert event.target_id == "11"
    assert event.event_id != first.event_id
    assert event.occurred_at == datetime.fromtimestamp(tg.SENT_AT + 90, UTC)


def test_edited_caption_is_the_edit_text(channel, tg, webhook):
    """Editing a photo's caption is an EDIT whose text is the new caption."""
    photo = [
        {"file_id": "AgAD-photo", "file_unique_id": "u1", "width": 90, "height": 90}
    ]
    edited = tg.message(photo=photo, caption="новая подпись", edit_date=tg.SENT_AT + 5)

    event = only(channel, webhook(tg.update(edited_message=edited)))

    assert (event.kind, event.text) == (EventKind.EDIT, "новая подпись")


def test_live_location_edit_is_unsupported(channel, tg, webhook):
    """A moving live location (an edit without text) is not taken for a client edit."""
    location = {"latitude": 55.0001, "longitude": 37.0001, "live_period": 900}
    edited = tg.message(location=location, edit_date=tg.SENT_AT + 30)

    event = only(channel, webhook(tg.update(edited_message=edited)))

    assert event.kind is EventKind.UNSUPPORTED
    assert not event.from_client


def test_callback_query_becomes_button_with_title(channel, tg, webhook):
    """A pressed inline button is a BUTTON with its data and recovered title."""
    update = tg.callback("consent:agree:3", title="Согласен")

    event = only(channel, webhook(update))

    assert event.kind is EventKind.BUTTON
    assert event.payload == "consent:agree:3"
    assert event.text == "Согласен"
    assert event.target_id == "20"
    assert event.conversation == str(tg.USER_ID)
    assert event.sender.id == str(tg.USER_ID)
    assert event.event_id == str(update["update_id"])


def test_callback_query_time_is_arrival_time(channel, tg, webhook, clock):
    """A callback query has no date, so it happened when it arrived."""
    event = only(channel, webhook(tg.callback("slot:1", title="10:00")))

    assert event.occurred_at == clock.now()


def test_callback_query_without_keyboard_uses_data_as_text(channel, tg, webhook):
    """When the button's title cannot be found, the text is the data."""
    event = only(channel, webhook(tg.callback("slot:2")))

    assert (event.text, event.payload) == ("slot:2", "slot:2")


def test_callback_on_inline_message_uses_the_user_chat(channel, tg, webhook):
    """A button on an inline message (no message) is answered in the user's chat."""
    update = tg.callback("slot:3", title="11:00")
    query = update["callback_query"]
    del query["message"]
    query["inline_message_id"] = "AAAA-inline-1"

    event = only(channel, webhook(update))

    assert (event.kind, event.conversation) == (EventKind.BUTTON, str(tg.USER_ID))
    assert event.target_id is None


def test_callback_query_in_group_is_unsupported(channel, tg, webhook):
    """A button pressed in a group is never answered."""
    update = tg.callback("slot:4", title="12:00")
    update["callback_query"]["message"]["chat"] = tg.group_chat()

    event = only(channel, webhook(update))

    assert event.kind is EventKind.UNSUPPORTED
    assert not event.from_client


def test_own_contact_is_normalised_and_vouched(channel, tg, webhook):
    """The client's own shared contact gives an E.164 phone on contact and sender."""
    shared = {
        "phone_number": "79990000001",
        "first_name": "Тестина",
        "last_name": "Примерова",
        "user_id": tg.USER_ID,
    }

    event = only(channel, webhook(tg.update(message=tg.message(contact=shared))))

    assert event.kind is EventKind.CONTACT
    assert event.contact == Contact(name="Тестина Примерова", phone="+79990000001")
    assert event.sender.phone == "+79990000001"


def test_someone_elses_contact_is_not_the_senders_phone(channel, tg, webhook):
    """A contact card of another person is recorded but not vouched for the sender."""
    shared = {
        "phone_number": "+7 999 000-00-02",
        "first_name": "Другой",
        "user_id": tg.OTHER_USER_ID,
    }

    event = only(channel, webhook(tg.update(message=tg.message(contact=shared))))

    assert event.contact == Contact(name="Другой", phone="+79990000002")
    assert event.sender.phone is None


def test_contact_with_invalid_number_keeps_it_raw(channel, tg, webhook):
    """A number phonenumbers cannot read is kept as given, and not vouched."""
    shared = {"phone_number": "12", "first_name": "Тестина", "user_id": tg.USER_ID}

    event = only(channel, webhook(tg.update(message=tg.message(contact=shared))))

    assert event.contact.phone == "12"
    assert event.sender.phone is None


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        (
            "photo",
            [
                {"file_id": "AgAD-small", "file_unique_id": "s", "width": 90},
                {"file_id": "AgAD-large", "file_unique_id": "l", "width": 1280},
            ],
            Media("image", None, "AgAD-large", "фото ногтей"),
        ),
        (
            "voice",
            {"file_id": "AwAD-voice", "duration": 3, "mime_type": "audio/ogg"},
            Media("voice", "audio/ogg", "AwAD-voice", "фото ногтей"),
        ),
        (
            "audio",
            {"file_id": "CQAD-audio", "duration": 60, "mime_type": "audio/mpeg"},
            Media("audio", "audio/mpeg", "CQAD-audio", "фото ногтей"),
        ),
        (
            "video",
            {"file_id": "BAAD-video", "width": 640, "mime_type": "video/mp4"},
            Media("video", "video/mp4", "BAAD-video", "фото ногтей"),
        ),
        (
            "document",
            {
                "file_id": "BQAD-doc",
                "file_name": "a.pdf",
                "mime_type": "application/pdf",
            },
            Media("document", "application/pdf", "BQAD-doc", "фото ногтей"),
        ),
        (
            "sticker",
            {"file_id": "CAAD-sticker", "type": "regular", "emoji": "😀"},
            Media("sticker", None, "CAAD-sticker", "фото ногтей"),
        ),
    ],
)
def test_attachments_become_media(channel, tg, webhook, field, value, expected):
    """Every attachment kind is a MEDIA event with its file id and the caption."""
    message = tg.message(**{field: value}, caption="фото ногтей")

    event = only(channel, webhook(tg.update(message=message)))

    assert event.kind is EventKind.MEDIA
    assert event.media == expected
    assert event.text == "фото ногтей"


def test_animation_is_video_not_document(channel, tg, webhook):
    """A GIF (Telegram sets animation and document) is recorded as a video."""
    animation = {"file_id": "CgAD-gif", "mime_type": "video/mp4"}
    message = tg.message(animation=animation, document=animation)

    event = only(channel, webhook(tg.update(message=message)))

    assert event.media == Media("video", "video/mp4", "CgAD-gif", None)


def test_location_carries_coordinates(channel, tg, webhook):
    """A shared location is a LOCATION event with "lat,lon" as payload."""
    message = tg.message(location={"latitude": 55.0001, "longitude": 37.0002})

    event = only(channel, webhook(tg.update(message=message)))

    assert event.kind is EventKind.LOCATION
    assert event.payload == "55.0001,37.0002"


def test_venue_names_the_place(channel, tg, webhook):
    """A venue is a LOCATION whose text is its title and address."""
    place = {"latitude": 55.1, "longitude": 37.2}
    venue = {"location": place, "title": "Тест-кафе", "address": "ул. Примерная, 0"}
    message = tg.message(location=place, venue=venue)

    event = only(channel, webhook(tg.update(message=message)))

    assert event.text == "Тест-кафе, ул. Примерная, 0"


def test_reaction_carries_emoji_and_target(channel, tg, webhook):
    """A reaction is a REACTION on the reacted message with the new emoji."""
    reaction = {
        "chat": tg.private_chat(),
        "message_id": 21,
        "user": tg.user(),
        "date": tg.SENT_AT,
        "old_reaction": [],
        "new_reaction": [{"type": "emoji", "emoji": "👍"}],
    }

    event = only(channel, webhook(tg.update(message_reaction=reaction)))

    assert event.kind is EventKind.REACTION
    assert (event.payload, event.target_id) == ("👍", "21")
    assert event.sender.id == str(tg.USER_ID)


def test_removed_reaction_has_empty_emoji(channel, tg, webhook):
    """Taking a reaction back is a REACTION with an empty emoji."""
    reaction = {
        "chat": tg.private_chat(),
        "message_id": 21,
        "user": tg.user(),
        "date": tg.SENT_AT,
        "old_reaction": [{"type": "emoji", "emoji": "👍"}],
        "new_reaction": [],
    }

    event = only(channel, webhook(tg.update(message_reaction=reaction)))

    assert (event.kind, event.payload) == (EventKind.REACTION, "")


def test_channel_post_is_unsupported_without_sender(channel, tg, webhook):
    """A channel post is kept as UNSUPPORTED, with no sender, never answered."""
    post = {
        "message_id": 3,
        "sender_chat": {"id": -1009000000002, "title": "Тест-канал", "type": "channel"},
        "chat": {"id": -1009000000002, "title": "Тест-канал", "type": "channel"},
        "date": tg.SENT_AT,
        "text": "Новость",
    }

    event = only(channel, webhook(tg.update(channel_post=post)))

    assert event.kind is EventKind.UNSUPPORTED
    assert event.sender is None
    assert event.payload == "channel_post"
    assert event.conversation == "-1009000000002"
    assert event.text is None


def test_group_message_is_unsupported(channel, tg, webhook):
    """A message in a group is not a client's message: UNSUPPORTED, no sender."""
    update = tg.text("всем привет", chat=tg.group_chat())

    event = only(channel, webhook(update))

    assert event.kind is EventKind.UNSUPPORTED
    assert event.sender is None
    assert event.text is None
    assert event.conversation == str(tg.GROUP_ID)


def test_message_sent_on_behalf_of_a_chat_is_unsupported(channel, tg, webhook):
    """A message with sender_chat and no from has no person to answer."""
    message = tg.message(text="от имени канала")
    del message["from"]
    message["sender_chat"] = {"id": -1009000000003, "type": "channel", "title": "К"}

    event = only(channel, webhook(tg.update(message=message)))

    assert event.kind is EventKind.UNSUPPORTED
    assert event.sender is None


def test_unknown_message_type_keeps_its_sender(channel, tg, webhook):
    """A private message of a type leadwire does not read (a dice) is UNSUPPORTED."""
    message = tg.message(dice={"emoji": "🎲", "value": 4})

    event = only(channel, webhook(tg.update(message=message)))

    assert event.kind is EventKind.UNSUPPORTED
    assert event.sender.id == str(tg.USER_ID)
    assert not event.from_client


def test_my_chat_member_is_unsupported(channel, tg, webhook):
    """The client blocking the bot (my_chat_member) is kept as UNSUPPORTED."""
    member = {
        "chat": tg.private_chat(),
        "from": tg.user(),
        "date": tg.SENT_AT,
        "old_chat_member": {"status": "member", "user": {"id": 999000111}},
        "new_chat_member": {"status": "kicked", "user": {"id": 999000111}},
    }

    event = only(channel, webhook(tg.update(my_chat_member=member)))

    assert event.kind is EventKind.UNSUPPORTED
    assert event.payload == "my_chat_member"
    assert event.conversation == str(tg.USER_ID)


def test_impossible_date_falls_back_to_arrival_time(channel, tg, webhook, clock):
    """A date out of any calendar's range is not a crash: arrival time is used."""
    update = tg.text("Привет")
    update["message"]["date"] = 10**20

    event = only(channel, webhook(update))

    assert event.occurred_at == clock.now()


def test_unknown_update_kind_is_unsupported(channel, tg, webhook, clock):
    """An update kind leadwire has never heard of does not crash the parser."""
    event = only(channel, webhook(tg.update(some_future_kind={"x": 1})))

    assert event.kind is EventKind.UNSUPPORTED
    assert event.payload == "some_future_kind"
    assert event.occurred_at == clock.now()


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        (b"not json", "must be JSON"),
        (b"\xff\xfe", "must be JSON"),
        (b"\xc3\x28", "must be JSON"),
        (b"[1, 2]", "must be a JSON object"),
        (b'{"message": {}}', "update_id"),
        (b'{"update_id": "7"}', "update_id"),
        (b'{"update_id": 7, "message": "hi"}', "'message' must be an object"),
        (b'{"update_id": 7, "message": {"text": "hi"}}', "chat"),
    ],
)
def test_malformed_body_is_a_clear_value_error(channel, webhook, body, complaint):
    """A body that is not a Telegram update raises ValueError saying what is wrong."""
    with pytest.raises(ValueError, match=complaint):
        channel.parse(webhook(body))
