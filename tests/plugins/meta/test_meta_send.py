"""Posting to a Graph API messages endpoint, and its failures, for each Meta channel."""

from __future__ import annotations

import logging

import httpx
import pytest
import respx
from meta_fakes import ACCESS_TOKEN, APP_SECRET, CLIENT, TOKEN_ENV
from meta_payloads import graph_failure

from leadwire import (
    ConnectorError,
    CredentialsError,
    OutboundMessage,
    RateLimitedError,
    RejectedError,
    SendReceipt,
    TemporaryError,
)


async def send(channel, url, **answer) -> None:
    """Send a short text to an endpoint answering *answer* (respx's respond)."""
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router:
        router.post(url).respond(**answer)
        await channel.send(OutboundMessage(CLIENT, "Привет"))


async def test_text_goes_with_the_bearer_token_and_timeout(meta_channel, messages_url):
    """The token travels only in the Authorization header, with the set timeout."""
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router:
        route = router.post(messages_url).respond(200, json={})
        await meta_channel.send(OutboundMessage(CLIENT, "Привет"))

    (call,) = route.calls
    assert call.request.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert ACCESS_TOKEN not in str(call.request.url)
    assert ACCESS_TOKEN not in call.request.content.decode()
    assert call.request.extensions["timeout"]["read"] == 15.0


@pytest.mark.parametrize("text", ["", "   "])
async def test_empty_message_is_refused_before_any_call(
    meta_channel, messages_url, text
):
    """An empty text without buttons raises RejectedError and calls nothing."""
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as router:
        route = router.post(messages_url)

        with pytest.raises(RejectedError, match="empty"):
            await meta_channel.send(OutboundMessage(CLIENT, text))

    assert not route.called


async def test_http_429_takes_retry_after(meta_channel, messages_url):
    """A bare 429 with Retry-After gives RateLimitedError with that delay."""
    with pytest.raises(RateLimitedError) as raised:
        await send(
            meta_channel, messages_url, status_code=429, headers={"Retry-After": "12"}
        )

    assert raised.value.retry_after == 12.0


async def test_retry_after_as_http_date_counts_from_the_clock(
    meta_channel, messages_url
):
    """Retry-After written as an HTTP date is measured from the channel's clock."""
    headers = {"Retry-After": "Mon, 02 Mar 2026 10:01:30 GMT"}

    with pytest.raises(RateLimitedError) as raised:
        await send(meta_channel, messages_url, status_code=429, headers=headers)

    assert raised.value.retry_after == 90.0


async def test_http_401_without_body_is_a_credentials_error(meta_channel, messages_url):
    """A bare 401 names the environment variable to fix, not the token."""
    with pytest.raises(CredentialsError) as raised:
        await send(meta_channel, messages_url, status_code=401, text="Unauthorized")

    assert TOKEN_ENV in str(raised.value)
    assert "restart" in str(raised.value)
    assert ACCESS_TOKEN not in str(raised.value)


async def test_trace_id_header_is_used_when_the_body_has_none(
    meta_channel, messages_url
):
    """Without fbtrace_id in the body, the x-fb-trace-id header is the trace id."""
    with pytest.raises(TemporaryError) as raised:
        await send(
            meta_channel,
            messages_url,
            status_code=502,
            text="<html>Bad gateway</html>",
            headers={"x-fb-trace-id": "HdrTrace9"},
        )

    assert raised.value.trace_id == "HdrTrace9"
    assert raised.value.connector == "meta"


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ReadTimeout("timed out"),
        httpx.ConnectTimeout("timed out"),
        httpx.ConnectError("connection refused"),
        httpx.RemoteProtocolError("eof"),
    ],
)
async def test_network_failures_are_temporary(meta_channel, messages_url, failure):
    """Timeouts and broken connections raise TemporaryError."""
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router:
        router.post(messages_url).mock(side_effect=failure)

        with pytest.raises(TemporaryError) as raised:
            await meta_channel.send(OutboundMessage(CLIENT, "Привет"))

    assert type(raised.value) is TemporaryError
    assert type(failure).__name__ in str(raised.value)


async def test_answer_without_message_id_still_counts_as_sent(
    meta_channel, messages_url, caplog
):
    """A 200 without a message id is logged and gives an empty receipt, no error."""
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router:
        router.post(messages_url).respond(200, json={})

        receipt = await meta_channel.send(OutboundMessage(CLIENT, "Привет"))

    assert receipt == SendReceipt(())
    assert "no message id" in caplog.text


def test_channel_repr_shows_no_secret(meta_channel):
    """repr of the channel names it, never its credentials."""
    assert "meta" in repr(meta_channel)
    assert ACCESS_TOKEN not in repr(meta_channel)
    assert APP_SECRET not in repr(meta_channel)


#: Per channel, failures whose exception and log line are checked for leaks.
LEAKING_FAILURES = [
    ("whatsapp", 190, None),
    ("whatsapp", 131047, None),
    ("whatsapp", 131026, None),
    ("whatsapp", 130429, None),
    ("whatsapp", 131000, None),
    ("instagram", 190, None),
    ("instagram", 10, 2534022),
    ("instagram", 100, None),
]


@pytest.mark.parametrize(
    ("kind", "code", "subcode"), LEAKING_FAILURES, indirect=["kind"]
)
async def test_token_and_client_stay_out_of_errors_and_logs(
    meta_channel, messages_url, caplog, code, subcode
):
    """Meta's message quoting the token and number reaches neither exception nor log."""
    caplog.set_level(logging.DEBUG)
    text = "Мой номер +7 999 000-11-22"
    answer = graph_failure(
        code,
        subcode,
        message=f"(#{code}) Test failure for {CLIENT} with {ACCESS_TOKEN}",
        type="OAuthException",
        error_data={"details": f"details for +{CLIENT}"},
        fbtrace_id="ATraceTest123",
    )
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router:
        router.post(messages_url).respond(400, json=answer)

        with pytest.raises(ConnectorError) as raised:
            await meta_channel.send(OutboundMessage(CLIENT, text))

    for output in (str(raised.value), repr(raised.value), caplog.text):
        assert ACCESS_TOKEN not in output
        assert CLIENT not in output
        assert text not in output
    assert caplog.records, "the failure is logged"
