"""Sending through the Instagram API: texts, quick replies, consent, failures."""

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


def sent_messages(route):
    bodies = [json.loads(call.request.content) for call in route.calls]
    assert all(body["recipient"] == {"id": "990000000000001"} for body in bodies)
    return [body["message"] for body in bodies]


async def test_text_is_sent_with_the_bearer_token(channel, payloads, graph):
    """A short text goes as one message to the IGSID; the token only in the header."""
    receipt = await channel.send(OutboundMessage(payloads.CLIENT, "Добрый день!"))

    assert sent_messages(graph) == [{"text": "Добрый день!"}]
    request = graph.calls[0].request
    assert request.headers["authorization"] == f"Bearer {payloads.ACCESS_TOKEN}"
    assert payloads.ACCESS_TOKEN not in str(request.url)
    assert len(receipt.message_ids) == 1


async def test_long_text_is_split_within_1000_bytes(channel, payloads, graph):
    """A long Cyrillic text goes in parts of at most 1000 bytes, cut after sentences."""
    sentence = "Мастер свободен в среду после обеда. "
    text = sentence * 60

    receipt = await channel.send(OutboundMessage(payloads.CLIENT, text))

    parts = [message["text"] for message in sent_messages(graph)]
    assert len(parts) > 2
    assert all(len(part.encode("utf-8")) <= 1000 for part in parts)
    assert all(len(part) <= 1000 for part in parts)
    assert all(part.endswith("обеда.") for part in parts)
    assert " ".join(parts).split() == text.split()
    assert len(receipt.message_ids) == len(parts)


async def test_buttons_become_quick_replies_on_the_last_part(channel, payloads, graph):
    """Buttons become text quick replies, titles cut to 20 characters."""
    buttons = (("slot:1", "Среда 15:00"), ("slot:2", "Четверг, после работы вечером"))

    await channel.send(OutboundMessage(payloads.CLIENT, "Когда удобно?", buttons))

    (message,) = sent_messages(graph)
    assert message["text"] == "Когда удобно?"
    assert message["quick_replies"] == [
        {"content_type": "text", "title": "Среда 15:00", "payload": "slot:1"},
        {"content_type": "text", "title": "Четверг, после рабо…", "payload": "slot:2"},
    ]


async def test_more_than_13_buttons_go_on_a_follow_up(channel, payloads, graph):
    """Fifteen buttons: thirteen under the text, two on a follow-up with a prompt."""
    buttons = tuple((f"svc:{n}", f"Услуга {n}") for n in range(1, 16))

    receipt = await channel.send(OutboundMessage(payloads.CLIENT, "Услуги:", buttons))

    first, second = sent_messages(graph)
    assert len(first["quick_replies"]) == 13
    assert second["text"] == "Ещё варианты:"
    assert [reply["payload"] for reply in second["quick_replies"]] == [
        "svc:14",
        "svc:15",
    ]
    assert len(receipt.message_ids) == 2


async def test_consent_request_carries_agree_and_refuse(channel, payloads, graph):
    """The consent text goes with agree and refuse quick replies."""
    prompt = ConsentPrompt(
        text="Для записи нужно ваше согласие на обработку персональных данных.",
        version="2026-03",
        agree=("consent:agree", "Согласен"),
        refuse=("consent:refuse", "Не согласен"),
    )

    receipt = await channel.send_consent_request(payloads.CLIENT, prompt)

    (message,) = sent_messages(graph)
    assert message["text"] == prompt.text
    assert [reply["payload"] for reply in message["quick_replies"]] == [
        "consent:agree",
        "consent:refuse",
    ]
    assert receipt == SendReceipt(("aWdfZAG1faXRlbTprest001001",))


@pytest.mark.parametrize(
    ("status", "code", "subcode", "expected"),
    [
        (403, 10, 2534022, OutsideWindowError),
        (400, 4, None, RateLimitedError),
        (400, 613, None, RateLimitedError),
        (429, 80002, None, RateLimitedError),
        (401, 190, None, CredentialsError),
        (403, 10, None, CredentialsError),
        (400, 100, 2018001, RejectedError),
        (400, 551, None, RejectedError),
        (500, 1, None, TemporaryError),
        (503, 2, None, TemporaryError),
    ],
)
async def test_api_error_codes_map_to_leadwire_errors(
    channel, payloads, status, code, subcode, expected
):
    """Each error code raises its leadwire error, carrying fbtrace_id as trace id."""
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router:
        router.post(payloads.MESSAGES_URL).respond(
            status, json=payloads.failure(code, subcode)
        )

        with pytest.raises(expected) as raised:
            await channel.send(OutboundMessage(payloads.CLIENT, "Привет"))

    assert type(raised.value) is expected
    assert raised.value.trace_id == "BTraceTest456"
    assert raised.value.connector == "ig-main"


async def test_credentials_error_advises_the_operator(channel, payloads):
    """An expired token names the variable to fix and what to do."""
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router:
        router.post(payloads.MESSAGES_URL).respond(400, json=payloads.failure(190))

        with pytest.raises(CredentialsError) as raised:
            await channel.send(OutboundMessage(payloads.CLIENT, "Привет"))

    assert "TEST_IG_ACCESS_TOKEN" in str(raised.value)
    assert "restart" in str(raised.value)
