"""Retention: what is kept past its period goes, by the engine's clock.

Per category (``[retention]`` in the configuration):

- contacts (``contacts_days``): a client whose last activity is older is
  erased through the erasure path, ground "retention period ended";
- marketing (``marketing_days``): a marketing consent whose client has been
  inactive longer lapses (recorded as withdrawn by the system), so it must be
  asked again;
- raw events (``raw_events_days``): processed inbox rows (redacted remnants)
  and quarantined bodies;
- audit (``audit_days``): the oldest audit entries, as a prefix of the chain,
  with the last deleted entry's hash kept as the chain's anchor so that
  ``leadwire audit verify`` still checks the rest; destruction records too.

Due erasures (withdrawals, deletion requests) run first. Every purge is
audited with counts by category, never values.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any

import attrs
import sqlalchemy as sa

from leadwire.compliance._engine import connectors_of
from leadwire.compliance.actions import CONSENT_LAPSED, RETENTION_PURGED
from leadwire.compliance.erasure import Destruction, erase_client, run_due_erasures
from leadwire.engine import Engine, audit
from leadwire.engine.schema import (
    audit_anchor,
    audit_log,
    conversations,
    destruction_records,
    inbox,
    local_leads,
    quarantine,
)
from leadwire.models import (
    ClientId,
    ConsentDecision,
    ConsentPurpose,
    ConsentRecord,
    utc,
)

__all__ = ["GROUND_RETENTION", "PURGE_SECONDS", "PurgeReport", "purge", "purge_forever"]

logger = logging.getLogger(__name__)

GROUND_RETENTION = "retention period ended"
#: How often ``leadwire serve`` purges.
PURGE_SECONDS = 3600.0


@attrs.frozen
class PurgeReport:
    """What a purge removed (or, dry, would remove), by category."""

    counts: dict[str, int]
    failed: dict[str, dict[str, list[str]]] = attrs.field(factory=dict)
    dry_run: bool = False


async def purge(
    engine: Engine, *, operator: str = "system", dry_run: bool = False
) -> PurgeReport:
    """Apply the retention periods at the engine's ``clock.now()``."""
    now = engine.clock.now()
    retention = engine.config.retention
    counts: dict[str, int] = {}
    failed: dict[str, dict[str, list[str]]] = {}

    erased = await run_due_erasures(engine, operator=operator, dry_run=dry_run)
    counts["erasures due"] = len(erased)
    _note_failures(erased, failed)

    activity = await _last_activity(engine)
    expired = sorted(
        client
        for client, moment in activity.items()
        if moment < now - timedelta(days=retention.contacts_days)
    )
    counts["clients past the contacts period"] = len(expired)
    if not dry_run:
        for client in expired:
            destruction = await erase_client(
                engine, ClientId(client), operator=operator, ground=GROUND_RETENTION
            )
            _note_failures([destruction], failed)

    stale = {
        client: moment
        for client, moment in activity.items()
        if client not in expired
        and moment < now - timedelta(days=retention.marketing_days)
    }
    counts["marketing consents lapsed"] = await _lapse_marketing(
        engine, stale, now, dry_run
    )

    raw_cutoff = now - timedelta(days=retention.raw_events_days)
    counts["inbox remnants"] = await _delete(
        engine,
        inbox,
        (inbox.c.state != "pending") & (inbox.c.received_at < raw_cutoff),
        dry_run,
    )
    counts["quarantined bodies"] = await _delete(
        engine, quarantine, quarantine.c.received_at < raw_cutoff, dry_run
    )

    audit_cutoff = now - timedelta(days=retention.audit_days)
    counts["destruction records"] = await _delete(
        engine,
        destruction_records,
        (destruction_records.c.state == "done")
        & (destruction_records.c.completed_at < audit_cutoff),
        dry_run,
    )
    counts["audit entries"] = await _purge_audit(engine, audit_cutoff, dry_run)

    if not dry_run:
        async with engine.database.write() as write:
            await audit.append(
                write,
                at=now,
                actor="system" if operator == "system" else f"staff:{operator}",
                action=RETENTION_PURGED,
                client_id=None,
                outcome="failed" if failed else "ok",
                details={"counts": counts, "failed_clients": len(failed)},
            )
        # What was deleted must not stay in the write-ahead log either.
        await engine.database.checkpoint()
    logger.info("retention purge%s: %s", " (dry run)" if dry_run else "", counts)
    return PurgeReport(counts=counts, failed=failed, dry_run=dry_run)


def _note_failures(
    results: list[Destruction | str] | list[Destruction],
    failed: dict[str, dict[str, list[str]]],
) -> None:
    for result in results:
        if isinstance(result, Destruction) and result.failed:
            failed[result.client_id] = result.failed


async def _last_activity(engine: Engine) -> dict[str, datetime]:
    """Each known client's latest moment: conversation, event or lead."""
    latest: dict[str, datetime] = {}
    queries = [
        sa.select(conversations.c.client_id, conversations.c.updated_at),
        sa.select(inbox.c.conversation_key, sa.func.max(inbox.c.received_at)).group_by(
            inbox.c.conversation_key
        ),
        sa.select(
            local_leads.c.client_id, sa.func.max(local_leads.c.updated_at)
        ).group_by(local_leads.c.client_id),
    ]
    async with engine.database.read() as connection:
        for query in queries:
            for client, moment in await connection.execute(query):
                moment = utc(moment)
                if client not in latest or moment > latest[client]:
                    latest[client] = moment
    return latest


# XXX: the engine asks marketing consent only after booking consent, so a
# lapsed one is not asked again in the chat; the law wants it asked anew.
async def _lapse_marketing(
    engine: Engine, stale: dict[str, datetime], now: datetime, dry_run: bool
) -> int:
    """Record the marketing consent of long-inactive clients as withdrawn."""
    store = connectors_of(engine).consent_store
    lapsed = 0
    for client in sorted(stale):
        client_id = ClientId(client)
        current = await store.lookup(client_id, ConsentPurpose.MARKETING)
        if current is None or current.decision is not ConsentDecision.GRANTED:
            continue
        lapsed += 1
        if dry_run:
            continue
        await store.record(
            ConsentRecord(
                client_id=client_id,
                purpose=ConsentPurpose.MARKETING,
                decision=ConsentDecision.WITHDRAWN,
                template_version=current.template_version,
                channel=current.channel,
                message_id=f"retention:{now.date().isoformat()}",
                at=now,
            )
        )
        async with engine.database.write() as write:
            await audit.append(
                write,
                at=now,
                action=CONSENT_LAPSED,
                client_id=client,
                details={
                    "purpose": "marketing",
                    "inactive_since": stale[client].date().isoformat(),
                },
            )
    return lapsed


async def _delete(engine: Engine, table: sa.Table, where: Any, dry_run: bool) -> int:
    if dry_run:
        async with engine.database.read() as connection:
            return int(
                await connection.scalar(
                    sa.select(sa.func.count()).select_from(table).where(where)
                )
            )
    async with engine.database.write() as write:
        return int((await write.execute(table.delete().where(where))).rowcount)


async def _purge_audit(engine: Engine, cutoff: datetime, dry_run: bool) -> int:
    """Delete the oldest entries as a prefix; anchor the chain at the last one.

    Entries are deleted up to the first one at or after *cutoff*, so what is
    kept is a whole suffix of the chain, which the anchor makes verifiable.
    """
    async with engine.database.write() as write:
        first_kept = await write.connection.scalar(
            sa.select(sa.func.min(audit_log.c.seq)).where(audit_log.c.at >= cutoff)
        )
        old = audit_log.c.seq < first_kept if first_kept else sa.true()
        last = (
            await write.execute(
                sa.select(audit_log.c.seq, audit_log.c.hash)
                .where(old)
                .order_by(audit_log.c.seq.desc())
                .limit(1)
            )
        ).first()
        if last is None:
            return 0
        count = int(
            await write.connection.scalar(
                sa.select(sa.func.count()).select_from(audit_log).where(old)
            )
        )
        if dry_run:
            return count
        await write.execute(audit_log.delete().where(old))
        await write.execute(audit_anchor.delete())
        await write.execute(
            audit_anchor.insert().values(
                id=1, seq=last.seq, hash=last.hash, purged_at=engine.clock.now()
            )
        )
    return count


async def purge_forever(engine: Engine, every: float | None = None) -> None:
    """Purge now and then every *every* seconds (:data:`PURGE_SECONDS`).

    ``leadwire serve`` runs it beside the workers; a failed purge is logged
    and tried again at the next round.
    """
    while True:
        try:
            await purge(engine)
        except Exception as error:
            logger.error("retention purge failed: %s", type(error).__name__)
        # Real time between rounds: a test's fake clock returns from sleep at
        # once, which would spin; what is due is decided by the engine's clock.
        await asyncio.sleep(PURGE_SECONDS if every is None else every)
