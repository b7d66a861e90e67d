"""Delivering replies and consent requests to the site's callback URL."""

from __future__ import annotations

import json
import logging
import re

import httpx
import pytest
import respx

from leadwire import (
    ConsentPrompt,
    CredentialsError,
    OutboundMessage,
    RateLimitedError,
    RejectedError,
    TemporaryError,
)
from leadwire_website import sign

PROMPT = ConsentPrompt(
    text="ООО «Тест» просит согласие на обработку персональных данных.",
    version="3",
    agree=("leadwire:consent:agree", "Согласен"),
    refuse=("leadwire:consent:refuse", "Не согласен"),
    ask_phone=True,
)


def delivered(route) -> dict:
    (call,) = route.calls
    return json.loads(call.request.content)


async def test_reply_is_posted_as_json(channel, site, callback):
    """A reply is one JSON message for the session, with its buttons."""
    callback.mock(return_value=httpx.Response(204))
    message = OutboundMessage(
        site.SESSION, "Когда удобно?", buttons=(("slot:1", "10:00"),), reply_to="m-1"
    )

    receipt = await channel.send(message)

    body = delivered(callback)
    assert re.fullmatch(r"lw-[0-9a-f]{32}", body["message_id"])
    assert receipt.message_ids == (body["message_id"],)
    assert body == {
        "type": "message",
        "session": site.SESSION,
        "message_id": body["message_id"],
        "text": "Когда удобно?",
        "buttons": [{"payload": "slot:1", "title": "10:00"}],
        "reply_to": "m-1",
    }


async def test_reply_is_signed_like_the_posts(channel, site, callback, clock):
    """The callback can check the reply with the same recipe and the same secret."""
    callback.mock(return_value=httpx.Response(200))

    await channel.send(OutboundMessage(site.SESSION, "Готово"))

    request = callback.calls.last.request
    stamp = request.headers["X-Leadwire-Timestamp"]
    assert stamp == str(int(clock.now().timestamp()))
    expected = sign(site.SECRET, int(stamp), request.content)
    assert request.headers["X-Leadwire-Signature"] == expected
    assert request.headers["Content-Type"].startswith("application/json")


async def test_each_reply_gets_its_own_id(channel, site, callback):
    """Two replies are two messages with different ids."""
    callback.mock(return_value=httpx.Response(200))

    first = await channel.send(OutboundMessage(site.SESSION, "Раз"))
    second = await channel.send(OutboundMessage(site.SESSION, "Два"))

    assert first.message_ids != second.message_ids


async def test_consent_request_is_a_structured_message(channel, site, callback):
    """The consent request carries the text, version and the prompt's payloads."""
    callback.mock(return_value=httpx.Response(200))

    receipt = await channel.send_consent_request(site.SESSION, PROMPT)

    body = delivered(callback)
    assert receipt.message_ids == (body["message_id"],)
    assert body["type"] == "consent_request"
    assert (body["session"], body["text"], body["version"]) == (
        site.SESSION,
        PROMPT.text,
        "3",
    )
    assert body["buttons"] == [
        {"payload": "leadwire:consent:agree", "title": "Согласен", "answer": "agree"},
        {
            "payload": "leadwire:consent:refuse",
            "title": "Не согласен",
            "answer": "refuse",
        },
    ]
    assert body["ask_phone"] is True


async def test_429_is_rate_limited(channel, site, callback):
    """A 429 from the site is RateLimitedError with its Retry-After."""
    callback.mock(return_value=httpx.Response(429, headers={"Retry-After": "12"}))

    with pytest.raises(RateLimitedError) as caught:
        await channel.send(OutboundMessage(site.SESSION, "Привет"))

    assert caught.value.retry_after == 12
    assert caught.value.connector == "site"


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408])
async def test_server_errors_are_temporary(channel, site, callback, status):
    """5xx (and a request timeout) from the site is a TemporaryError."""
    callback.mock(return_value=httpx.Response(status, text="<h1>down</h1>"))

    with pytest.raises(TemporaryError) as caught:
        await channel.send(OutboundMessage(site.SESSION, "Привет"))

    assert type(caught.value) is TemporaryError


@pytest.mark.parametrize(
    "error",
    [
        httpx.ConnectTimeout("timed out"),
        httpx.ReadTimeout("timed out"),
        httpx.ConnectError("refused"),
    ],
)
async def test_network_failures_are_temporary(channel, site, callback, error):
    """Timeouts and connection failures are TemporaryErrors."""
    callback.mock(side_effect=error)

    with pytest.raises(TemporaryError):
        await channel.send(OutboundMessage(site.SESSION, "Привет"))


@pytest.mark.parametrize("status", [401, 403])
async def test_refused_signature_is_a_credentials_error(
    channel, site, callback, status
):
    """401/403 mean the secrets differ: CredentialsError with advice."""
    callback.mock(return_value=httpx.Response(status))

    with pytest.raises(CredentialsError, match="secret must be the same"):
        await channel.send(OutboundMessage(site.SESSION, "Привет"))


async def test_redirect_is_a_credentials_error(channel, site, callback):
    """A redirecting callback URL needs fixing by the operator."""
    callback.mock(
        return_value=httpx.Response(301, headers={"Location": "https://site.test/x"})
    )

    with pytest.raises(CredentialsError, match="final address"):
        await channel.send(OutboundMessage(site.SESSION, "Привет"))


@pytest.mark.parametrize("status", [400, 404, 422])
async def test_other_client_errors_are_rejected(channel, site, callback, status):
    """Other 4xx answers are RejectedError: retrying cannot help."""
    callback.mock(return_value=httpx.Response(status))

    with pytest.raises(RejectedError):
        await channel.send(OutboundMessage(site.SESSION, "Привет"))


async def test_callback_url_never_in_errors_or_logs(make_channel, site, caplog):
    """A token in the callback URL appears in no error chain or log line."""
    token_url = "https://site.test/hook?token=tok-test-secret-0001"
    channel = make_channel(callback_url=token_url)
    caplog.set_level(logging.DEBUG)

    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router:
        router.post(token_url).mock(side_effect=httpx.ConnectError(token_url))
        with pytest.raises(TemporaryError) as caught:
            await channel.send(OutboundMessage(site.SESSION, "Привет"))

    error = caught.value
    assert error.__context__ is None
    assert error.__cause__ is None
    assert "tok-test-secret-0001" not in str(error)
    assert "tok-test-secret-0001" not in repr(error)
    assert "Привет" not in caplog.text


async def test_unset_secret_variable_is_a_credentials_error(channel, site, monkeypatch):
    """With the secret's variable unset, sending names the variable, sends nothing."""
    monkeypatch.delenv("TEST_SITE_SECRET")

    with (
        respx.mock(assert_all_mocked=True) as router,  # no route: any call fails
        pytest.raises(CredentialsError, match="TEST_SITE_SECRET"),
    ):
        await channel.send(OutboundMessage(site.SESSION, "Привет"))

    assert not router.calls
