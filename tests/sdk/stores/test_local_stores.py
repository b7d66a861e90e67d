"""The built-in local consent store and CRM, on leadwire's own database."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

import leadwire.stores.plugin
from leadwire import (
    ClientId,
    ConnectorContext,
    ConsentDecision,
    ConsentPurpose,
    ConsentRecord,
    Contact,
    Lead,
    LeadFields,
    PluginError,
)
from leadwire.engine.database import Database, async_url
from leadwire.plugins import PluginHost
from leadwire.stores import LocalConsentStore, LocalCrm, LocalSettings

CLIENT = ClientId("CLIENT_0000000000aa")
OTHER = ClientId("CLIENT_0000000000bb")
MOMENT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
async def context(tmp_path: Path):
    database = Database(async_url("sqlite:///stores.db", tmp_path), lambda e: None)
    await database.migrate()
    async with httpx.AsyncClient() as http:
        yield ConnectorContext("local", http, database=database)
    await database.dispose()


def decision(kind: ConsentDecision, message_id: str, client=CLIENT) -> ConsentRecord:
    return ConsentRecord(
        client, ConsentPurpose.BOOKING, kind, "3", "chat", message_id, MOMENT
    )


def test_plugin_registers_local_consent_store_and_crm():
    """The `local` entry point offers a consent store and a CRM named local."""
    host = PluginHost()
    host.add("local", leadwire.stores.plugin)

    assert host.registry.consent_stores["local"].create is LocalConsentStore
    assert host.registry.crms["local"].create is LocalCrm


async def test_local_stores_need_the_engines_database():
    """Outside the engine (no database) the local stores refuse to start."""
    async with httpx.AsyncClient() as http:
        with pytest.raises(PluginError, match="inside the engine"):
            LocalCrm(LocalSettings(), ConnectorContext("crm", http))


async def test_consent_ledger_keeps_the_latest_decision_per_purpose(context):
    """lookup gives the latest decision; history all, oldest first."""
    store = LocalConsentStore(LocalSettings(), context)

    await store.record(decision(ConsentDecision.GRANTED, "m1"))
    await store.record(decision(ConsentDecision.WITHDRAWN, "m9"))
    await store.record(decision(ConsentDecision.GRANTED, "x1", OTHER))

    latest = await store.lookup(CLIENT, ConsentPurpose.BOOKING)
    assert latest == decision(ConsentDecision.WITHDRAWN, "m9")
    assert await store.lookup(CLIENT, ConsentPurpose.MARKETING) is None
    history = await store.history(CLIENT)
    assert [r.decision for r in history] == ["granted", "withdrawn"]


async def test_consent_record_replayed_is_kept_once(context):
    """Recording the same decision of the same message twice keeps one entry."""
    store = LocalConsentStore(LocalSettings(), context)

    await store.record(decision(ConsentDecision.GRANTED, "m1"))
    await store.record(decision(ConsentDecision.GRANTED, "m1"))

    assert len(await store.history(CLIENT)) == 1


async def test_consent_erase_removes_only_that_client(context):
    """erase deletes the client's entries and says how many."""
    store = LocalConsentStore(LocalSettings(), context)
    await store.record(decision(ConsentDecision.GRANTED, "m1"))
    await store.record(decision(ConsentDecision.GRANTED, "x1", OTHER))

    assert await store.erase(CLIENT) == 1
    assert await store.history(CLIENT) == []
    assert len(await store.history(OTHER)) == 1


def lead(**fields) -> Lead:
    return Lead(
        client_id=CLIENT,
        channel="chat",
        contact=Contact("Тестова", "+79990000008"),
        fields=LeadFields(**fields),
    )


async def test_upsert_same_key_never_makes_a_second_lead(context):
    """A repeated idempotency key returns the first outcome, no new lead."""
    crm = LocalCrm(LocalSettings(), context)

    first = await crm.upsert_lead(lead(service="Маникюр"), idempotency_key="k1")
    again = await crm.upsert_lead(lead(service="Маникюр"), idempotency_key="k1")

    assert first == again
    assert first.created
    assert len(await crm.find_person(Contact(phone="+79990000008"))) == 1


async def test_upsert_new_key_updates_the_open_lead(context):
    """A later upsert of the same client updates the open lead, keeps the rest."""
    crm = LocalCrm(LocalSettings(), context)

    first = await crm.upsert_lead(lead(service="Маникюр"), idempotency_key="k1")
    second = await crm.upsert_lead(lead(desired_time="завтра"), idempotency_key="k2")

    assert second.ref == first.ref
    assert not second.created
    exported = await crm.export_person(Contact(phone="+79990000008"))
    (row,) = exported["leads"]
    assert (row["service"], row["desired_time"]) == ("Маникюр", "завтра")


async def test_notes_are_added_once_and_erasure_removes_the_person(context):
    """add_note is idempotent; erase_person deletes the person's leads."""
    crm = LocalCrm(LocalSettings(), context)
    result = await crm.upsert_lead(lead(), idempotency_key="k1")
    await crm.add_note(result.ref, "перезвонить", idempotency_key="n1")
    await crm.add_note(result.ref, "перезвонить", idempotency_key="n1")

    report = await crm.erase_person(Contact(phone="+79990000008"))

    assert report.erased == (f"lead {result.ref.id}",)
    assert await crm.find_person(Contact(phone="+79990000008")) == []
    assert await crm.find_person(Contact()) == []
