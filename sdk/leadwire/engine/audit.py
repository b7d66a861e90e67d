"""The audit log: append-only, each entry chained to the one before.

An entry's hash is SHA-256 over the canonical JSON of its fields (sorted keys,
no spaces, UTF-8) followed by the previous entry's hash, so changing,
deleting or reordering any entry breaks the chain from that entry on.
:func:`verify` walks the chain and names the first entry that does not fit.

Entries hold types, counts, field names and hashes; never names, phones or
message texts.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from leadwire.engine.database import Connection_, Write
from leadwire.engine.schema import audit_anchor, audit_log
from leadwire.models import AuditEvent, now, utc

__all__ = [
    "AUDIT_ACTIONS",
    "GENESIS",
    "AuditProblem",
    "append",
    "count_statement",
    "entry_hash",
    "json_line",
    "now",
    "trail",
    "verify",
]

#: The "previous hash" of the first entry.
GENESIS = "0" * 64

#: Every action the engine and the command line write (docs/engine.md).
AUDIT_ACTIONS = (
    "consent.requested",
    "consent.granted",
    "consent.refused",
    "consent.withdrawn",
    "processing.stopped",
    "erasure.scheduled",
    "pii.detected",
    "llm.requested",
    "llm.answered",
    "message.sent",
    "lead.created",
    "lead.updated",
    "human.flagged",
    "operator.alerted",
    "audit.exported",
)


def entry_hash(event: AuditEvent, prev_hash: str) -> str:
    """The hash that chains *event* to the entry before it."""
    document = {
        "seq": event.seq,
        "at": utc(event.at).isoformat(),
        "actor": event.actor,
        "action": event.action,
        "client_id": event.client_id,
        "outcome": event.outcome,
        "details": dict(event.details),
    }
    canonical = json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode() + prev_hash.encode()).hexdigest()


async def append(
    write: Write,
    *,
    at: datetime,
    action: str,
    client_id: str | None,
    outcome: str = "ok",
    actor: str = "system",
    details: Mapping[str, Any] | None = None,
    dedupe: str | None = None,
) -> AuditEvent | None:
    """Append an entry inside *write*; published once the write commits.

    :param dedupe: A key that makes the append happen at most once; a second
        append with the same key returns None. Processing replayed after a
        crash uses it, so the log holds what happened, once.
    """
    connection = write.connection
    last = (
        await connection.execute(
            sa.select(audit_log.c.seq, audit_log.c.hash)
            .order_by(audit_log.c.seq.desc())
            .limit(1)
        )
    ).first()
    if last is None:  # empty, or every entry purged: start from the anchor
        last = await _anchor(connection)
    seq, prev_hash = (last.seq + 1, last.hash) if last else (1, GENESIS)

    event = AuditEvent(
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        client_id=client_id,
        outcome=outcome,
        details=dict(details or {}),
        prev_hash=prev_hash,
    )
    event = attrs.evolve(event, hash=entry_hash(event, prev_hash))

    inserted = await write.execute(
        _insert(connection.dialect.name, dedupe is not None),
        {
            "seq": event.seq,
            "at": event.at,
            "actor": event.actor,
            "action": event.action,
            "client_id": event.client_id,
            "outcome": event.outcome,
            "details": json.dumps(event.details, sort_keys=True, ensure_ascii=False),
            "prev_hash": event.prev_hash,
            "hash": event.hash,
            "dedupe": dedupe,
        },
    )
    if inserted.rowcount == 0:  # appended before, under the same dedupe key
        return None
    write.audited.append(event)
    return event


@functools.cache
def _insert(dialect: str, deduped: bool) -> Any:
    """An INSERT that skips an entry whose dedupe key is taken, atomically.

    Only the dedupe key may conflict silently: a taken ``seq`` (another
    process appended meanwhile) still fails the transaction.
    """
    if not deduped:
        return audit_log.insert()
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(audit_log).on_conflict_do_nothing(index_elements=["dedupe"])


def _event(row: Any) -> AuditEvent:
    return AuditEvent(
        seq=row.seq,
        at=row.at,
        actor=row.actor,
        action=row.action,
        client_id=row.client_id,
        outcome=row.outcome,
        details=json.loads(row.details),
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


@attrs.frozen
class AuditProblem:
    """An entry that breaks the chain, and how."""

    seq: int
    reason: str

    def __str__(self) -> str:
        return f"entry {self.seq}: {self.reason}"


async def verify(connection: Connection_) -> Sequence[AuditProblem]:
    """Walk the whole chain; return the entries that break it (empty: intact).

    A deleted entry shows as a gap in the sequence, a changed one as a hash
    that does not match its content, a reordered one as a previous-hash that
    is not its predecessor's hash. After a retention purge the chain starts
    from the anchor: the seq and hash of the last purged entry.
    """
    problems: list[AuditProblem] = []
    anchor = await _anchor(connection)
    expected_seq, prev_hash = (anchor.seq + 1, anchor.hash) if anchor else (1, GENESIS)
    # XXX: reads the whole log at once; a very long log wants batches.
    rows = await connection.execute(sa.select(audit_log).order_by(audit_log.c.seq))
    for row in rows:
        try:
            event = _event(row)
        except (ValueError, TypeError):
            problems.append(AuditProblem(row.seq, "unreadable entry"))
            expected_seq, prev_hash = row.seq + 1, row.hash
            continue

        if event.seq != expected_seq:
            problems.append(
                AuditProblem(
                    event.seq,
                    f"entries {expected_seq} to {event.seq - 1} are missing",
                )
            )
        if event.prev_hash != prev_hash:
            problems.append(
                AuditProblem(
                    event.seq, "does not follow the entry before it (moved or forged)"
                )
            )
        if entry_hash(event, event.prev_hash) != event.hash:
            problems.append(
                AuditProblem(event.seq, "content does not match its hash (altered)")
            )
        expected_seq, prev_hash = event.seq + 1, event.hash
    return problems


async def _anchor(connection: Connection_) -> Any:
    """Where the chain starts once its oldest entries were purged, or None.

    Retention deletes the oldest entries as a prefix and records the last
    deleted entry's seq and hash here; the first kept entry must follow it.
    """
    return (
        await connection.execute(
            sa.select(audit_anchor.c.seq, audit_anchor.c.hash).where(
                audit_anchor.c.id == 1
            )
        )
    ).first()


def count_statement() -> sa.Select[tuple[int]]:
    """How many entries the log holds."""
    return sa.select(sa.func.count()).select_from(audit_log)


async def trail(connection: Connection_, client_id: str) -> list[AuditEvent]:
    """Every entry about one client, oldest first."""
    rows = await connection.execute(
        sa.select(audit_log)
        .where(audit_log.c.client_id == client_id)
        .order_by(audit_log.c.seq)
    )
    return [_event(row) for row in rows]


def json_line(event: AuditEvent) -> str:
    """One entry as a JSON line, hashes included, so an extract can be checked."""
    record = {
        "seq": event.seq,
        "at": event.at.isoformat(),
        "actor": event.actor,
        "action": event.action,
        "client_id": event.client_id,
        "outcome": event.outcome,
        "details": dict(event.details),
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }
    return json.dumps(record, ensure_ascii=False, sort_keys=True)
