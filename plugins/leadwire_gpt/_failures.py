"""What an error response from the API means, and what to do about it.

OpenAI-compatible servers answer errors with
``{"error": {"message", "type", "param", "code"}}``. :func:`classify` maps a
response to a :class:`Retry` (wait and try again) or to the exception the
engine should get. Messages name the server's host, never the key; the
provider's own message is left out of credential errors, because OpenAI's
401 message quotes part of the key.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import attrs
import httpx

from leadwire import (
    ConnectorError,
    CredentialsError,
    RateLimitedError,
    RejectedError,
    TemporaryError,
)

__all__ = ["Retry", "classify", "retry_after"]

#: Statuses worth another try: timeouts, lock conflicts, rate limits, overload.
_RETRYABLE = frozenset({408, 409, 429, 500, 502, 503, 504})

_KEY_LIKE = re.compile(r"\b(sk|key)-[A-Za-z0-9_\-*.]{4,}")


@attrs.frozen
class Retry:
    """Try again after *wait* seconds (None: use the backoff), else raise *error*."""

    error: ConnectorError
    wait: float | None = None


def classify(
    response: httpx.Response, *, connector: str, host: str, openai: bool, now: datetime
) -> Retry | ConnectorError:
    """Decide what a non-2xx *response* calls for."""
    error = _error_object(response)
    code = str(error.get("code") or error.get("type") or "")
    trace_id = response.headers.get("x-request-id")
    status = response.status_code

    def fail(kind: type[ConnectorError], message: str) -> ConnectorError:
        return kind(message, connector=connector, trace_id=trace_id)

    if status == 429 and code == "insufficient_quota":
        where = "the OpenAI account" if openai else f"the account at {host}"
        return fail(
            CredentialsError,
            f"{where} has no quota left: top up billing (OpenAI: Settings > "
            "Billing) or raise the project's budget; retrying cannot help",
        )

    if status == 401:
        return fail(
            CredentialsError,
            f"{host} refused the API key (HTTP 401): check that api_key names "
            "the right environment variable and that the key is valid and not "
            "revoked",
        )

    if status == 403:
        if code == "unsupported_country_region_territory":
            return fail(
                CredentialsError,
                f"{host} does not serve requests from this server's country: "
                "point base_url at a reachable OpenAI-compatible server or use a "
                "local model",
            )
        return fail(
            CredentialsError,
            f"{host} denied access (HTTP 403{_code(code)}): check the key's "
            "project, permissions and allowed models",
        )

    if status == 404:
        return fail(
            CredentialsError,
            f"{host} does not know this endpoint or model (HTTP 404{_code(code)}): "
            "check base_url (it ends in /v1) and model",
        )

    if status in _RETRYABLE:
        kind = RateLimitedError if status == 429 else TemporaryError
        wait = retry_after(response.headers, now=now)
        message = f"{host} answered HTTP {status}{_code(code)}"
        return Retry(
            kind(message, connector=connector, trace_id=trace_id, retry_after=wait),
            wait,
        )

    if status >= 500:
        return fail(TemporaryError, f"{host} failed (HTTP {status}{_code(code)})")

    return fail(
        RejectedError,
        f"{host} rejected the request (HTTP {status}{_code(code)}): "
        f"{_safe_message(error)}",
    )


def retry_after(headers: httpx.Headers, *, now: datetime) -> float | None:
    """The wait the server asks for, in seconds, if any.

    ``retry-after-ms`` (OpenAI's, precise) wins over ``retry-after``, which is
    seconds or an HTTP date.
    """
    milliseconds = _number(headers.get("retry-after-ms"))
    if milliseconds is not None:
        return milliseconds / 1000

    raw = headers.get("retry-after")
    seconds = _number(raw)
    if seconds is not None or raw is None:
        return seconds
    try:
        moment = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - now).total_seconds())


def _number(raw: str | None) -> float | None:
    try:
        value = float(raw) if raw is not None else None
    except ValueError:
        return None
    if value is None or value != value or value < 0:  # NaN or negative: ignore
        return None
    return value


def _error_object(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else {}


def _code(code: str) -> str:
    return f", {code}" if code else ""


def _safe_message(error: dict[str, Any]) -> str:
    """The provider's message, shortened and with anything key-like masked."""
    message = error.get("message")
    if not isinstance(message, str) or not message.strip():
        return "no reason given"
    return _KEY_LIKE.sub("[redacted]", message.strip())[:300]
