"""Calls to a portal's REST API: limits, bounded retries, errors, batches.

Every request first takes a slot from the portal's :class:`LeakyBucket`.
Answers become results or the exceptions of :mod:`leadwire`:

- QUERY_LIMIT_EXCEEDED: the bucket is marked full and the call retried;
- OPERATION_TIME_LIMIT: wait for ``operating_reset_at`` if that is soon,
  otherwise :class:`~leadwire.RateLimitedError` with ``retry_after``;
- server errors, HTML pages, lost connections: retried with backoff when the
  call is safe to repeat; a write (``*.add``) whose answer was lost raises
  :class:`OutcomeUnknownError` instead, so the caller can look before writing;
- NO_AUTH_FOUND, insufficient_scope, ACCESS_DENIED, expired_token, HTTP 401
  and 403: :class:`~leadwire.CredentialsError` with what to fix;
- anything else: :class:`~leadwire.RejectedError` with the portal's code.

Retries wait through the connector's clock (stamina sleeps on the event loop's
own timer, which a fake clock cannot drive), so tests need no real sleeping.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

import attrs
import httpx

from leadwire import (
    Clock,
    CredentialsError,
    RateLimitedError,
    RejectedError,
    TemporaryError,
)
from leadwire_bitrix24.auth import Authorisation
from leadwire_bitrix24.faults import Fault, OutcomeUnknownError
from leadwire_bitrix24.limiter import LeakyBucket

__all__ = ["BATCH_LIMIT", "BatchOutcome", "Command", "Reply", "Retries", "Transport"]

#: Commands one ``batch`` request may carry.
BATCH_LIMIT = 50

#: The portal gives up on a request after 60 s; wait a little longer for it.
_REQUEST_TIMEOUT = httpx.Timeout(70.0, connect=10.0)

#: How long a portal blocked by its support desk is left alone.
_OVERLOAD_PAUSE = 600.0


@attrs.frozen
class Retries:
    """How hard a call tries before handing the retry to the engine's outbox."""

    attempts: int = 4
    backoff: float = 1.0
    max_backoff: float = 30.0
    max_wait: float = 60.0

    def pause(self, attempt: int) -> float:
        """The wait after failed *attempt* (1-based): doubling, capped.

        No jitter: one process talks to one portal, and tests stay exact.
        """
        return min(self.max_backoff, self.backoff * 2 ** (attempt - 1))


@attrs.frozen
class Reply:
    """A successful answer: ``result`` and, for lists, the paging fields."""

    result: Any
    next: int | None = None
    total: int | None = None

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> Reply:
        return cls(
            result=body.get("result"),
            next=_int_or_none(body.get("next")),
            total=_int_or_none(body.get("total")),
        )


@attrs.frozen
class Command:
    """One REST call inside a batch."""

    method: str
    params: Mapping[str, Any] = attrs.field(factory=dict)

    def encode(self) -> str:
        """The command as ``batch`` wants it: ``method?php[style]=query``."""
        query = urlencode(_php_pairs(self.params))
        return f"{self.method}?{query}" if query else self.method


@attrs.frozen
class BatchOutcome:
    """What one command of a batch came to: a result, or an error code."""

    key: str
    ok: bool
    result: Any = None
    error: str = ""
    description: str = ""


class Transport:
    """Sends REST calls to one portal.

    :param http: The shared client; never closed here.
    :param auth: Where and how to authorise.
    :param limiter: The portal's bucket, shared by every call to it.
    :param clock: Waits between attempts go through it.
    :param retries: The retry policy.
    :param connector: The connector's configured name, for errors.
    :param logger: Gets one line per request: method, status, attempt.
    """

    def __init__(
        self,
        http: httpx.AsyncClient,
        auth: Authorisation,
        *,
        limiter: LeakyBucket,
        clock: Clock,
        retries: Retries,
        connector: str,
        logger: logging.Logger,
    ) -> None:
        self._http = http
        self._auth = auth
        self._limiter = limiter
        self._clock = clock
        self._retries = retries
        self._connector = connector
        self._logger = logger

    @property
    def portal(self) -> str:
        """The portal's host name, fit for messages."""
        return self._auth.portal

    @property
    def redacted_url(self) -> str:
        """The base URL with its credential hidden, for anything printed."""
        return self._auth.redacted()

    async def call(
        self,
        method: str,
        params: Mapping[str, Any] | None = None,
        *,
        repeatable: bool | None = None,
    ) -> Reply:
        """Call REST *method* and return its answer, retrying what may be retried.

        :param repeatable: Whether sending it twice does no harm; by default
            every method but ``*.add`` is.
        """
        if repeatable is None:
            repeatable = not method.endswith(".add")
        payload = {**self._auth.params(), **(params or {})}
        content = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        last: TemporaryError | None = None

        for attempt in range(1, self._retries.attempts + 1):
            await self._limiter.acquire()
            try:
                response = await self._http.post(
                    self._auth.endpoint(method),
                    content=content,
                    headers={"Content-Type": "application/json; charset=utf-8"},
                    timeout=_REQUEST_TIMEOUT,
                )
            except httpx.HTTPError as error:
                # httpx errors carry the request and its URL, which holds the
                # webhook's code: name the kind of error only, and drop the cause.
                self._logger.warning(
                    "bitrix24 %s: %s on attempt %d",
                    method,
                    type(error).__name__,
                    attempt,
                )
                if not repeatable:
                    raise self._unknown(method, type(error).__name__) from None
                last = self._temporary(f"{method}: {type(error).__name__}")
                await self._pause(attempt, self._retries.pause(attempt))
                continue

            self._logger.debug(
                "bitrix24 %s: HTTP %d on attempt %d",
                method,
                response.status_code,
                attempt,
            )
            body = _json_object(response)
            if (
                response.status_code == 200
                and body is not None
                and not body.get("error")
            ):
                return Reply.from_body(body)

            fault = Fault.from_response(response.status_code, response.content)
            last, pause = self._handle(method, fault, attempt, repeatable)
            await self._pause(attempt, pause)

        assert last is not None
        raise last

    async def _pause(self, attempt: int, seconds: float) -> None:
        """Wait before the next attempt; after the last one, hand back at once."""
        if attempt < self._retries.attempts and seconds > 0:
            await self._clock.sleep(seconds)

    def _handle(
        self, method: str, fault: Fault, attempt: int, repeatable: bool
    ) -> tuple[TemporaryError, float]:
        """Raise what cannot be retried; return what can, with the wait before."""
        if fault.credentials:
            raise CredentialsError(
                f"Bitrix24 portal {self.portal} refused {method} with "
                f"{fault.label()}: {fault.advice()}",
                connector=self._connector,
            )

        if fault.code == "QUERY_LIMIT_EXCEEDED":
            # Other applications share the portal's bucket: ours was optimistic.
            self._limiter.fill()
            self._logger.warning("bitrix24 %s: portal request limit hit", method)
            error = RateLimitedError(
                f"Bitrix24 portal {self.portal} kept refusing {method} with "
                f"{fault.label()}",
                connector=self._connector,
                retry_after=self._retries.max_backoff,
            )
            return error, 0.0

        if fault.code == "OPERATION_TIME_LIMIT" or fault.status == 429:
            return self._reset_wait(method, fault)

        if fault.code == "OVERLOAD_LIMIT":
            raise RateLimitedError(
                f"Bitrix24 portal {self.portal} is blocked for REST overload by "
                "Bitrix24 support; contact their support desk to lift it",
                connector=self._connector,
                retry_after=_OVERLOAD_PAUSE,
            )

        if fault.status >= 500 or fault.html:
            if not repeatable:
                raise self._unknown(method, fault.label())
            self._logger.warning(
                "bitrix24 %s: %s on attempt %d", method, fault.label(), attempt
            )
            pause = self._retries.pause(attempt)
            return self._temporary(f"{method}: {fault.label()}"), pause

        raise RejectedError(
            f"Bitrix24 portal {self.portal} rejected {method} with {fault.label()}; "
            "see the portal's REST log for the description",
            connector=self._connector,
        )

    def _reset_wait(self, method: str, fault: Fault) -> tuple[TemporaryError, float]:
        """How long until the method's time budget resets; raise if too long."""
        wait = self._retries.max_wait
        if fault.reset_at is not None:
            wait = max(0.0, fault.reset_at - self._clock.now().timestamp())

        error = RateLimitedError(
            f"Bitrix24 portal {self.portal} limits execution time of {method} "
            f"({fault.label()}); retry after the reset",
            connector=self._connector,
            retry_after=wait,
        )
        if wait > self._retries.max_wait:
            raise error

        self._logger.warning("bitrix24 %s: waiting %.0f s for reset", method, wait)
        return error, wait

    def _temporary(self, what: str) -> TemporaryError:
        return TemporaryError(
            f"Bitrix24 portal {self.portal} failed: {what}; "
            f"gave up after {self._retries.attempts} attempts",
            connector=self._connector,
            retry_after=self._retries.max_backoff,
        )

    def _unknown(self, method: str, what: str) -> OutcomeUnknownError:
        return OutcomeUnknownError(
            f"Bitrix24 portal {self.portal}: {method} got no usable answer "
            f"({what}); it may have been done",
            connector=self._connector,
            retry_after=self._retries.max_wait,
        )

    async def batch(self, commands: Mapping[str, Command]) -> dict[str, BatchOutcome]:
        """Run *commands* in batches of 50; report every command by its key.

        One command's failure never hides another's result: each key gets a
        :class:`BatchOutcome`. Keys the portal did not run come back failed
        with ``NOT_RUN``.
        """
        outcomes: dict[str, BatchOutcome] = {}
        keys = list(commands)

        for start in range(0, len(keys), BATCH_LIMIT):
            chunk = {key: commands[key] for key in keys[start : start + BATCH_LIMIT]}
            repeatable = not any(c.method.endswith(".add") for c in chunk.values())
            reply = await self.call(
                "batch",
                {
                    "halt": 0,
                    "cmd": {key: command.encode() for key, command in chunk.items()},
                },
                repeatable=repeatable,
            )
            outcomes.update(_batch_outcomes(chunk, reply.result))
        return outcomes


def _batch_outcomes(
    chunk: Mapping[str, Command], result: Any
) -> dict[str, BatchOutcome]:
    """Split a batch answer by key; PHP sends empty maps as ``[]``."""
    block = result if isinstance(result, dict) else {}
    results = _as_map(block.get("result"))
    errors = _as_map(block.get("result_error"))
    outcomes = {}

    for key in chunk:
        if key in errors:
            error = errors[key] if isinstance(errors[key], dict) else {}
            outcomes[key] = BatchOutcome(
                key,
                ok=False,
                error=str(error.get("error") or ""),
                description=str(error.get("error_description") or ""),
            )
        elif key in results:
            outcomes[key] = BatchOutcome(key, ok=True, result=results[key])
        else:
            outcomes[key] = BatchOutcome(key, ok=False, error="NOT_RUN")
    return outcomes


def _as_map(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return {str(key): item for key, item in value.items()}
    if isinstance(value, list):
        return {str(index): item for index, item in enumerate(value)}
    return {}


def _json_object(response: httpx.Response) -> dict[str, Any] | None:
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _php_pairs(params: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Flatten *params* the way PHP reads a query: ``filter[ID][0]=1``."""
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        name = f"{prefix}[{key}]" if prefix else str(key)
        if isinstance(value, Mapping):
            pairs.extend(_php_pairs(value, name))
        elif isinstance(value, Sequence) and not isinstance(value, str):
            pairs.extend(_php_pairs(dict(enumerate(value)), name))
        elif isinstance(value, bool):
            pairs.append((name, "Y" if value else "N"))
        elif value is None:
            pairs.append((name, ""))
        else:
            pairs.append((name, str(value)))
    return pairs
