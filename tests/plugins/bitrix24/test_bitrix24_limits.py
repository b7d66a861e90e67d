"""The client-side leaky bucket: burst 50, then 2 requests a second."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

from leadwire_bitrix24 import Bitrix24Crm
from leadwire_bitrix24.limiter import LeakyBucket


async def test_the_bucket_lets_a_burst_through_then_drains_two_a_second(
    clock: Any,
) -> None:
    """200 requests: 50 at once, the other 150 take 75 s of (fake) time."""
    bucket = LeakyBucket(clock, burst=50, drain_per_second=2)
    started_at = []

    for _ in range(200):
        await bucket.acquire()
        started_at.append(clock.slept)

    assert started_at[:50] == [0.0] * 50
    assert started_at[50] == pytest.approx(0.5)
    assert clock.slept == pytest.approx(75.0)


async def test_an_idle_bucket_drains(clock: Any) -> None:
    """After 10 idle seconds, 20 more requests go without waiting."""
    bucket = LeakyBucket(clock, burst=50, drain_per_second=2)
    for _ in range(50):
        await bucket.acquire()
    clock.advance(10)

    waits = [await bucket.acquire() for _ in range(20)]

    assert waits == [0.0] * 20
    assert await bucket.acquire() == pytest.approx(0.5)


async def test_every_call_to_the_portal_goes_through_the_bucket(
    crm: Bitrix24Crm, portal: respx.MockRouter, clock: Any
) -> None:
    """200 calls through the connector: 50 at t=0, the last at t=75 s."""
    sent_at: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent_at.append(clock.slept)
        return httpx.Response(200, json={"result": {"ID": "1"}})

    portal.post("crm.lead.get.json").mock(side_effect=answer)

    for n in range(200):
        await crm.transport.call("crm.lead.get", {"id": n})

    assert sent_at.count(0.0) == 50
    assert sent_at[-1] == pytest.approx(75.0)
    assert clock.slept == pytest.approx(75.0)


async def test_enterprise_limits_are_configurable(
    make_crm: Callable[..., Bitrix24Crm], portal: respx.MockRouter, clock: Any
) -> None:
    """burst 250 and 5 a second: 300 calls take 10 s."""
    crm = make_crm(burst=250, drain_per_second=5)
    portal.post("crm.lead.get.json").respond(json={"result": {"ID": "1"}})

    for n in range(300):
        await crm.transport.call("crm.lead.get", {"id": n})

    assert clock.slept == pytest.approx(10.0)
