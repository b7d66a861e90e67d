"""Sending messages and consent requests through the Bot API, and its failures."""

from __future__ import annotations

import json
import logging

import attrs
import httpx
import pytest

from leadwire import (
    ConsentPrompt,
    CredentialsError,
    OutboundMessage,
    RateLimitedError,
    RejectedError,
    SendReceipt,
    TemporaryError,
)

PROMPT = ConsentPrompt(
    text="ООО «Тест» просит согласие на обработку персональных данных.",
    version="3",
    agree=("consent:agree:3", "Согласен"),
    refuse=("consent:refuse:3", "Не согласен"),
)


def sent_bodies(route) -> list[dict]:
    return [json.loads(call.request.content) for call in route.calls]


async def test_text_is_sent_to_the_chat(channel, tg, bot_api):
    """A short text is one sendMessage to the chat, and its id comes back."""
    route = bot_api.post("/sendMessage").mock(return_value=tg.sent_ok(101))

    receipt = await channel.send(OutboundMessage(str(tg.USER_ID), "Добрый день!"))

    assert receipt == SendReceipt(("101",))
    assert sent_bodies(route) == [{"chat_id": tg.USER_ID, "text": "Добрый день!"}]


async def test_buttons_become_an_inline_keyboard(channel, tg, bot_api):
    """Buttons are inline buttons, one per row, with the payload as callback_data."""
    route = bot_api.post("/sendMessage").mock(return_value=tg.sent_ok(102))
    message = OutboundMessage(
        str(tg.USER_ID),
        "Когда удобно?",
        buttons=(("slot:1", "10:00"), ("slot:2", "11:00")),
    )

    await channel.send(message)

    assert sent_bodies(route)[0]["reply_markup"] == {
        "inline_keyboard": [
            [{"text": "10:00", "callback_data": "slot:1"}],
            [{"text": "11:00", "callback_data": "slot:2"}],
        ]
    }


async def test_reply_quotes_the_message(channel, tg, bot_api):
    """reply_to becomes reply_parameters, tolerant of a deleted original."""
    route = bot_api.post("/sendMessage").mock(return_value=tg.sent_ok(103))

    await channel.send(OutboundMessage(str(tg.USER_ID), "Да", reply_to="11"))

    assert sent_bodies(route)[0]["reply_parameters"] == {
        "message_id": 11,
        "allow_sending_without_reply": True,
    }


async def test_long_text_is_split_with_buttons_on_the_last_part(channel, tg, bot_api):
    """A text over 4096 goes in parts; the buttons ride on the last one only."""
    route = bot_api.post("/sendMessage").mock(
        side_effect=[tg.sent_ok(201), tg.sent_ok(202), tg.sent_ok(203)]
    )
    paragraph = "Мы работаем ежедневно. " * 100
    text = "\n\n".join([paragraph.strip()] * 3)  # 3 x 2300: no two fit together
    message = OutboundMessage(str(tg.USER_ID), text, buttons=(("menu", "Меню"),))

    receipt = await channel.send(message)

    bodies = sent_bodies(route)
    assert receipt == SendReceipt(("201", "202", "203"))
    assert [body["text"] for body in bodies] == [paragraph.strip()] * 3
    assert [("reply_markup" in body) for body in bodies] == [False, False, True]
    assert " ".join(body["text"] for body in bodies).split() == text.split()


async def test_empty_text_is_refused_before_sending(channel, tg, bot_api):
    """An empty message is a clear RejectedError, with no call made."""
    with pytest.raises(RejectedError, match="empty message"):
        await channel.send(OutboundMessage(str(tg.USER_ID), "   "))


async def test_oversized_button_payload_is_refused_before_sending(channel, tg, bot_api):
    """A payload over 64 bytes cannot be callback_data: refused, nothing sent."""
    payload = "я" * 33  # 66 bytes in UTF-8
    message = OutboundMessage(str(tg.USER_ID), "Текст", buttons=((payload, "Да"),))

    with pytest.raises(RejectedError, match="66 bytes"):
        await channel.send(message)


async def test_consent_request_has_agree_and_refuse_buttons(channel, tg, bot_api):
    """The consent text goes alone, with the prompt's payloads on inline buttons."""
    route = bot_api.post("/sendMessage").mock(return_value=tg.sent_ok(301))

    receipt = await channel.send_consent_request(str(tg.USER_ID), PROMPT)

    assert receipt == SendReceipt(("301",))
    assert sent_bodies(route) == [
        {
            "chat_id": tg.USER_ID,
            "text": PROMPT.text,
            "reply_markup": {
                "inline_keyboard": [
                    [{"text": "Согласен", "callback_data": "consent:agree:3"}],
                    [{"text": "Не согласен", "callback_data": "consent:refuse:3"}],
                ]
            },
        }
    ]


async def test_consent_request_asks_for_phone_in_second_message(channel, tg, bot_api):
    """With ask_phone, a second message carries a request_contact reply keyboard."""
    route = bot_api.post("/sendMessage").mock(
        side_effect=[tg.sent_ok(302), tg.sent_ok(303)]
    )
    prompt = attrs.evolve(PROMPT, ask_phone=True)

    receipt = await channel.send_consent_request(str(tg.USER_ID), prompt)

    second = sent_bodies(route)[1]
    assert receipt == SendReceipt(("302", "303"))
    assert second["reply_markup"]["keyboard"] == [
        [{"text": "Отправить номер телефона", "request_contact": True}]
    ]
    assert second["reply_markup"]["one_time_keyboard"] is True


async def test_ask_phone_setting_asks_for_phone(make_channel, tg, bot_api):
    """The ask_phone setting asks for the phone even when the prompt does not."""
    channel = make_channel(ask_phone=True, phone_button_text="Мой номер")
    route = bot_api.post("/sendMessage").mock(
        side_effect=[tg.sent_ok(304), tg.sent_ok(305)]
    )

    await channel.send_consent_request(str(tg.USER_ID), PROMPT)

    button = sent_bodies(route)[1]["reply_markup"]["keyboard"][0][0]
    assert button == {"text": "Мой номер", "request_contact": True}


async def test_no_phone_button_outside_private_chats(make_channel, tg, bot_api):
    """Telegram offers the contact button in private chats only: groups skip it."""
    channel = make_channel(ask_phone=True)
    route = bot_api.post("/sendMessage").mock(return_value=tg.sent_ok(306))

    receipt = await channel.send_consent_request(str(tg.GROUP_ID), PROMPT)

    assert receipt == SendReceipt(("306",))
    assert route.call_count == 1


# -- failures ----------------------------------------------------------------


async def test_429_is_rate_limited_with_retry_after(channel, tg, bot_api):
    """Telegram's flood limit becomes RateLimitedError with its retry_after."""
    bot_api.post("/sendMessage").mock(
        return_value=tg.failed(429, "Too Many Requests: retry after 17", retry_after=17)
    )

    with pytest.raises(RateLimitedError) as caught:
        await channel.send(OutboundMessage(str(tg.USER_ID), "Привет"))

    assert caught.value.retry_after == 17
    assert caught.value.connector == "tg_main"


@pytest.mark.parametrize(
    ("code", "description"), [(401, "Unauthorized"), (404, "Not Found")]
)
async def test_bad_token_is_a_credentials_error(
    channel, tg, bot_api, code, description
):
    """401 or 404 mean the bot token is wrong: CredentialsError with advice."""
    bot_api.post("/sendMessage").mock(return_value=tg.failed(code, description))

    with pytest.raises(CredentialsError, match="@BotFather"):
        await channel.send(OutboundMessage(str(tg.USER_ID), "Привет"))


async def test_blocked_bot_is_rejected(channel, tg, bot_api):
    """403 (the client blocked the bot) is RejectedError: retrying cannot help."""
    bot_api.post("/sendMessage").mock(
        return_value=tg.failed(403, "Forbidden: bot was blocked by the user")
    )

    with pytest.raises(RejectedError, match="blocked"):
        await channel.send(OutboundMessage(str(tg.USER_ID), "Привет"))


async def test_bad_request_is_rejected_with_telegrams_reason(channel, tg, bot_api):
    """400 is RejectedError and says Telegram's reason."""
    bot_api.post("/sendMessage").mock(
        return_value=tg.failed(400, "Bad Request: chat not found")
    )

    with pytest.raises(RejectedError, match="chat not found"):
        await channel.send(OutboundMessage(str(tg.USER_ID), "Привет"))


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_server_errors_are_temporary(channel, tg, bot_api, status):
    """5xx, even as an HTML page from a proxy, is a TemporaryError."""
    bot_api.post("/sendMessage").mock(
        return_value=httpx.Response(status, text="<html>Bad Gateway</html>")
    )

    with pytest.raises(TemporaryError) as caught:
        await channel.send(OutboundMessage(str(tg.USER_ID), "Привет"))

    assert type(caught.value) is TemporaryError


@pytest.mark.parametrize(
    "error",
    [
        httpx.ConnectTimeout("timed out"),
        httpx.ReadTimeout("timed out"),
        httpx.ConnectError("connection refused"),
        httpx.RemoteProtocolError("server hung up"),
    ],
)
async def test_network_failures_are_temporary(channel, tg, bot_api, error):
    """Timeouts and connection failures are TemporaryErrors."""
    bot_api.post("/sendMessage").mock(side_effect=error)

    with pytest.raises(TemporaryError):
        await channel.send(OutboundMessage(str(tg.USER_ID), "Привет"))


async def test_unset_token_variable_is_a_credentials_error(
    channel, tg, bot_api, monkeypatch
):
    """With the token's variable unset, sending says which variable to set."""
    monkeypatch.delenv("TEST_TG_BOT_TOKEN")

    with pytest.raises(CredentialsError, match="TEST_TG_BOT_TOKEN"):
        await channel.send(OutboundMessage(str(tg.USER_ID), "Привет"))


# -- the token never leaks -----------------------------------------------------


def assert_token_absent(error: BaseException, token: str) -> None:
    chain = [error, error.__cause__, error.__context__]
    for item in filter(None, chain):
        assert token not in str(item)
        assert token not in repr(item)
        assert token not in repr(item.args)


@pytest.mark.parametrize(
    "answer",
    [
        httpx.ConnectError("connection refused"),
        httpx.ReadTimeout("timed out"),
        "status-500",
        "status-401",
        "status-429",
    ],
)
async def test_token_never_in_errors_or_logs(channel, tg, bot_api, caplog, answer):
    """No failure puts the bot token in an exception's text, repr or the log."""
    caplog.set_level(logging.DEBUG)
    route = bot_api.post("/sendMessage")
    if isinstance(answer, str):
        code = int(answer.split("-")[1])
        route.mock(return_value=tg.failed(code, "Failure", retry_after=3))
    else:
        route.mock(side_effect=answer)

    with pytest.raises((TemporaryError, CredentialsError)) as caught:
        await channel.send(OutboundMessage(str(tg.USER_ID), "Привет"))

    assert_token_absent(caught.value, tg.BOT_TOKEN)
    assert tg.BOT_TOKEN not in caplog.text


async def test_description_echoing_the_token_is_redacted(channel, tg, bot_api):
    """Should Telegram's description quote the token, it is redacted."""
    bot_api.post("/sendMessage").mock(
        return_value=tg.failed(400, f"Bad Request: wrong bot{tg.BOT_TOKEN}")
    )

    with pytest.raises(RejectedError) as caught:
        await channel.send(OutboundMessage(str(tg.USER_ID), "Привет"))

    assert_token_absent(caught.value, tg.BOT_TOKEN)
    assert "<bot token>" in str(caught.value)


async def test_successful_send_logs_no_token(channel, tg, bot_api, caplog):
    """httpx's request log line shows the Bot API URL without the token."""
    caplog.set_level(logging.DEBUG)
    bot_api.post("/sendMessage").mock(return_value=tg.sent_ok(401))

    await channel.send(OutboundMessage(str(tg.USER_ID), "Привет"))

    assert "sendMessage" in caplog.text  # httpx did log the request
    assert tg.BOT_TOKEN not in caplog.text
    assert "Привет" not in caplog.text
