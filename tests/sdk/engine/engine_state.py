"""Reading the engine's tables in tests."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from leadwire.engine import Engine, schema


async def rows(engine: Engine, table: sa.Table, *where: Any) -> list[Any]:
    """Every row of *table* (matching *where*), in insertion order."""
    async with engine.database.read() as connection:
        statement = sa.select(table).where(*where)
        first = next(iter(table.primary_key.columns))
        return list(await connection.execute(statement.order_by(first)))


async def snapshot(engine: Engine, world: Any) -> dict[str, Any]:
    """What a run left behind, without the moments and ids that may differ."""
    leads = await rows(engine, schema.local_leads)
    return {
        "sent": [(m.conversation, m.text) for m in world.sent],
        "prompts": [(c, p.version) for c, p in world.prompts],
        "llm": [r.messages for r in world.llm_requests],
        "leads": [
            (r.client_id, r.name, r.phone, r.service, r.desired_time) for r in leads
        ],
        "consent": [
            (r.client_id, r.purpose, r.decision, r.message_id)
            for r in await rows(engine, schema.consent_records)
        ],
        "audit": [
            (r.action, r.client_id, r.outcome, r.details)
            for r in await rows(engine, schema.audit_log)
        ],
        "inbox": [
            (r.event_id, r.state, r.outcome, r.redacted)
            for r in await rows(engine, schema.inbox)
        ],
        "statuses": [
            (r.message_id, r.status) for r in await rows(engine, schema.sent_messages)
        ],
        "outbox": sorted(
            (r.key, r.state, r.error) for r in await rows(engine, schema.outbox)
        ),
        "conversations": [
            (r.client_id, r.needs_human, r.lead_ref, r.stopped_at is None)
            for r in await rows(engine, schema.conversations)
        ],
        "erasures": [
            (r.client_id, r.state) for r in await rows(engine, schema.erasures)
        ],
    }
