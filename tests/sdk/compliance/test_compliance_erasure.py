"""Erasure: no trace of the person anywhere, a destruction record, crash-safe."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa
from compliance_persons import ANNA, BORIS, every_value, talk, values_of
from engine_fakes import delivery, message
from engine_state import rows

from leadwire.audit import verify
from leadwire.compliance import erase_client, list_requests, purge
from leadwire.engine import schema


async def test_erasure_leaves_no_trace_of_the_person(make_engine, engine_logs):
    """Every column of every table, unsealed, and the logs lose the person."""
    engine = await make_engine()
    await talk(engine, ANNA, "a")
    await talk(engine, BORIS, "b")
    anna = engine.client_id("chat", ANNA["conversation"])
    assert ANNA["name"] in await every_value(engine)

    destruction = await erase_client(
        engine, anna, operator="olga", ground="the client's request"
    )

    left = (await every_value(engine)).casefold()
    for value in values_of(ANNA):
        assert value.casefold() not in left, value
    for value in values_of(BORIS):
        assert value.casefold() in left, value
    logged = "\n".join(record.getMessage() for record in engine_logs.records)
    for value in values_of(ANNA):
        assert value not in logged, value
    assert destruction.state == "done"
    async with engine.database.read() as connection:
        assert await verify(connection) == []


def on_disk(engine) -> bytes:
    """The database file and its write-ahead log, as bytes."""
    path = engine.config.base_dir / "leadwire.db"
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


async def test_erased_phone_leaves_the_files_on_disk(make_engine):
    """After an erasure neither the database file nor its WAL holds the phone."""
    engine = await make_engine()
    await talk(engine, ANNA, "a")
    anna = engine.client_id("chat", ANNA["conversation"])
    phone = ANNA["e164"].encode()
    assert phone in on_disk(engine)

    await erase_client(engine, anna, operator="olga", ground="the client's request")

    assert phone not in on_disk(engine)


async def test_destruction_record_says_what_where_when_who_why(make_engine):
    """The record lists each target, the ground, the operator and the extract."""
    engine = await make_engine()
    await talk(engine, ANNA, "a")
    anna = engine.client_id("chat", ANNA["conversation"])

    await erase_client(engine, anna, operator="olga", ground="the client's request")

    (record,) = await rows(engine, schema.destruction_records)
    targets = json.loads(record.targets)
    assert {name: t["state"] for name, t in targets.items()} == {
        "crm": "done",
        "consent store": "done",
        "leadwire": "done",
    }
    assert targets["crm"]["erased"]
    assert (record.operator, record.ground) == ("olga", "the client's request")
    assert record.completed_at is not None
    assert record.contact_sealed is None
    extract = [json.loads(line) for line in record.audit_extract.splitlines()]
    assert extract[0]["action"] == "consent.granted"
    assert extract[-1]["action"] == "erasure.completed"
    assert [e["decision"] for e in json.loads(record.evidence)] == ["granted"]


async def test_crash_after_the_crm_step_resumes(make_engine):
    """An erasure stopped after the CRM continues on the next run, once."""
    engine = await make_engine()
    await talk(engine, ANNA, "a")
    anna = engine.client_id("chat", ANNA["conversation"])
    calls = []
    crm = engine.connectors.crm
    original = crm.erase_person

    async def counted(contact):
        calls.append(contact)
        return await original(contact)

    crm.erase_person = counted

    def crash(name):
        if name == "erasure.crm":
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        await erase_client(engine, anna, operator="olga", ground="g", step=crash)
    (running,) = await rows(engine, schema.destruction_records)
    assert running.state == "running"
    assert await rows(engine, schema.local_leads) == []

    destruction = await erase_client(engine, anna, operator="olga", ground="g")

    assert destruction.state == "done"
    assert len(calls) == 1  # the CRM step was not repeated
    assert len(await rows(engine, schema.destruction_records)) == 1
    assert ANNA["name"] not in await every_value(engine)


async def test_plugin_that_cannot_erase_leaves_a_partial_record(make_engine):
    """A failing consent store is reported; a later run finishes the job."""
    engine = await make_engine()
    await talk(engine, ANNA, "a")
    anna = engine.client_id("chat", ANNA["conversation"])
    store = engine.connectors.consent_store
    original = store.erase

    async def broken(client_id):
        raise ConnectionError("ledger unreachable")

    store.erase = broken
    first = await erase_client(engine, anna, operator="olga", ground="g")
    store.erase = original
    second = await erase_client(engine, anna, operator="olga", ground="g")

    assert first.state == "partial"
    assert first.failed == {"consent store": ["ConnectionError: ledger unreachable"]}
    assert second.state == "done"
    assert second.id == first.id
    outcomes = [
        r.outcome
        for r in await rows(engine, schema.audit_log)
        if r.action == "erasure.completed"
    ]
    assert outcomes == ["failed", "ok"]


@pytest.mark.parametrize(
    ("words", "days"), [("удалите мои данные", 0), ("отзываю согласие", 30)]
)
async def test_chat_requests_are_erased_by_purge_when_due(
    make_engine, clock, words, days
):
    """A deletion request is erased at once, a withdrawal after 30 days."""
    engine = await make_engine()
    await talk(engine, ANNA, "a")
    chat = ANNA["conversation"]
    await engine.receive("chat", delivery(message("a3", words, conversation=chat)))
    await engine.run_until_idle()

    (listed,) = await list_requests(engine.database)
    assert (listed.kind, listed.operator, listed.completed_at) == (
        "erasure",
        "chat",
        None,
    )
    # Listed against the legal deadline, so a request erased sooner is
    # never reported overdue meanwhile.
    assert listed.due_at - listed.received_at == timedelta(days=30)
    assert not listed.overdue(clock.now())
    if days:
        clock.advance(timedelta(days=days - 1).total_seconds())
        report = await purge(engine)
        assert report.counts["erasures due"] == 0
        clock.advance(timedelta(days=1).total_seconds())
    report = await purge(engine)

    assert report.counts["erasures due"] == 1
    assert ANNA["name"] not in await every_value(engine)
    (erasure,) = await rows(engine, schema.erasures)
    assert erasure.state == "done"
    (listed,) = await list_requests(engine.database)
    assert listed.completed_at == clock.now()
    async with engine.database.read() as connection:
        grounds = await connection.scalars(
            sa.select(schema.destruction_records.c.ground)
        )
        assert len(list(grounds)) == 1
