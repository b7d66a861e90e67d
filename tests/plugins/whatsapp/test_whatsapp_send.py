"""Sending through the Cloud API: texts, buttons, lists, consent, and every failure."""

from __future__ import annotations

import json

import pytest
import respx

from leadwire import (
    ConsentPrompt,
    CredentialsError,
    OutboundMessage,
    OutsideWindowError,
    RateLimitedError,
    RejectedError,
    SendReceipt,
    TemporaryError,
)


def sent_bodies(route):
    return [json.loads(call.request.content) for call in route.calls]


async def test_text_is_sent_as_one_text_message(channel, payloads, graph):
    """A short text goes as one text message to the wa_id, with the bearer token."""
    receipt = await channel.send(OutboundMessage(payloads.CLIENT, "Добрый день!"))

    (body,) = sent_bodies(graph)
    assert body == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": payloads.CLIENT,
        "type": "text",
        "text": {"preview_url": False, "body": "Добрый день!"},
    }
    request = graph.calls[0].request
    assert request.headers["authorization"] == f"Bearer {payloads.ACCESS_TOKEN}"
    assert payloads.ACCESS_TOKEN not in str(request.url)
    assert receipt == SendReceipt(("wamid.TEST001001",))


async def test_long_text_is_split_at_4096(channel, payloads, graph):
    """A 9000-character text goes as parts within 4096 characters, words intact."""
    sentence = "Мы работаем каждый день с девяти до девяти. "
    text = sentence * (9000 // len(sentence))

    receipt = await channel.send(OutboundMessage(payloads.CLIENT, text))

    parts = [body["text"]["body"] for body in sent_bodies(graph)]
    assert len(parts) == 3
    assert all(len(part) <= 4096 for part in parts)
    assert all(part.endswith("девяти.") for part in parts)
    assert " ".join(parts).split() == text.split()
    assert len(receipt.message_ids) == 3


async def test_three_buttons_become_reply_buttons(channel, payloads, graph):
    """Up to three buttons become interactive reply buttons under the text."""
    buttons = (("slot:1", "Понедельник 10:00"), ("slot:2", "Вторник 12:00"))

    await channel.send(OutboundMessage(payloads.CLIENT, "Когда удобно?", buttons))

    (body,) = sent_bodies(graph)
    assert body["type"] == "interactive"
    assert body["interactive"] == {
        "type": "button",
        "body": {"text": "Когда удобно?"},
        "action": {
            "buttons": [
                {
                    "type": "reply",
                    "reply": {"id": "slot:1", "title": "Понедельник 10:00"},
                },
                {"type": "reply", "reply": {"id": "slot:2", "title": "Вторник 12:00"}},
            ]
        },
    }


async def test_long_button_titles_are_shortened_to_20(channel, payloads, graph):
    """A title over 20 characters is cut to 20 with an ellipsis; the id is kept."""
    buttons = (("svc:long", "Комплексный уход за волосами"),)

    await channel.send(OutboundMessage(payloads.CLIENT, "Выберите услугу", buttons))

    (body,) = sent_bodies(graph)
    reply = body["interactive"]["action"]["buttons"][0]["reply"]
    assert reply["id"] == "svc:long"
    assert len(reply["title"]) == 20
    assert reply["title"].endswith("…")


async def test_more_than_three_buttons_become_a_list(channel, payloads, graph):
    """Four to ten buttons become one list message with a row per button."""
    buttons = tuple((f"svc:{n}", f"Услуга номер {n}") for n in range(1, 6))

    await channel.send(OutboundMessage(payloads.CLIENT, "Что вас интересует?", buttons))

    (body,) = sent_bodies(graph)
    interactive = body["interactive"]
    assert interactive["type"] == "list"
    assert interactive["body"] == {"text": "Что вас интересует?"}
    assert interactive["action"]["button"] == "Варианты"
    rows = interactive["action"]["sections"][0]["rows"]
    assert [row["id"] for row in rows] == [payload for payload, _ in buttons]


async def test_more_than_ten_buttons_go_on_several_lists(channel, payloads, graph):
    """Twelve buttons give a list of ten under the text and a list of two after it."""
    buttons = tuple((f"svc:{n}", f"Услуга {n}") for n in range(1, 13))

    receipt = await channel.send(OutboundMessage(payloads.CLIENT, "Услуги:", buttons))

    first, second = sent_bodies(graph)
    assert len(first["interactive"]["action"]["sections"][0]["rows"]) == 10
    assert second["interactive"]["type"] == "list"
    assert second["interactive"]["body"] == {"text": "Выберите вариант:"}
    assert len(second["interactive"]["action"]["sections"][0]["rows"]) == 2
    assert len(receipt.message_ids) == 2


async def test_reply_to_quotes_the_message(channel, payloads, graph):
    """reply_to becomes the context of the first message sent."""
    await channel.send(
        OutboundMessage(payloads.CLIENT, "Да, конечно.", reply_to="wamid.CLIENT0001")
    )

    (body,) = sent_bodies(graph)
    assert body["context"] == {"message_id": "wamid.CLIENT0001"}


CONSENT = ConsentPrompt(
    text="Для записи нам нужно ваше согласие на обработку персональных данных.",
    version="2026-03",
    agree=("consent:agree", "Согласен"),
    refuse=("consent:refuse", "Не согласен"),
)


async def test_consent_request_is_one_interactive_message(channel, payloads, graph):
    """A consent text within 1024 characters carries agree and refuse buttons itself."""
    receipt = await channel.send_consent_request(payloads.CLIENT, CONSENT)

    (body,) = sent_bodies(graph)
    assert body["interactive"]["body"] == {"text": CONSENT.text}
    replies = [b["reply"] for b in body["interactive"]["action"]["buttons"]]
    assert replies == [
        {"id": "consent:agree", "title": "Согласен"},
        {"id": "consent:refuse", "title": "Не согласен"},
    ]
    assert len(receipt.message_ids) == 1


async def test_long_consent_text_goes_first_then_the_buttons(channel, payloads, graph):
    """A consent text over 1024 characters goes as text, then a short button message."""
    long_text = "Оператор: ООО «Тест». " * 60
    prompt = ConsentPrompt(long_text, "2026-03", CONSENT.agree, CONSENT.refuse)

    receipt = await channel.send_consent_request(payloads.CLIENT, prompt)

    text, buttons = sent_bodies(graph)
    assert text["type"] == "text"
    assert text["text"]["body"] == long_text.strip()
    assert buttons["interactive"]["body"] == {"text": "Выберите вариант:"}
    assert len(buttons["interactive"]["action"]["buttons"]) == 2
    assert len(receipt.message_ids) == 2


# --------------------------------------------------------------------------
# Failures


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        (400, 131047, OutsideWindowError),
        (400, 130429, RateLimitedError),
        (400, 131056, RateLimitedError),
        (400, 4, RateLimitedError),
        (400, 80007, RateLimitedError),
        (401, 190, CredentialsError),
        (403, 10, CredentialsError),
        (400, 131026, RejectedError),
        (400, 131048, RejectedError),
        (400, 100, RejectedError),
        (500, 131000, TemporaryError),
        (503, 2, TemporaryError),
    ],
)
async def test_api_error_codes_map_to_leadwire_errors(
    channel, payloads, status, code, expected
):
    """Each documented error code raises its leadwire error, with the trace id."""
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router:
        router.post(payloads.MESSAGES_URL).respond(status, json=payloads.failure(code))

        with pytest.raises(expected) as raised:
            await channel.send(OutboundMessage(payloads.CLIENT, "Привет"))

    assert type(raised.value) is expected
    assert raised.value.trace_id == "ATraceTest123"
    assert raised.value.connector == "wa-main"
    assert str(code) in str(raised.value)


async def test_rate_limit_takes_retry_after_from_the_header(channel, payloads):
    """A 429 with Retry-After gives RateLimitedError with that many seconds."""
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router:
        router.post(payloads.MESSAGES_URL).respond(
            429, json=payloads.failure(130429), headers={"Retry-After": "30"}
        )

        with pytest.raises(RateLimitedError) as raised:
            await channel.send(OutboundMessage(payloads.CLIENT, "Привет"))

    assert raised.value.retry_after == 30.0


async def test_bsuid_conversation_is_addressed_as_recipient(channel, graph):
    """A conversation keyed by a BSUID is sent with "recipient" instead of "to"."""
    await channel.send(OutboundMessage("RU.1000000000000001", "Добрый день!"))

    (body,) = sent_bodies(graph)
    assert body["recipient"] == "RU.1000000000000001"
    assert "to" not in body
