"""Mapping Graph API failures to leadwire's exceptions.

Meta answers a failed call with ``{"error": {"code", "error_subcode", "type",
"message", "fbtrace_id", ...}}``. Only the codes and the trace id reach an
exception: Meta's own message texts can quote the recipient or the token.
What a code means differs between products; a :class:`GraphProduct` says it
for one, and :func:`error_for_answer` applies it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import attrs
import httpx

from leadwire import (
    ConnectorError,
    CredentialsError,
    OutsideWindowError,
    RateLimitedError,
    RejectedError,
    TemporaryError,
)

#: Graph API permission failures: code 10 and the 200-299 range.
PERMISSION_DENIED = 10
PERMISSION_RANGE = range(200, 300)
#: An expired, revoked or unknown access token.
EXPIRED_TOKEN = frozenset({190})


@attrs.frozen
class GraphProduct:
    """One of Meta's messaging APIs: its name, its error codes, its advice.

    :param name: The product in messages and log lines: ``"WhatsApp"``.
    :param api: The API in messages: ``"the WhatsApp Cloud API"``.
    :param outside_window: Whether a ``(code, subcode)`` pair means the 24-hour
        window for free-form replies is closed.
    :param rate_limited: Codes that ask to slow down.
    :param temporary: Codes of failures that pass with time.
    :param refusals: What a refused call's code means, said in the exception.
    :param outside_window_advice: What may still be sent outside the window.
    :param new_token: The token to generate when the old one is rejected,
        after "Generate a ".
    :param forbidden: The message when the token may not send; a template
        with ``{token_env}``, ``{account}`` and ``{what}``.
    """

    name: str
    api: str
    outside_window: Callable[[int | None, int | None], bool]
    rate_limited: frozenset[int]
    temporary: frozenset[int]
    refusals: Mapping[int, str]
    outside_window_advice: str
    new_token: str
    forbidden: str


def error_for_answer(
    response: httpx.Response,
    product: GraphProduct,
    *,
    connector: str,
    token_env: str,
    account: str,
    now: datetime,
) -> ConnectorError:
    """The exception for a non-2xx answer of *product*'s API.

    :param account: The sending account, named when the token may not send.
    """
    error = _error_object(response)
    code = _integer(error.get("code"))
    subcode = _integer(error.get("error_subcode"))
    trace_id = _trace_id(error, response)
    status = response.status_code
    what = f"HTTP {status}, code {code}" + (f"/{subcode}" if subcode else "")

    if product.outside_window(code, subcode):
        return OutsideWindowError(
            f"more than 24 hours passed since the client's last message ({what}); "
            + product.outside_window_advice,
            connector=connector,
            trace_id=trace_id,
        )

    if code in product.rate_limited or status == 429:
        return RateLimitedError(
            f"{product.name} asked to slow down ({what}); send again later",
            connector=connector,
            trace_id=trace_id,
            retry_after=_retry_after(response, now),
        )

    if code in EXPIRED_TOKEN or status == 401:
        return CredentialsError(
            f"Meta rejected the access token from environment variable {token_env} "
            f"({what}): it expired, was revoked or is mistyped. Generate a "
            f"{product.new_token}, put it in {token_env} and restart",
            connector=connector,
            trace_id=trace_id,
        )

    if code == PERMISSION_DENIED or code in PERMISSION_RANGE:
        return CredentialsError(
            product.forbidden.format(token_env=token_env, account=account, what=what),
            connector=connector,
            trace_id=trace_id,
        )

    if code in product.temporary or status >= 500:
        return TemporaryError(
            f"{product.api} failed ({what}); send again later",
            connector=connector,
            trace_id=trace_id,
            retry_after=_retry_after(response, now),
        )

    reason = product.refusals.get(code or 0, "the request was refused")
    return RejectedError(
        f"{product.name} refused the message: {reason} ({what})",
        connector=connector,
        trace_id=trace_id,
    )


def error_for_transport(
    error: httpx.RequestError, product: GraphProduct, *, connector: str
) -> TemporaryError:
    """The exception when *product*'s API could not be reached or did not answer."""
    return TemporaryError(
        f"could not reach {product.api} ({type(error).__name__}); send again later",
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
