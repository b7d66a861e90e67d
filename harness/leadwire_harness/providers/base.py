"""What every mocked provider shares: the record of calls and injected faults."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import attrs
import httpx

__all__ = ["Call", "Failure", "FaultQueue", "SentMessage", "json_body", "reply"]


@attrs.frozen
class Call:
    """One request a mocked provider received.

    :param provider: ``whatsapp``, ``bitrix24``, ``openai``...
    :param operation: What was asked (``crm.lead.add``, ``send``, ``chat``).
    :param body: The parsed request body.
    :param turn: The dialogue turn being handled when it came, -1 before any.
    :param status: The HTTP status answered; 0 when the request timed out.
    :param fault: The name of the fault injected into it, if any.
    """

    provider: str
    operation: str
    body: Any
    turn: int
    status: int
    fault: str | None = None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300 and self.fault is None


@attrs.frozen
class SentMessage:
    """A message a channel provider accepted for delivery to the client.

    :param buttons: (payload, title) pairs of the buttons it carried.
    :param asks_contact: Whether it carried a share-your-phone button.
    """

    channel: str
    conversation: str
    text: str
    message_id: str
    turn: int
    buttons: tuple[tuple[str, str], ...] = ()
    asks_contact: bool = False


@attrs.frozen
class Failure:
    """A fault to inject: what the provider does instead of answering normally.

    :param name: The fault's name in reports (``crm-503``).
    :param operation: Only requests of this operation are hit; None: any.
    :param status: The HTTP status to answer with.
    :param body: The body: a dict is sent as JSON, a str as text/html.
    :param headers: Extra response headers (``Retry-After``).
    :param timeout: Raise a read timeout instead of answering.
    :param after_effect: With *timeout*: do the work first, then lose the
        answer, so the caller cannot know the request succeeded.
    :param times: How many requests it hits.
    :param skip: How many matching requests pass before it starts.
    """

    name: str
    operation: str | None = None
    status: int = 500
    body: Any = None
    headers: dict[str, str] = attrs.field(factory=dict)
    timeout: bool = False
    after_effect: bool = False
    times: int = 1
    skip: int = 0


class FaultQueue:
    """The faults armed against one provider, consumed as requests come."""

    def __init__(self) -> None:
        self._armed: list[list[Any]] = []  # [failure, skip left, times left]

    def arm(self, failure: Failure) -> None:
        self._armed.append([failure, failure.skip, failure.times])

    def take(self, operation: str) -> Failure | None:
        """The fault that hits this request, if any; counts it as used."""
        for slot in self._armed:
            failure, skip, times = slot
            if times <= 0 or failure.operation not in (None, operation):
                continue
            if skip > 0:
                slot[1] -= 1
                continue
            slot[2] -= 1
            return failure
        return None

    @property
    def pending(self) -> list[str]:
        """Names of faults armed that have not hit yet."""
        return [slot[0].name for slot in self._armed if slot[2] > 0]


def json_body(request: httpx.Request) -> Any:
    """The request's JSON body, or None when it has none or it is not JSON."""
    try:
        return json.loads(request.content or b"null")
    except ValueError:
        return None


def reply(
    request: httpx.Request,
    failure: Failure | None,
    handle: Callable[[], httpx.Response],
    clock: Any = None,
) -> httpx.Response:
    """Answer *request* with *handle*, unless *failure* says otherwise.

    A timeout takes as long as the request's own read timeout on *clock*,
    as a real one would: a connector keeping a time budget sees it spent.
    """
    if failure is None:
        return handle()
    if failure.timeout:
        if failure.after_effect:
            handle()
        if clock is not None:
            clock.advance(_read_timeout(request))
        raise httpx.ReadTimeout("injected timeout", request=request)
    if isinstance(failure.body, str):
        return httpx.Response(
            failure.status,
            text=failure.body,
            headers={"content-type": "text/html; charset=utf-8", **failure.headers},
        )
    return httpx.Response(failure.status, json=failure.body, headers=failure.headers)


def _read_timeout(request: httpx.Request) -> float:
    """The read timeout the client set on *request*, in seconds (5 if none)."""
    timeout = request.extensions.get("timeout") or {}
    seconds = timeout.get("read") if isinstance(timeout, dict) else None
    return float(seconds) if seconds else 5.0
