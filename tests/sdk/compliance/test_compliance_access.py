"""Access requests: everything held about one client, nothing of another."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from compliance_persons import ANNA, BORIS, talk, values_of

from leadwire.compliance import export_client, find_client, working_days
from leadwire.compliance.access import to_text
from leadwire.compliance.requests import list_requests, open_request
from leadwire.engine.sealing import Keys


def keys_of(engine):
    return Keys(engine.config.storage.vault_key.reveal())


async def test_export_holds_everything_and_nothing_of_another(make_engine):
    """A client's export has their messages, consent, lead, trail; not another's."""
    engine = await make_engine()
    await talk(engine, ANNA, "a")
    await talk(engine, BORIS, "b")

    anna = await find_client(engine.database, keys_of(engine), ANNA["phone"])
    boris = engine.client_id("chat", BORIS["conversation"])
    exported = await export_client(engine, anna, operator="olga")
    text = json.dumps(exported, ensure_ascii=False)

    assert anna == engine.client_id("chat", ANNA["conversation"])
    for value in values_of(ANNA):
        assert value in text, value
    for value in [*values_of(BORIS), boris.value]:
        assert value not in text, value
    assert [c["decision"] for c in exported["consent"]] == ["granted"]
    assert any("Маникюр" in str(lead) for lead in exported["crm"]["records"]["leads"])
    assert {"consent.granted", "lead.created"} <= {
        e["action"] for e in exported["audit"]
    }
    # The fake channel and LLM declare no flows; the local stores do.
    assert {flow["component"] for flow in exported["sent_to"]} >= {
        "crm",
        "consent store",
    }
    assert ANNA["name"] in to_text(exported)


async def test_phone_in_any_writing_finds_the_client(make_engine):
    """+7, 8, spaces and dashes all find the same client; an unknown one none."""
    engine = await make_engine()
    await talk(engine, ANNA, "a")
    keys = keys_of(engine)
    expected = engine.client_id("chat", ANNA["conversation"])

    for written in ("+79990000011", "8 999 000 00 11", "+7 (999) 000-00-11"):
        assert await find_client(engine.database, keys, written) == expected
    assert await find_client(engine.database, keys, "+7 999 000-00-99") is None


async def test_rows_without_phone_hash_are_found_by_unsealing(make_engine):
    """A conversation stored before 0002 (no phone hash) is still found."""
    engine = await make_engine()
    await talk(engine, ANNA, "a")
    async with engine.database.write() as write:
        from leadwire.engine.schema import conversations

        await write.execute(conversations.update().values(phone_hash=None))

    found = await find_client(engine.database, keys_of(engine), ANNA["phone"])

    assert found == engine.client_id("chat", ANNA["conversation"])


def test_ten_working_days_skip_weekends():
    """A Friday request is due on the Friday two weeks later."""
    friday = datetime(2026, 3, 6, 12, tzinfo=UTC)

    assert working_days(friday, 10) == datetime(2026, 3, 20, 12, tzinfo=UTC)


async def test_access_request_is_recorded_with_its_deadline(make_engine, clock):
    """The request is kept with a due date 10 working days out, then overdue."""
    engine = await make_engine()
    await open_request(
        engine.database, "access", "CLIENT_000000000001", "olga", clock.now()
    )

    (request,) = await list_requests(engine.database)

    assert request.due_at == working_days(clock.now(), 10)
    assert not request.overdue(clock.now())
    clock.advance(15 * 86400)
    assert request.overdue(clock.now())
