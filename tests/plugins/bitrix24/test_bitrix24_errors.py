"""Portal errors: limits waited out, server errors retried, credentials fail fast."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

from leadwire import (
    ClientId,
    Contact,
    CredentialsError,
    Lead,
    RateLimitedError,
    RejectedError,
    TemporaryError,
)
from leadwire_bitrix24 import Bitrix24Crm


def ok() -> httpx.Response:
    return httpx.Response(200, json={"result": {"ID": "1"}, "time": {}})


HTML_503 = (
    b"<html><head><title>503 Service Temporarily Unavailable</title></head></html>"
)


def error(
    status: int, code: str, description: str = "", **extra: Any
) -> httpx.Response:
    payload = {"error": code, "error_description": description, **extra}
    return httpx.Response(status, json=payload)


async def test_query_limit_exceeded_fills_the_bucket_and_retries(
    crm: Bitrix24Crm, portal: respx.MockRouter, clock: Any
) -> None:
    """A 503 QUERY_LIMIT_EXCEEDED waits for one slot to drain (0.5 s), then succeeds."""
    route = portal.post("crm.lead.get.json").mock(
        side_effect=[error(503, "QUERY_LIMIT_EXCEEDED", "Too many requests"), ok()]
    )

    reply = await crm.transport.call("crm.lead.get", {"id": 1})

    assert reply.result == {"ID": "1"}
    assert route.call_count == 2
    assert clock.slept == pytest.approx(0.5)


async def test_a_write_refused_for_the_limit_is_retried_too(
    crm: Bitrix24Crm, portal: respx.MockRouter
) -> None:
    """QUERY_LIMIT_EXCEEDED means nothing was done, so even an add is re-sent."""
    route = portal.post("crm.lead.add.json").mock(
        side_effect=[
            error(503, "QUERY_LIMIT_EXCEEDED"),
            httpx.Response(200, json={"result": 3465}),
        ]
    )

    reply = await crm.transport.call("crm.lead.add", {"fields": {}})

    assert (reply.result, route.call_count) == (3465, 2)


async def test_a_limit_that_persists_becomes_rate_limited(
    make_crm: Callable[..., Bitrix24Crm], portal: respx.MockRouter
) -> None:
    """After max_attempts refusals the engine gets RateLimitedError with a hint."""
    crm = make_crm(max_attempts=3)
    route = portal.post("crm.lead.get.json").mock(
        return_value=error(503, "QUERY_LIMIT_EXCEEDED")
    )

    with pytest.raises(RateLimitedError) as caught:
        await crm.transport.call("crm.lead.get", {"id": 1})

    assert route.call_count == 3
    assert caught.value.retry_after is not None
    assert "QUERY_LIMIT_EXCEEDED" in str(caught.value)


async def test_operation_time_limit_waits_for_the_reset(
    crm: Bitrix24Crm, portal: respx.MockRouter, clock: Any
) -> None:
    """A 429 OPERATION_TIME_LIMIT sleeps until operating_reset_at, then retries."""
    reset_at = clock.now().timestamp() + 20
    portal.post("crm.lead.list.json").mock(
        side_effect=[
            error(429, "OPERATION_TIME_LIMIT", time={"operating_reset_at": reset_at}),
            httpx.Response(200, json={"result": [], "total": 0}),
        ]
    )

    reply = await crm.transport.call("crm.lead.list", {})

    assert reply.result == []
    assert clock.sleeps == [pytest.approx(20)]


async def test_a_distant_reset_goes_back_to_the_outbox(
    crm: Bitrix24Crm, portal: respx.MockRouter, clock: Any
) -> None:
    """A reset further than max_wait_seconds raises RateLimitedError at once."""
    reset_at = clock.now().timestamp() + 480
    route = portal.post("crm.lead.list.json").mock(
        return_value=error(429, "OPERATION_TIME_LIMIT", operating_reset_at=reset_at)
    )

    with pytest.raises(RateLimitedError) as caught:
        await crm.transport.call("crm.lead.list", {})

    assert caught.value.retry_after == pytest.approx(480)
    assert route.call_count == 1
    assert clock.sleeps == []


async def test_an_html_503_does_not_break_the_parser(
    crm: Bitrix24Crm, portal: respx.MockRouter
) -> None:
    """A 503 HTML page is retried like a server error, then the answer is read."""
    route = portal.post("crm.lead.get.json").mock(
        side_effect=[httpx.Response(503, content=HTML_503), ok()]
    )

    reply = await crm.transport.call("crm.lead.get", {"id": 1})

    assert reply.result == {"ID": "1"}
    assert route.call_count == 2


async def test_server_errors_back_off_and_then_succeed(
    crm: Bitrix24Crm, portal: respx.MockRouter, clock: Any
) -> None:
    """Two 500s are retried after 1 s and 2 s, through the clock."""
    portal.post("crm.lead.get.json").mock(
        side_effect=[
            error(500, "INTERNAL_SERVER_ERROR"),
            error(500, "INTERNAL_SERVER_ERROR"),
            ok(),
        ]
    )

    await crm.transport.call("crm.lead.get", {"id": 1})

    assert clock.sleeps == [1.0, 2.0]


async def test_server_errors_are_bounded_then_temporary(
    crm: Bitrix24Crm, portal: respx.MockRouter, clock: Any
) -> None:
    """Four 500s in a row: TemporaryError with retry_after, no wait after the last."""
    route = portal.post("crm.lead.get.json").mock(
        return_value=error(500, "INTERNAL_SERVER_ERROR")
    )

    with pytest.raises(TemporaryError) as caught:
        await crm.transport.call("crm.lead.get", {"id": 1})

    assert not isinstance(caught.value, RateLimitedError)
    assert route.call_count == 4
    assert clock.sleeps == [1.0, 2.0, 4.0]
    assert caught.value.retry_after == 30.0


async def test_a_lost_connection_on_a_read_is_retried(
    crm: Bitrix24Crm, portal: respx.MockRouter
) -> None:
    """A connection reset on a read-only call is simply tried again."""
    route = portal.post("crm.lead.get.json").mock(
        side_effect=[httpx.RemoteProtocolError("reset"), ok()]
    )

    await crm.transport.call("crm.lead.get", {"id": 1})

    assert route.call_count == 2


async def test_a_server_error_on_a_create_is_not_blindly_repeated(
    crm: Bitrix24Crm,
    portal: respx.MockRouter,
    duplicates: Callable[..., Any],
    lead_list: Callable[..., Any],
) -> None:
    """A 500 on crm.lead.add may hide a created lead: look, and hand back."""
    portal.post("crm.duplicate.findbycomm.json").mock(side_effect=duplicates({}))
    listing = portal.post("crm.lead.list.json").mock(side_effect=lead_list())
    add = portal.post("crm.lead.add.json").mock(
        return_value=error(500, "INTERNAL_SERVER_ERROR")
    )
    lead = Lead(
        ClientId("CLIENT_0123456789ab"), "website", Contact(phone="+79990001144")
    )

    with pytest.raises(TemporaryError):
        await crm.upsert_lead(lead, idempotency_key="k")

    assert add.call_count == 1
    assert listing.call_count == 2  # before creating, and after the lost answer


@pytest.mark.parametrize(
    ("response", "advice"),
    [
        (
            error(401, "NO_AUTH_FOUND", "Wrong authorization data"),
            "new inbound webhook",
        ),
        (error(401, "expired_token", "The access token expired"), "regenerate"),
        (error(403, "insufficient_scope", "The request requires higher"), "crm"),
        (error(403, "ACCESS_DENIED", "REST is available only on paid"), "plan"),
        (error(401, "", ""), "crm scope"),
        (httpx.Response(403, content=b"<html>Forbidden</html>"), "crm scope"),
        (error(400, "INVALID_REQUEST", "Https required."), "https://"),
    ],
    ids=[
        "no-auth",
        "expired",
        "scope",
        "access-denied",
        "empty-401",
        "html-403",
        "https",
    ],
)
async def test_credentials_problems_fail_fast_with_advice(
    response: httpx.Response,
    advice: str,
    crm: Bitrix24Crm,
    portal: respx.MockRouter,
    webhook_code: str,
) -> None:
    """Auth, scope and access errors raise CredentialsError once, saying what to fix."""
    route = portal.post("crm.lead.get.json").mock(return_value=response)

    with pytest.raises(CredentialsError) as caught:
        await crm.transport.call("crm.lead.get", {"id": 1})

    assert route.call_count == 1
    assert advice in str(caught.value)
    assert webhook_code not in str(caught.value)
    assert caught.value.connector == "crm"


async def test_overload_block_is_not_hammered(
    crm: Bitrix24Crm, portal: respx.MockRouter
) -> None:
    """OVERLOAD_LIMIT (blocked by support) is reported at once with a long pause."""
    route = portal.post("crm.lead.get.json").mock(
        return_value=error(503, "OVERLOAD_LIMIT", "REST API is blocked")
    )

    with pytest.raises(RateLimitedError) as caught:
        await crm.transport.call("crm.lead.get", {"id": 1})

    assert route.call_count == 1
    assert "support" in str(caught.value)
    assert caught.value.retry_after == 600


async def test_other_refusals_name_the_code_but_not_the_description(
    crm: Bitrix24Crm, portal: respx.MockRouter
) -> None:
    """A 400 is RejectedError with the code, not the description (it may echo data)."""
    portal.post("crm.lead.add.json").mock(
        return_value=error(400, "ERROR_CORE", "Phone +79990001155 is not valid")
    )

    with pytest.raises(RejectedError) as caught:
        await crm.transport.call("crm.lead.add", {"fields": {}})

    assert "ERROR_CORE (HTTP 400)" in str(caught.value)
    assert "9990001155" not in str(caught.value)


async def test_the_webhook_never_reaches_the_logs(
    crm: Bitrix24Crm,
    portal: respx.MockRouter,
    caplog: pytest.LogCaptureFixture,
    webhook_code: str,
) -> None:
    """No log line, ours or httpx's own request line, carries the webhook code."""
    caplog.set_level(logging.DEBUG)
    portal.post("crm.lead.get.json").mock(
        side_effect=[
            httpx.ReadTimeout("timed out"),
            error(500, "INTERNAL_SERVER_ERROR"),
            ok(),
        ]
    )

    await crm.transport.call("crm.lead.get", {"id": 1})

    assert any(record.name == "httpx" for record in caplog.records)
    assert any(record.name == "leadwire.plugins.crm" for record in caplog.records)
    assert webhook_code not in caplog.text
    httpx_lines = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert all("***crm.lead.get.json" in line for line in httpx_lines)
