"""Graph API failures mapped to leadwire's exceptions by a product's codes."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from leadwire import (
    CredentialsError,
    OutsideWindowError,
    RateLimitedError,
    RejectedError,
    TemporaryError,
)
from leadwire_meta import GraphProduct, error_for_answer, error_for_transport

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)

#: An invented product whose codes overlap no real one's.
SAMPLE = GraphProduct(
    name="Sample",
    api="the Sample API",
    outside_window=lambda code, subcode: (code, subcode) == (10, 77),
    rate_limited=frozenset({900}),
    temporary=frozenset({901}),
    refusals={902: "the sample was refused"},
    outside_window_advice="only a person may answer now",
    new_token="fresh sample token",
    forbidden="token in {token_env} may not send for {account} ({what}); grant it",
)


def failure(status: int, code: int | None = None, subcode: int | None = None):
    error: dict = {"message": "Quoting +79990001122 and a token", "fbtrace_id": "T1"}
    if code is not None:
        error["code"] = code
    if subcode is not None:
        error["error_subcode"] = subcode
    return httpx.Response(status, json={"error": error})


def mapped(response: httpx.Response):
    return error_for_answer(
        response,
        SAMPLE,
        connector="sample-main",
        token_env="TEST_SAMPLE_TOKEN",
        account="acct-1",
        now=NOW,
    )


@pytest.mark.parametrize(
    ("response", "expected", "words"),
    [
        (failure(400, 10, 77), OutsideWindowError, "only a person may answer now"),
        (failure(400, 900), RateLimitedError, "Sample asked to slow down"),
        (failure(429), RateLimitedError, "Sample asked to slow down"),
        (failure(400, 190), CredentialsError, "Generate a fresh sample token"),
        (failure(401), CredentialsError, "put it in TEST_SAMPLE_TOKEN and restart"),
        (failure(403, 10), CredentialsError, "may not send for acct-1"),
        (failure(403, 250), CredentialsError, "TEST_SAMPLE_TOKEN may not send"),
        (failure(400, 901), TemporaryError, "the Sample API failed"),
        (failure(503), TemporaryError, "the Sample API failed"),
        (failure(400, 902), RejectedError, "the sample was refused"),
        (failure(400, 903), RejectedError, "the request was refused"),
    ],
)
def test_codes_map_by_the_products_table(response, expected, words):
    """Each code or status gives its exception, in the product's words."""
    error = mapped(response)

    assert type(error) is expected
    assert words in str(error)
    assert (error.connector, error.trace_id) == ("sample-main", "T1")
    assert "79990001122" not in str(error)


def test_code_and_subcode_are_said_with_the_status():
    """The message says the HTTP status, the code and the subcode."""
    assert "(HTTP 400, code 902/5)" in str(mapped(failure(400, 902, 5)))


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("30", 30.0),
        ("-5", 0.0),
        ("Mon, 02 Mar 2026 10:01:30 GMT", 90.0),
        ("soon", None),
    ],
)
def test_retry_after_is_read_as_seconds_or_a_date(header, seconds):
    """Retry-After in seconds or as an HTTP date; nonsense gives no delay."""
    response = httpx.Response(429, headers={"Retry-After": header})

    assert mapped(response).retry_after == seconds


def test_a_body_that_is_not_json_still_maps_by_status():
    """A proxy's HTML page maps by its status, with the header's trace id."""
    response = httpx.Response(
        502, text="<html>Bad gateway</html>", headers={"x-fb-trace-id": "Hdr1"}
    )

    error = mapped(response)

    assert type(error) is TemporaryError
    assert error.trace_id == "Hdr1"


def test_transport_failure_is_temporary_and_names_the_api():
    """An unreachable API is a TemporaryError naming the API and the error kind."""
    error = error_for_transport(
        httpx.ConnectError("refused"), SAMPLE, connector="sample-main"
    )

    assert type(error) is TemporaryError
    assert "could not reach the Sample API (ConnectError)" in str(error)
