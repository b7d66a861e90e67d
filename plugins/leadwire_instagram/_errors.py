"""Mapping Instagram messaging API failures to leadwire's exceptions.

Meta answers a failed call with ``{"error": {"code", "error_subcode", "type",
"message", "fbtrace_id"}}``. Only the codes and the trace id reach an exception:
Meta's own message texts can quote the recipient or the token.
"""

from __future__ import annotations

from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from leadwire import (
    ConnectorError,
    CredentialsError,
    OutsideWindowError,
    RateLimitedError,
    RejectedError,
    TemporaryError,
)

#: Code 10 with this subcode: the 24-hour window is closed.
OUTSIDE_WINDOW = (10, 2534022)
#: Graph API throttling: app, user, page, calls, Instagram and Messenger limits.
RATE_LIMITED = frozenset({4, 17, 32, 613, 80002, 80006, 80007})
EXPIRED_TOKEN = frozenset({190})
TEMPORARY = frozenset({1, 2})

#: What a refused call's code means, said in the exception.
REFUSALS = {
    100: "a parameter is invalid or the recipient is unknown",
    551: "the recipient is not available",
}


def error_for_answer(
    response: httpx.Response, *, connector: str, token_env: str, now: datetime
) -> ConnectorError:
    """The exception for a non-2xx answer of the Instagram API."""
    error = _error_object(response)
    code = _integer(error.get("code"))
    subcode = _integer(error.get("error_subcode"))
    trace_id = _trace_id(error, response)
    status = response.status_code
    what = f"HTTP {status}, code {code}" + (f"/{subcode}" if subcode else "")

    if (code, subcode) == OUTSIDE_WINDOW:
        return OutsideWindowError(
            f"more than 24 hours passed since the client's last message ({what}); "
            "an automated reply may not be sent now, only a person may answer",
            connector=connector,
            trace_id=trace_id,
        )

    if code in RATE_LIMITED or status == 429:
        return RateLimitedError(
            f"Instagram asked to slow down ({what}); send again later",
            connector=connector,
            trace_id=trace_id,
            retry_after=_retry_after(response, now),
        )

    if code in EXPIRED_TOKEN or status == 401:
        return CredentialsError(
            f"Meta rejected the access token from environment variable {token_env} "
            f"({what}): it expired, was revoked or is mistyped. Generate a new "
            "long-lived Instagram token with instagram_business_manage_messages, "
            f"put it in {token_env} and restart",
            connector=connector,
            trace_id=trace_id,
        )

    if code == 10 or (code is not None and 200 <= code <= 299):
        return CredentialsError(
            f"the access token from environment variable {token_env} may not send "
            f"messages for this account ({what}). Grant the app the "
            "instagram_business_manage_messages permission and turn on "
            "'Allow access to messages' in the Instagram app's settings",
            connector=connector,
            trace_id=trace_id,
        )

    if code in TEMPORARY or status >= 500:
        return TemporaryError(
            f"the Instagram API failed ({what}); send again later",
            connector=connector,
            trace_id=trace_id,
            retry_after=_retry_after(response, now),
        )

    reason = REFUSALS.get(code or 0, "the request was refused")
    return RejectedError(
        f"Instagram refused the message: {reason} ({what})",
        connector=connector,
        trace_id=trace_id,
    )


def error_for_transport(error: httpx.RequestError, *, connector: str) -> TemporaryError:
    """The exception when the Instagram API could not be reached or did not answer."""
    return TemporaryError(
        f"could not reach the Instagram API ({type(error).__name__}); send again later",
        connector=connector,
    )


def _error_object(response: httpx.Response) -> dict[str, Any]:
    try:
        document = response.json()
    except ValueError:  # a proxy's HTML page, an empty body
        return {}
    error = document.get("error") if isinstance(document, dict) else None
    return error if isinstance(error, dict) else {}


def _trace_id(error: dict[str, Any], response: httpx.Response) -> str | None:
    trace_id = error.get("fbtrace_id")
    if isinstance(trace_id, str) and trace_id:
        return trace_id
    return response.headers.get("x-fb-trace-id")


def _integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _retry_after(response: httpx.Response, now: datetime) -> float | None:
    """Seconds from ``Retry-After``, written as seconds or as an HTTP date."""
    raw = response.headers.get("retry-after")
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        return None
    return max(0.0, (moment - now).total_seconds())
