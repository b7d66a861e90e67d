"""How the gpt connector fails: retries on a fake clock, typed errors, no key leak."""

from __future__ import annotations

import logging

import httpx
import pytest
from gpt_fakes import (
    FAKE_KEY,
    OPENAI_CHAT,
    REQUEST,
    answer_json,
    api_error,
    completion,
    ok,
)

from leadwire import (
    ConnectorError,
    CredentialsError,
    RateLimitedError,
    RejectedError,
    TemporaryError,
)

SUCCESS = ok(completion(answer_json(reply="Готово")))


async def test_rate_limit_waits_retry_after_ms(mock, make_llm, clock):
    """429 with retry-after-ms waits exactly that long, then succeeds."""
    limited = api_error(429, "rate_limit_exceeded", headers={"retry-after-ms": "250"})
    mock.post(OPENAI_CHAT).mock(side_effect=[limited, SUCCESS])

    result = await make_llm().complete(REQUEST)

    assert result.text == "Готово"
    assert clock.sleeps == [0.25]


async def test_rate_limit_prefers_ms_over_seconds(mock, make_llm, clock):
    """retry-after-ms wins over the coarser retry-after."""
    headers = {"retry-after-ms": "1500", "retry-after": "2"}
    limited = api_error(429, "rate_limit_exceeded", headers=headers)
    mock.post(OPENAI_CHAT).mock(side_effect=[limited, SUCCESS])

    await make_llm().complete(REQUEST)

    assert clock.sleeps == [1.5]


async def test_rate_limit_waits_retry_after_seconds(mock, make_llm, clock):
    """429 with only retry-after (seconds) waits that many seconds."""
    limited = api_error(429, None, headers={"retry-after": "3"})
    mock.post(OPENAI_CHAT).mock(side_effect=[limited, SUCCESS])

    await make_llm().complete(REQUEST)

    assert clock.sleeps == [3.0]


async def test_rate_limit_accepts_an_http_date(mock, make_llm, clock):
    """retry-after as an HTTP date is turned into a wait on the connector's clock."""
    limited = api_error(
        429, None, headers={"retry-after": "Mon, 02 Mar 2026 09:00:04 GMT"}
    )
    mock.post(OPENAI_CHAT).mock(side_effect=[limited, SUCCESS])

    await make_llm().complete(REQUEST)

    assert clock.sleeps == [4.0]


async def test_rate_limit_gives_up_after_max_attempts(mock, make_llm, clock):
    """Three 429s in a row raise RateLimitedError with the server's hint."""
    limited = api_error(429, "rate_limit_exceeded", headers={"retry-after-ms": "100"})
    route = mock.post(OPENAI_CHAT).mock(side_effect=[limited, limited, limited])

    with pytest.raises(RateLimitedError) as caught:
        await make_llm().complete(REQUEST)

    assert route.call_count == 3
    assert clock.sleeps == [0.1, 0.1]
    assert caught.value.retry_after == 0.1
    assert caught.value.trace_id == "req_fake_err"


async def test_rate_limit_longer_than_budget_is_not_waited(mock, make_llm, clock):
    """A wait beyond the reply budget is not taken: the error carries it instead."""
    limited = api_error(429, "rate_limit_exceeded", headers={"retry-after": "60"})
    route = mock.post(OPENAI_CHAT).mock(return_value=limited)

    with pytest.raises(RateLimitedError) as caught:
        await make_llm(budget_seconds=20).complete(REQUEST)

    assert route.call_count == 1
    assert clock.sleeps == []
    assert caught.value.retry_after == 60


async def test_insufficient_quota_is_an_operator_alert(mock, make_llm, clock):
    """429 insufficient_quota is not retried: CredentialsError asks to top up."""
    route = mock.post(OPENAI_CHAT).mock(
        return_value=api_error(429, "insufficient_quota", headers={"retry-after": "1"})
    )

    with pytest.raises(CredentialsError) as caught:
        await make_llm().complete(REQUEST)

    assert route.call_count == 1
    assert clock.sleeps == []
    assert "OpenAI account has no quota left: top up billing" in str(caught.value)


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_server_errors_are_retried_with_backoff(mock, make_llm, clock, status):
    """5xx without a hint is retried after 0.5 s, then 1 s."""
    failure = api_error(status, None)
    mock.post(OPENAI_CHAT).mock(side_effect=[failure, failure, SUCCESS])

    result = await make_llm().complete(REQUEST)

    assert result.text == "Готово"
    assert clock.sleeps == [0.5, 1.0]


async def test_server_errors_exhausted_raise_temporary(mock, make_llm, clock):
    """Persistent 503 ends in TemporaryError with the request id."""
    route = mock.post(OPENAI_CHAT).mock(return_value=api_error(503, None))

    with pytest.raises(TemporaryError) as caught:
        await make_llm(max_attempts=4).complete(REQUEST)

    assert not isinstance(caught.value, RateLimitedError)
    assert route.call_count == 4
    assert clock.sleeps == [0.5, 1.0, 2.0]
    assert caught.value.trace_id == "req_fake_err"
    assert "HTTP 503" in str(caught.value)


async def test_unauthorized_fails_fast_with_advice(mock, make_llm, clock):
    """401 raises CredentialsError at once, with advice about the key."""
    route = mock.post(OPENAI_CHAT).mock(return_value=api_error(401, "invalid_api_key"))

    with pytest.raises(CredentialsError) as caught:
        await make_llm().complete(REQUEST)

    assert route.call_count == 1
    assert clock.sleeps == []
    assert "api_key" in str(caught.value)


async def test_unsupported_region_says_what_to_do(mock, make_llm):
    """403 unsupported_country_region_territory advises another server."""
    mock.post(OPENAI_CHAT).mock(
        return_value=api_error(403, "unsupported_country_region_territory")
    )

    with pytest.raises(CredentialsError) as caught:
        await make_llm().complete(REQUEST)

    assert "local model" in str(caught.value)


async def test_unknown_model_points_at_settings(mock, make_llm):
    """404 raises CredentialsError naming base_url and model."""
    mock.post(OPENAI_CHAT).mock(return_value=api_error(404, "model_not_found"))

    with pytest.raises(CredentialsError) as caught:
        await make_llm(model="gpt-nonexistent").complete(REQUEST)

    assert "base_url" in str(caught.value)
    assert "model" in str(caught.value)


async def test_bad_request_is_rejected_with_the_reason(mock, make_llm, clock):
    """400 raises RejectedError with the provider's reason, not retried."""
    route = mock.post(OPENAI_CHAT).mock(
        return_value=api_error(
            400,
            "unsupported_value",
            message="Unsupported value: 'temperature' does not support 0.2.",
        )
    )

    with pytest.raises(RejectedError) as caught:
        await make_llm(temperature=0.2).complete(REQUEST)

    assert route.call_count == 1
    assert "'temperature' does not support 0.2" in str(caught.value)


async def test_timeouts_are_retried_then_temporary(mock, make_llm, clock):
    """Read timeouts are retried with backoff, then TemporaryError."""
    route = mock.post(OPENAI_CHAT).mock(side_effect=httpx.ReadTimeout("slow"))

    with pytest.raises(TemporaryError) as caught:
        await make_llm().complete(REQUEST)

    assert route.call_count == 3
    assert clock.sleeps == [0.5, 1.0]
    assert "did not answer within 15.0 s" in str(caught.value)


async def test_dropped_connection_is_retried(mock, make_llm, clock):
    """A dropped connection is retried and the next answer used."""
    mock.post(OPENAI_CHAT).mock(
        side_effect=[httpx.RemoteProtocolError("dropped"), SUCCESS]
    )

    result = await make_llm().complete(REQUEST)

    assert result.text == "Готово"
    assert clock.sleeps == [0.5]


async def test_refused_connection_to_local_server_says_so(mock, make_llm):
    """A local server that is down ends in TemporaryError naming its host."""
    mock.post("http://localhost:11434/v1/chat/completions").mock(
        side_effect=httpx.ConnectError("refused")
    )
    llm = make_llm(base_url="http://localhost:11434/v1", api_key=None)

    with pytest.raises(TemporaryError) as caught:
        await llm.complete(REQUEST)

    assert "localhost:11434" in str(caught.value)


async def test_request_timeout_shrinks_to_the_remaining_budget(mock, make_llm, clock):
    """Each try's timeout is the smaller of timeout_seconds and the budget left."""
    seen: list[float] = []

    def slow(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"]["read"])
        clock.advance(request.extensions["timeout"]["read"])
        raise httpx.ReadTimeout("slow", request=request)

    route = mock.post(OPENAI_CHAT).mock(side_effect=slow)

    with pytest.raises(TemporaryError):
        await make_llm(timeout_seconds=8, budget_seconds=10).complete(REQUEST)

    assert seen == [8, 1.5]
    assert route.call_count == 2
    assert clock.sleeps == [0.5]


async def test_spent_budget_stops_before_the_re_ask(mock, make_llm, clock):
    """An unusable answer after the budget is spent ends in TemporaryError."""

    def late(request: httpx.Request) -> httpx.Response:
        clock.advance(30)
        return ok(completion("not json"))

    route = mock.post(OPENAI_CHAT).mock(side_effect=late)

    with pytest.raises(TemporaryError) as caught:
        await make_llm().complete(REQUEST)

    assert route.call_count == 1
    assert "reply budget of 20 s" in str(caught.value)


FAILURES = [
    api_error(401, "invalid_api_key", message=f"Incorrect API key: {FAKE_KEY}"),
    api_error(400, None, message=f"bad key {FAKE_KEY}"),
    api_error(429, "insufficient_quota"),
    api_error(503, None),
    httpx.ConnectError("refused"),
]


@pytest.mark.parametrize("failure", FAILURES)
async def test_key_never_appears_in_errors_or_logs(mock, make_llm, caplog, failure):
    """Whatever fails, neither the exception nor any log line holds the key."""
    caplog.set_level(logging.DEBUG)
    mock.post(OPENAI_CHAT).mock(side_effect=[failure] * 3)

    with pytest.raises(ConnectorError) as caught:
        await make_llm().complete(REQUEST)

    assert FAKE_KEY not in str(caught.value)
    assert FAKE_KEY not in repr(caught.value)
    assert FAKE_KEY not in caplog.text


async def test_unset_key_variable_is_a_credentials_error(mock, make_llm, monkeypatch):
    """A key variable missing at request time is reported as CredentialsError."""
    llm = make_llm()
    monkeypatch.delenv("LEADWIRE_TEST_OPENAI_KEY")

    with pytest.raises(CredentialsError) as caught:
        await llm.complete(REQUEST)

    assert "LEADWIRE_TEST_OPENAI_KEY" in str(caught.value)
