"""Erasure through the Bitrix24 plugin, its portal mocked: refused, then retried."""

from __future__ import annotations

import json

import attrs
import httpx
import respx
from compliance_persons import ANNA, every_value, talk

from leadwire import ConnectorContext
from leadwire.compliance import erase_client
from leadwire.config import converter
from leadwire_bitrix24 import Bitrix24Crm, Bitrix24Settings

#: An invented portal and webhook code.
WEBHOOK = "https://probe-salon.bitrix24.ru/rest/3/t3stc0de0000/"
WEBHOOK_ENV = "LEADWIRE_TEST_COMPLIANCE_B24_WEBHOOK"


def found(request: httpx.Request) -> httpx.Response:
    """Lead 12 holds Anna's phone; nothing else is found."""
    asked = json.loads(request.content)
    hit = ANNA["e164"] in asked["values"] and asked["entity_type"] == "LEAD"
    result = {"LEAD": [12]} if hit else []
    return httpx.Response(200, json={"result": result, "time": {}})


def deleted(error: str | None):
    def answer(request: httpx.Request) -> httpx.Response:
        commands = json.loads(request.content)["cmd"]
        done = {} if error else dict.fromkeys(commands, True)
        failed = (
            {key: {"error": error, "error_description": ""} for key in commands}
            if error
            else {}
        )
        block = {
            "result": done or [],
            "result_error": failed or [],
            "result_total": [],
            "result_next": [],
            "result_time": {},
        }
        return httpx.Response(200, json={"result": block, "time": {}})

    return answer


async def test_portal_refusal_is_reported_and_the_retry_finishes(
    make_engine, clock, monkeypatch
):
    """The portal refuses; local data is gone anyway; the retry erases lead 12."""
    monkeypatch.setenv(WEBHOOK_ENV, WEBHOOK)
    engine = await make_engine()
    await talk(engine, ANNA, "a")
    anna = engine.client_id("chat", ANNA["conversation"])
    settings = converter.structure(
        {"webhook_url": f"env:{WEBHOOK_ENV}"}, Bitrix24Settings
    )
    context = ConnectorContext(name="crm", http=engine.http, clock=clock)
    engine.connectors = attrs.evolve(
        engine.connectors, crm=Bitrix24Crm(settings, context)
    )

    with respx.mock(
        base_url=WEBHOOK, assert_all_called=True, assert_all_mocked=True
    ) as portal:
        portal.post("crm.duplicate.findbycomm.json").mock(side_effect=found)
        route = portal.post("batch.json").mock(side_effect=deleted("ACCESS_DENIED"))
        first = await erase_client(engine, anna, operator="olga", ground="g")
        route.side_effect = deleted(None)
        second = await erase_client(engine, anna, operator="olga", ground="g")

    assert first.state == "partial"
    assert list(first.failed) == ["crm"]
    assert "ACCESS_DENIED" in first.failed["crm"][0]
    assert first.targets["leadwire"]["state"] == "done"  # local data went anyway
    assert second.state == "done"
    assert second.targets["crm"]["erased"] == ["lead:12"]
    assert route.call_count == 2
    assert ANNA["name"] not in await every_value(engine)
