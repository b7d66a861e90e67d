"""Turning Instagram webhook deliveries into events: every kind, batches, bad bodies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from leadwire import DeliveryStatus, EventKind, Media, Sender, WebhookRequest


def parse_one(channel, payloads, event):
    """Parse a delivery of one messaging event and return its only leadwire event."""
    events = channel.parse(payloads.posted(event))
    assert len(events) == 1
    return events[0]


def test_text_message_becomes_a_message_event(channel, payloads):
    """A text gives MESSAGE from the IGSID, whose id is also the conversation."""
    event = payloads.message(text="Здравствуйте! Есть окошко на завтра?")

    parsed = parse_one(channel, payloads, event)

    assert parsed.kind is EventKind.MESSAGE
    assert parsed.text == "Здравствуйте! Есть окошко на завтра?"
    assert parsed.event_id == event["message"]["mid"]
    assert parsed.sender == Sender(id=payloads.CLIENT)
    assert parsed.conversation == payloads.CLIENT
    assert parsed.channel == "ig-main"
    assert parsed.from_client


def test_timestamp_in_milliseconds_becomes_aware_utc(channel, payloads):
    """The millisecond timestamp becomes the same instant, aware UTC."""
    parsed = parse_one(channel, payloads, payloads.message(text="Привет"))

    expected = datetime(2026, 3, 2, 9, 50, tzinfo=UTC) + timedelta(milliseconds=123)
    assert parsed.occurred_at == expected


def test_reply_to_becomes_the_target(channel, payloads):
    """A message replying to another gives that mid as target_id."""
    event = payloads.message(text="Да", reply_to={"mid": "aWdfOURS0001"})

    assert parse_one(channel, payloads, event).target_id == "aWdfOURS0001"


def test_story_reply_targets_the_story(channel, payloads):
    """A reply to a story gives the story id as target_id."""
    event = payloads.message(
        text="Сколько стоит?",
        reply_to={"story": {"url": "https://cdn.test/story", "id": "18000000001"}},
    )

    assert parse_one(channel, payloads, event).target_id == "18000000001"


@pytest.mark.parametrize(
    ("kind", "expected_type"),
    [
        ("image", "image"),
        ("video", "video"),
        ("audio", "audio"),
        ("file", "document"),
        ("share", "share"),
        ("story_mention", "story_mention"),
        ("ig_reel", "ig_reel"),
        ("ig_post", "ig_post"),
        ("never_seen_before", "never_seen_before"),
    ],
)
def test_attachments_become_media_events(channel, payloads, kind, expected_type):
    """Every attachment type, known or not, gives MEDIA and never crashes."""
    event = payloads.message(
        attachments=[{"type": kind, "payload": {"url": "https://cdn.test/x"}}]
    )

    parsed = parse_one(channel, payloads, event)

    assert parsed.kind is EventKind.MEDIA
    assert parsed.media.type == expected_type


def test_reel_attachment_keeps_its_id_and_title(channel, payloads):
    """An ig_reel's video id and title are kept; its URL is not."""
    attachment = {
        "type": "ig_reel",
        "payload": {
            "url": "https://cdn.test/reel",
            "title": "Тестовый ролик",
            "reel_video_id": "18000000002",
        },
    }

    parsed = parse_one(channel, payloads, payloads.message(attachments=[attachment]))

    assert parsed.media == Media("ig_reel", None, "18000000002", "Тестовый ролик")


def test_attachment_without_payload_or_type_does_not_crash(channel, payloads):
    """A bare attachment object gives MEDIA of type unknown."""
    parsed = parse_one(channel, payloads, payloads.message(attachments=[{}]))

    assert (parsed.kind, parsed.media.type) == (EventKind.MEDIA, "unknown")


def test_several_attachments_give_one_event_each(channel, payloads):
    """Two images with a text give two MEDIA events; the first keeps mid and text."""
    event = payloads.message(
        text="Вот примеры",
        attachments=[
            {"type": "image", "payload": {"url": "https://cdn.test/1"}},
            {"type": "image", "payload": {"url": "https://cdn.test/2"}},
        ],
    )
    mid = event["message"]["mid"]

    events = channel.parse(payloads.posted(event))

    assert [e.kind for e in events] == [EventKind.MEDIA, EventKind.MEDIA]
    assert [e.event_id for e in events] == [mid, f"{mid}:1"]
    assert [e.text for e in events] == ["Вот примеры", None]


def test_message_without_text_or_attachments_is_unsupported(channel, payloads):
    """A message object with nothing leadwire reads is kept as UNSUPPORTED."""
    parsed = parse_one(channel, payloads, payloads.message())

    assert (parsed.kind, parsed.payload) == (EventKind.UNSUPPORTED, "empty")


def test_quick_reply_becomes_a_button(channel, payloads):
    """A quick reply gives BUTTON with its payload and the title as text."""
    event = payloads.message(text="Согласен", quick_reply={"payload": "consent:agree"})

    parsed = parse_one(channel, payloads, event)

    assert (parsed.kind, parsed.payload, parsed.text) == (
        EventKind.BUTTON,
        "consent:agree",
        "Согласен",
    )


def test_postback_becomes_a_button(channel, payloads):
    """A postback gives BUTTON with payload and title."""
    event = payloads.event(
        postback={"mid": "aWdfPOST0001", "title": "Записаться", "payload": "book"}
    )

    parsed = parse_one(channel, payloads, event)

    assert (parsed.kind, parsed.payload, parsed.text) == (
        EventKind.BUTTON,
        "book",
        "Записаться",
    )
    assert parsed.sender == Sender(id=payloads.CLIENT)


def test_echo_is_never_a_client_message(channel, payloads):
    """Our own message coming back gives ECHO in the recipient's conversation."""
    event = payloads.message(payloads.ACCOUNT, text="Ждём вас!", is_echo=True)

    parsed = parse_one(channel, payloads, event)

    assert parsed.kind is EventKind.ECHO
    assert parsed.conversation == payloads.CLIENT
    assert parsed.sender is None
    assert not parsed.from_client


def test_echo_with_attachment_is_still_an_echo(channel, payloads):
    """An echoed attachment is an ECHO too, not client media."""
    event = payloads.message(
        payloads.ACCOUNT,
        is_echo=True,
        attachments=[{"type": "image", "payload": {"url": "https://cdn.test/3"}}],
    )

    assert parse_one(channel, payloads, event).kind is EventKind.ECHO


def test_deleted_message_becomes_a_delete(channel, payloads):
    """is_deleted gives DELETE targeting the mid, with an id of its own."""
    event = payloads.message(mid="aWdfGONE0001", is_deleted=True)

    parsed = parse_one(channel, payloads, event)

    assert parsed.kind is EventKind.DELETE
    assert parsed.target_id == "aWdfGONE0001"
    assert parsed.event_id != "aWdfGONE0001"


def test_unsupported_message_is_unsupported(channel, payloads):
    """is_unsupported gives UNSUPPORTED, not a client message."""
    parsed = parse_one(channel, payloads, payloads.message(is_unsupported=True))

    assert parsed.kind is EventKind.UNSUPPORTED
    assert not parsed.from_client


def test_reaction_gives_emoji_and_target(channel, payloads):
    """A react gives REACTION with the emoji and the reacted-to mid."""
    event = payloads.event(
        reaction={
            "mid": "aWdfOURS0002",
            "action": "react",
            "reaction": "love",
            "emoji": "\u2764\ufe0f",
        }
    )

    parsed = parse_one(channel, payloads, event)

    assert parsed.kind is EventKind.REACTION
    assert parsed.payload == "\u2764\ufe0f"
    assert parsed.target_id == "aWdfOURS0002"


def test_unreact_gives_an_empty_payload(channel, payloads):
    """An unreact gives REACTION with payload '' and an id apart from the react."""
    react = payloads.event(
        reaction={"mid": "aWdfOURS0002", "action": "react", "emoji": "\U0001f44d"}
    )
    unreact = payloads.event(
        reaction={"mid": "aWdfOURS0002", "action": "unreact"},
        timestamp=payloads.SENT_AT_MS + 1000,
    )

    first, second = channel.parse(payloads.posted(react, unreact))

    assert (second.kind, second.payload) == (EventKind.REACTION, "")
    assert first.event_id != second.event_id


def test_read_becomes_a_read_status(channel, payloads):
    """A read gives STATUS READ for the mid, with no sender."""
    event = payloads.event(read={"mid": "aWdfOURS0003"})

    parsed = parse_one(channel, payloads, event)

    assert parsed.kind is EventKind.STATUS
    assert parsed.status is DeliveryStatus.READ
    assert parsed.target_id == "aWdfOURS0003"
    assert parsed.sender is None
    assert parsed.conversation == payloads.CLIENT


def test_edit_becomes_an_edit_with_the_new_text(channel, payloads):
    """A message_edit gives EDIT with the new text, targeting the mid."""
    event = payloads.event(
        message_edit={"mid": "aWdfEDIT0001", "text": "Лучше в среду", "num_edit": 1}
    )

    parsed = parse_one(channel, payloads, event)

    assert (parsed.kind, parsed.text, parsed.target_id) == (
        EventKind.EDIT,
        "Лучше в среду",
        "aWdfEDIT0001",
    )


def test_referral_and_unknown_events_are_unsupported(channel, payloads):
    """A referral and an unknown event kind give UNSUPPORTED naming the kind."""
    referral = payloads.event(referral={"ref": "promo", "source": "SHORTLINK"})
    unknown = payloads.event(something_new={"x": 1})

    first, second = channel.parse(payloads.posted(referral, unknown))

    assert (first.kind, first.payload) == (EventKind.UNSUPPORTED, "referral")
    assert (second.kind, second.payload) == (EventKind.UNSUPPORTED, "something_new")
    assert first.event_id != second.event_id


def test_batch_yields_every_event_of_every_entry(channel, payloads):
    """Several entries with several events: every one becomes an event, in order."""
    document = payloads.delivery(
        payloads.entry(
            payloads.message(text="Первое"),
            payloads.message(payloads.OTHER_CLIENT, text="Второе"),
        ),
        payloads.entry(
            payloads.event(read={"mid": "aWdfOURS0004"}),
            payloads.message(text="Третье"),
        ),
    )

    events = channel.parse(payloads.post(document))

    assert [e.text for e in events] == ["Первое", "Второе", None, "Третье"]
    assert events[1].conversation == payloads.OTHER_CLIENT


def test_changes_of_other_fields_are_kept_as_unsupported(channel, payloads):
    """A comments change in an entry gives an UNSUPPORTED event, no sender."""
    entry = {
        "id": payloads.ACCOUNT,
        "time": payloads.SENT_AT_MS,
        "changes": [{"field": "comments", "value": {"id": "1", "text": "Круто"}}],
    }

    (event,) = channel.parse(payloads.post(payloads.delivery(entry)))

    assert (event.kind, event.payload, event.sender) == (
        EventKind.UNSUPPORTED,
        "comments",
        None,
    )


def test_escaped_unicode_body_parses_to_the_text(channel, payloads):
    """A body with Cyrillic and emoji escaped as \\uXXXX parses to the real text."""
    request = payloads.posted(payloads.message(text="Хочу на маникюр \U0001f485"))

    assert b"\\u0425" in request.body
    assert channel.parse(request)[0].text == "Хочу на маникюр \U0001f485"


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        (b"{broken", "not valid JSON"),
        (b'"a string"', "not a JSON object"),
        (b'{"object": "whatsapp_business_account", "entry": []}', "not 'instagram'"),
        (b'{"object": "instagram"}', "entry"),
        (b'{"object": "instagram", "entry": [{"messaging": "x"}]}', "messaging"),
    ],
)
def test_malformed_body_raises_value_error(channel, body, complaint):
    """A body that is not an Instagram delivery raises ValueError saying why."""
    with pytest.raises(ValueError, match=complaint):
        channel.parse(WebhookRequest(method="POST", body=body))


def test_message_without_mid_raises_value_error_without_content(channel, payloads):
    """A message lacking its mid is malformed; the error does not quote the text."""
    event = payloads.message(text="Секретный текст")
    del event["message"]["mid"]

    with pytest.raises(ValueError, match="mid") as raised:
        channel.parse(payloads.posted(event))

    assert "Секретный" not in str(raised.value)


def test_bad_timestamp_raises_value_error(channel, payloads):
    """A timestamp that is not Unix milliseconds is reported, not guessed."""
    event = payloads.message(text="Привет", timestamp="вчера")

    with pytest.raises(ValueError, match="timestamp"):
        channel.parse(payloads.posted(event))


def test_standby_events_are_kept_as_unsupported(channel, payloads):
    """Events in an entry's standby list (another app's thread) are not dropped."""
    entry = {
        "id": payloads.ACCOUNT,
        "time": payloads.SENT_AT_MS,
        "standby": [payloads.message(text="Для другого приложения")],
    }

    (event,) = channel.parse(payloads.post(payloads.delivery(entry)))

    assert (event.kind, event.payload) == (EventKind.UNSUPPORTED, "standby")
    assert not event.from_client
