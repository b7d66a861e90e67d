"""Erasure: remove a person from every store, keep the proof, survive a crash.

Targets are erased in order: the CRM (through its plugin), the consent store
(through its plugin), then leadwire's own tables. Progress is written to the
destruction record after each target, so a run that stops half-way is
continued by the next one, which repeats only what is not done; a target that
failed is retried by the next run.

What is kept: the audit log, untouched (it holds pseudonymous ids only, and
rewriting it would break its chain); the destruction record with the
client's audit extract; and the consent evidence, moved into the record
without the provider's message ids (hashed) before the consent store erases
its entries: the operator must be able to prove consent for the processing
that happened (152-FZ, Art. 9 p.3) for 3 years, and nothing in the record
names or reaches the person.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from typing import Any

import attrs
import sqlalchemy as sa

from leadwire.compliance._engine import connectors_of, keys_of
from leadwire.compliance.actions import ERASURE_COMPLETED
from leadwire.compliance.lookup import contact_of
from leadwire.engine import Engine, audit
from leadwire.engine.database import Write
from leadwire.engine.leads import contact_from
from leadwire.engine.schema import (
    consent_records,
    conversations,
    destruction_records,
    erasures,
    inbox,
    local_lead_notes,
    local_leads,
    outbox,
    sent_messages,
    turns,
    vault,
)
from leadwire.models import ClientId, Contact, ErasureReport

__all__ = [
    "GROUND_DELETION",
    "GROUND_WITHDRAWAL",
    "TARGETS",
    "Destruction",
    "erase_client",
    "run_due_erasures",
]

logger = logging.getLogger(__name__)

#: What is erased, in order; the engine's own tables last, as they hold the
#: contact the CRM is searched by until the record has a sealed copy.
TARGETS = ("crm", "consent store", "leadwire")

GROUND_WITHDRAWAL = "withdrawal of consent (152-FZ, Art. 21 p.5)"
GROUND_DELETION = "the client's request to delete the data (152-FZ, Art. 21)"


@attrs.frozen
class Destruction:
    """A destruction record: what was erased where, and what failed."""

    id: int
    client_id: str
    ground: str
    operator: str
    state: str  # running, partial, done
    targets: dict[str, dict[str, Any]]

    @property
    def failed(self) -> dict[str, list[str]]:
        """The targets that could not be erased, and why."""
        return {
            name: target.get("failed", [])
            for name, target in self.targets.items()
            if target["state"] == "failed"
        }


def _actor(operator: str) -> str:
    return "system" if operator == "system" else f"staff:{operator}"


async def erase_client(
    engine: Engine,
    client_id: ClientId,
    *,
    operator: str,
    ground: str,
    step: Callable[[str], None] | None = None,
) -> Destruction:
    """Erase *client_id* everywhere, or continue an erasure that stopped.

    :param step: Called with ``erasure.<target>`` once a target's progress
        is recorded (tests raise there to simulate a crash).
    """
    step = step or (lambda name: None)
    record_id = await _record(engine, client_id.value, operator, ground)

    for target in TARGETS:
        record = await _load(engine, record_id)
        if record.targets[target]["state"] == "done":
            continue
        contact = await _sealed_contact(engine, record_id)
        progress = await _erase(engine, target, client_id, contact)
        await _progress(engine, record_id, target, progress)
        step(f"erasure.{target}")

    finished = await _finish(engine, record_id, client_id.value, operator)
    # The write-ahead log still holds the erased rows until it is emptied.
    await engine.database.checkpoint()
    return finished


async def _record(engine: Engine, client_id: str, operator: str, ground: str) -> int:
    """The unfinished record of the client, or a new one with the proof kept."""
    async with engine.database.read() as connection:
        unfinished = await connection.scalar(
            sa.select(destruction_records.c.id)
            .where(
                destruction_records.c.client_id == client_id,
                destruction_records.c.state != "done",
            )
            .order_by(destruction_records.c.id)
            .limit(1)
        )
    if unfinished is not None:
        return int(unfinished)

    keys = keys_of(engine)
    contact = await contact_of(engine.database, keys, client_id)
    evidence = await _evidence(engine, client_id)
    where = {
        "crm": f"CRM ({engine.config.crm.plugin})",
        "consent store": f"consent store ({engine.config.consent_store.plugin})",
        "leadwire": "leadwire database",
    }
    targets = {name: {"where": where[name], "state": "pending"} for name in TARGETS}
    async with engine.database.write() as write:
        inserted = await write.execute(
            destruction_records.insert().values(
                client_id=client_id,
                ground=ground,
                operator=operator,
                started_at=engine.clock.now(),
                state="running",
                targets=json.dumps(targets, ensure_ascii=False),
                evidence=json.dumps(evidence, ensure_ascii=False),
                contact_sealed=keys.seal(attrs.asdict(contact)),
            )
        )
    return int(inserted.inserted_primary_key[0])


async def _evidence(engine: Engine, client_id: str) -> list[dict[str, Any]]:
    """The consent decisions, without the provider's message ids (hashed)."""
    store = connectors_of(engine).consent_store
    try:
        history = await store.history(ClientId(client_id))
    except Exception as error:
        # The store cannot be read, so it cannot be erased either: the record
        # stays partial and says why; the audit log keeps the decisions too.
        return [{"unavailable": type(error).__name__}]
    return [
        {
            "purpose": entry.purpose.value,
            "decision": entry.decision.value,
            "template_version": entry.template_version,
            "channel": entry.channel,
            "message_sha256": hashlib.sha256(entry.message_id.encode()).hexdigest(),
            "at": entry.at.isoformat(),
        }
        for entry in history
    ]


async def _load(engine: Engine, record_id: int) -> Destruction:
    async with engine.database.read() as connection:
        row = (
            await connection.execute(
                sa.select(destruction_records).where(
                    destruction_records.c.id == record_id
                )
            )
        ).one()
    return Destruction(
        id=row.id,
        client_id=row.client_id,
        ground=row.ground,
        operator=row.operator,
        state=row.state,
        targets=json.loads(row.targets),
    )


async def _sealed_contact(engine: Engine, record_id: int) -> Contact:
    async with engine.database.read() as connection:
        sealed = await connection.scalar(
            sa.select(destruction_records.c.contact_sealed).where(
                destruction_records.c.id == record_id
            )
        )
    return contact_from(keys_of(engine).open(sealed)) if sealed else Contact()


async def _erase(
    engine: Engine, target: str, client_id: ClientId, contact: Contact
) -> dict[str, Any]:
    """Erase one target; never raises for a plugin's failure."""
    connectors = connectors_of(engine)
    try:
        if target == "crm":
            if not (contact.phone or contact.email):
                return {"state": "done", "erased": [], "note": "no contact known"}
            report = await connectors.crm.erase_person(contact)
            return _reported(report)
        if target == "consent store":
            count = await connectors.consent_store.erase(client_id)
            return {"state": "done", "erased": [f"{count} consent entries"]}
        return {"state": "done", "erased": await _erase_own(engine, client_id.value)}
    except Exception as error:
        logger.warning(
            "erasure of client %s: %s failed: %s",
            client_id,
            target,
            type(error).__name__,
        )
        return {"state": "failed", "failed": [_why(error)]}


def _reported(report: ErasureReport) -> dict[str, Any]:
    return {
        "state": "failed" if report.failed else "done",
        "erased": list(report.erased),
        "kept": list(report.kept),
        "failed": list(report.failed),
    }


def _why(error: Exception) -> str:
    """A failure for the record: its type and the connector's message.

    Connectors keep personal data out of their messages (a rule of the
    project); the message is cut short all the same.
    """
    return f"{type(error).__name__}: {str(error)[:200]}"


async def _erase_own(engine: Engine, client_id: str) -> list[str]:
    """Delete the client from leadwire's tables, in one transaction.

    Quarantined bodies are not attributed to a client (they could not be
    parsed); they go with the raw events' retention period.
    """
    # XXX: `leadwire client erase` beside a running `serve` is a second
    # process; an event of the client processed meanwhile can write anew.
    erased = []
    async with engine.database.write() as write:
        lead_ids = sa.select(local_leads.c.id).where(
            local_leads.c.client_id == client_id
        )
        statements = [
            ("turns", turns.delete().where(turns.c.client_id == client_id)),
            ("vault", vault.delete().where(vault.c.client_id == client_id)),
            ("inbox", inbox.delete().where(inbox.c.conversation_key == client_id)),
            (
                "sent_messages",
                sent_messages.delete().where(sent_messages.c.client_id == client_id),
            ),
            ("outbox", outbox.delete().where(outbox.c.client_id == client_id)),
            (
                "local_lead_notes",
                local_lead_notes.delete().where(
                    local_lead_notes.c.lead_id.in_(lead_ids)
                ),
            ),
            (
                "local_leads",
                local_leads.delete().where(local_leads.c.client_id == client_id),
            ),
            (
                "consent_records",
                consent_records.delete().where(
                    consent_records.c.client_id == client_id
                ),
            ),
            (
                "conversations",
                conversations.delete().where(conversations.c.client_id == client_id),
            ),
        ]
        for table, statement in statements:
            result = await write.execute(statement)
            if result.rowcount:
                erased.append(f"{table}: {result.rowcount} row(s)")
    return erased


async def _progress(
    engine: Engine, record_id: int, target: str, progress: dict[str, Any]
) -> None:
    record = await _load(engine, record_id)
    targets = dict(record.targets)
    targets[target] = {
        "where": targets[target]["where"],
        "at": engine.clock.now().isoformat(),
        **progress,
    }
    async with engine.database.write() as write:
        await write.execute(
            destruction_records.update()
            .where(destruction_records.c.id == record_id)
            .values(targets=json.dumps(targets, ensure_ascii=False))
        )


async def _finish(
    engine: Engine, record_id: int, client_id: str, operator: str
) -> Destruction:
    """Close the record: done with the audit extract, or partial for a retry."""
    record = await _load(engine, record_id)
    failed = record.failed
    moment = engine.clock.now()
    async with engine.database.write() as write:
        await audit.append(
            write,
            at=moment,
            actor=_actor(operator),
            action=ERASURE_COMPLETED,
            client_id=client_id,
            outcome="failed" if failed else "ok",
            details={
                "record": record_id,
                "targets": sorted(record.targets),
                "failed": sorted(failed),
            },
        )
        values: dict[str, Any] = {"state": "partial" if failed else "done"}
        if not failed:
            values.update(
                completed_at=moment,
                contact_sealed=None,
                audit_extract=await _extract(write, client_id),
            )
            await write.execute(
                erasures.update()
                .where(erasures.c.client_id == client_id)
                .values(state="done")
            )
        await write.execute(
            destruction_records.update()
            .where(destruction_records.c.id == record_id)
            .values(**values)
        )
    return attrs.evolve(record, state=values["state"])


async def _extract(write: Write, client_id: str) -> str:
    """The client's audit entries as JSON lines, hashes included."""
    events = await audit.trail(write.connection, client_id)
    return "\n".join(audit.json_line(event) for event in events)


async def run_due_erasures(
    engine: Engine, *, operator: str = "system", dry_run: bool = False
) -> list[Destruction | str]:
    """Execute the erasures whose deadline has come (withdrawals, deletions).

    With *dry_run*, return the client ids that would be erased.
    """
    async with engine.database.read() as connection:
        due = list(
            await connection.execute(
                sa.select(erasures)
                .where(erasures.c.state == "scheduled")
                .where(erasures.c.due_at <= engine.clock.now())
                .order_by(erasures.c.due_at)
            )
        )
    if dry_run:
        return [row.client_id for row in due]
    done: list[Destruction | str] = []
    for row in due:
        ground = (
            GROUND_DELETION if row.due_at <= row.requested_at else GROUND_WITHDRAWAL
        )
        done.append(
            await erase_client(
                engine, ClientId(row.client_id), operator=operator, ground=ground
            )
        )
    return done
