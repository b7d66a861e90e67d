"""Retention: exactly what is past its period goes; the audit chain survives."""

from __future__ import annotations

import sqlalchemy as sa
from compliance_persons import ANNA, BORIS, every_value, talk
from engine_state import rows

from leadwire.audit import verify
from leadwire.compliance import purge
from leadwire.engine import schema
from leadwire.models import ClientId, ConsentDecision, ConsentPurpose, ConsentRecord

DAY = 86400.0


async def test_contacts_just_outside_go_just_inside_stay(make_engine, clock):
    """A client inactive a second over contacts_days is erased; one under stays."""
    engine = await make_engine()
    await talk(engine, ANNA, "a")
    clock.advance(2)
    await talk(engine, BORIS, "b")
    period = engine.config.retention.contacts_days * DAY
    clock.advance(period - 1)  # Anna: period + 1 s ago; Boris: period - 1 s ago

    report = await purge(engine, operator="olga")

    left = await every_value(engine)
    assert report.counts["clients past the contacts period"] == 1
    assert ANNA["name"] not in left
    assert BORIS["name"] in left
    (record,) = await rows(engine, schema.destruction_records)
    assert record.ground == "retention period ended"


async def test_dry_run_changes_nothing(make_engine, clock):
    """--dry-run counts what would go and leaves every table as it was."""
    engine = await make_engine()
    await talk(engine, ANNA, "a")
    clock.advance((engine.config.retention.contacts_days + 1) * DAY)
    before = await every_value(engine)

    report = await purge(engine, dry_run=True)

    assert report.counts["clients past the contacts period"] == 1
    assert report.counts["inbox remnants"] == 2
    assert await every_value(engine) == before


async def test_inbox_remnants_go_after_raw_events_days(make_engine, clock):
    """Processed events older than raw_events_days are deleted, newer kept."""
    engine = await make_engine()
    await talk(engine, ANNA, "a")
    clock.advance(engine.config.retention.raw_events_days * DAY + 1)
    await talk(engine, BORIS, "b")

    report = await purge(engine)

    assert report.counts["inbox remnants"] == 2
    assert [r.event_id for r in await rows(engine, schema.inbox)] == ["b1", "b2"]


async def test_audit_purge_keeps_the_chain_verifiable(make_engine, clock):
    """Old entries go as a prefix; verify passes, and still catches tampering."""
    engine = await make_engine()
    await talk(engine, ANNA, "a")
    clock.advance(engine.config.retention.audit_days * DAY + 1)
    await talk(engine, BORIS, "b")
    old = len(await rows(engine, schema.audit_log))

    report = await purge(engine)

    kept = await rows(engine, schema.audit_log)
    assert report.counts["audit entries"] > 0
    assert kept[0].seq > 1
    assert len(kept) < old + 10
    async with engine.database.read() as connection:
        assert await verify(connection) == []
    async with engine.database.write() as write:
        await write.execute(
            schema.audit_log.update()
            .where(schema.audit_log.c.seq == kept[0].seq)
            .values(actor="staff:mallory")
        )
    async with engine.database.read() as connection:
        problems = await verify(connection)
    assert [p.seq for p in problems] == [kept[0].seq]


async def test_deleting_the_first_kept_entry_is_still_caught(make_engine, clock):
    """After a purge, removing the entry after the anchor shows as a gap."""
    engine = await make_engine()
    await talk(engine, ANNA, "a")
    clock.advance(engine.config.retention.audit_days * DAY + 1)
    await talk(engine, BORIS, "b")
    await purge(engine)
    first = (await rows(engine, schema.audit_log))[0].seq

    async with engine.database.write() as write:
        await write.execute(
            schema.audit_log.delete().where(schema.audit_log.c.seq == first)
        )

    async with engine.database.read() as connection:
        assert await verify(connection) != []


async def test_marketing_consent_lapses_after_marketing_days(make_engine, clock):
    """A marketing consent of a client inactive too long is recorded withdrawn."""
    engine = await make_engine()
    await talk(engine, ANNA, "a")
    anna = engine.client_id("chat", ANNA["conversation"])
    store = engine.connectors.consent_store
    await store.record(
        ConsentRecord(
            anna,
            ConsentPurpose.MARKETING,
            ConsentDecision.GRANTED,
            "7",
            "chat",
            "a9",
            clock.now(),
        )
    )
    clock.advance(engine.config.retention.marketing_days * DAY - 1)
    assert (await purge(engine)).counts["marketing consents lapsed"] == 0

    clock.advance(2)
    report = await purge(engine)

    assert report.counts["marketing consents lapsed"] == 1
    latest = await store.lookup(ClientId(anna.value), ConsentPurpose.MARKETING)
    assert latest.decision is ConsentDecision.WITHDRAWN
    booking = await store.lookup(anna, ConsentPurpose.BOOKING)
    assert booking.decision is ConsentDecision.GRANTED


async def test_every_purge_is_audited_with_counts_only(make_engine, clock):
    """The purge entry carries counts by category, no client and no value."""
    engine = await make_engine()
    await talk(engine, ANNA, "a")
    clock.advance(2 * DAY)

    await purge(engine, operator="olga")

    async with engine.database.read() as connection:
        entry = (
            await connection.execute(
                sa.select(schema.audit_log).where(
                    schema.audit_log.c.action == "retention.purged"
                )
            )
        ).one()
    assert (entry.actor, entry.client_id) == ("staff:olga", None)
    assert '"inbox remnants": 2' in entry.details
    assert ANNA["name"] not in entry.details


async def test_purge_leaves_the_write_ahead_log_empty(make_engine, clock):
    """After a purge nothing deleted waits in the SQLite WAL: it is emptied."""
    engine = await make_engine()
    await talk(engine, ANNA, "a")
    clock.advance(2 * 86400)  # past raw_events_days: remnants go
    wal = engine.config.base_dir / "leadwire.db-wal"
    assert wal.stat().st_size > 0

    report = await purge(engine)

    assert report.counts["inbox remnants"] == 2
    assert wal.stat().st_size == 0
