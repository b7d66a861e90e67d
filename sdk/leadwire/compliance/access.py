"""Access requests: everything held about one client, and nothing of another."""

from __future__ import annotations

from typing import Any

import attrs
import sqlalchemy as sa

from leadwire.compliance._engine import connectors_of, keys_of
from leadwire.compliance.actions import CLIENT_EXPORTED
from leadwire.compliance.lookup import contact_of
from leadwire.engine import Engine, audit
from leadwire.engine.schema import conversations, inbox, turns, vault
from leadwire.engine.sealing import SealError
from leadwire.models import ClientId
from leadwire.pii import Vault
from leadwire.pii.placeholders import UnknownPlaceholderError
from leadwire.pii.pseudonymizer import restore

__all__ = ["export_client", "to_text"]


async def export_client(
    engine: Engine, client_id: ClientId, *, operator: str
) -> dict[str, Any]:
    """Everything held about *client_id*, for an access request (audited).

    Consent history, the conversation and its messages (unsealed), leads in
    the CRM, the audit trail, and where the data was sent.
    """
    connectors = connectors_of(engine)
    keys = keys_of(engine)
    contact = await contact_of(engine.database, keys, client_id.value)

    async with engine.database.write() as write:
        await audit.append(
            write,
            at=engine.clock.now(),
            actor=f"staff:{operator}",
            action=CLIENT_EXPORTED,
            client_id=client_id.value,
            details={"command": "leadwire client export"},
        )
    consent = await connectors.consent_store.history(client_id)
    try:
        crm = await connectors.crm.export_person(contact) if _reachable(contact) else {}
    except Exception as error:  # what is held locally is still owed
        crm = {"error": f"the CRM could not export: {type(error).__name__}"}
    async with engine.database.read() as connection:
        held = await _held(connection, engine, client_id.value)
        trail = await audit.trail(connection, client_id.value)

    return {
        "client_id": client_id.value,
        "exported_at": engine.clock.now().isoformat(),
        "contact": attrs.asdict(contact),
        **held,
        "consent": [
            {
                "purpose": record.purpose.value,
                "decision": record.decision.value,
                "template_version": record.template_version,
                "channel": record.channel,
                "message_id": record.message_id,
                "at": record.at.isoformat(),
            }
            for record in consent
        ],
        "crm": {"plugin": engine.config.crm.plugin, "records": crm},
        "audit": [
            {
                "seq": event.seq,
                "at": event.at.isoformat(),
                "actor": event.actor,
                "action": event.action,
                "outcome": event.outcome,
                "details": dict(event.details),
            }
            for event in trail
        ],
        "sent_to": _recipients(engine, held["conversations"]),
    }


def _reachable(contact: Any) -> bool:
    return bool(contact.phone or contact.email)


async def _held(connection: Any, engine: Engine, client_id: str) -> dict[str, Any]:
    """The engine's own records of the client, unsealed."""
    keys = keys_of(engine)
    rows = await connection.execute(
        sa.select(conversations).where(conversations.c.client_id == client_id)
    )
    held_conversations = [
        {
            "channel": row.channel,
            "address": keys.open(row.address_sealed),
            "created_at": row.created_at.isoformat(),
            "last_activity": row.updated_at.isoformat(),
            "consent_asked_at": row.prompted_at and row.prompted_at.isoformat(),
            "processing_stopped_at": row.stopped_at and row.stopped_at.isoformat(),
            "needs_human": row.needs_human,
            "lead": row.lead_ref and {"entity": row.lead_entity, "id": row.lead_ref},
        }
        for row in rows
    ]

    blob = await connection.scalar(
        sa.select(vault.c.blob).where(vault.c.client_id == client_id)
    )
    mapping = (
        Vault(engine.config.storage.vault_key.reveal()).open(blob) if blob else None
    )
    messages = []
    for row in await connection.execute(
        sa.select(turns).where(turns.c.client_id == client_id).order_by(turns.c.id)
    ):
        text = keys.open(row.text_sealed)
        messages.append(
            {
                "role": row.role,
                "at": row.at.isoformat(),
                "text": _restored(text, mapping),
            }
        )

    remnants = [
        {
            "channel": row.channel,
            "received_at": row.received_at.isoformat(),
            "kind": row.kind,
            "text": _inbox_text(keys, row),
        }
        for row in await connection.execute(
            sa.select(inbox)
            .where(inbox.c.conversation_key == client_id)
            .order_by(inbox.c.id)
        )
    ]
    return {
        "conversations": held_conversations,
        "messages": messages,
        "inbox": remnants,
    }


def _restored(text: str, mapping: Any) -> str:
    """The turn with the client's own values back, as the client wrote it."""
    if mapping is None:
        return text
    try:
        return restore(text, mapping)
    except UnknownPlaceholderError:
        return text


def _inbox_text(keys: Any, row: Any) -> str | None:
    """A pending event's text (sealed), or what was kept of it (redacted)."""
    if row.event_sealed is None:
        return row.redacted
    try:
        return keys.open(row.event_sealed).get("text")
    except (SealError, AttributeError):
        return None


def _recipients(engine: Engine, held: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The data map's flows that concern this client: its channels, CRM, LLM."""
    channels = {row["channel"] for row in held}
    return [flow.as_dict() for flow in engine.datamap(channels).flows]


def to_text(export: dict[str, Any]) -> str:
    """The export as plain text, for a letter to the client."""
    lines = [
        f"Клиент: {export['client_id']}",
        f"Выгрузка: {export['exported_at']}",
        "",
        "Контактные данные:",
    ]
    lines += [f"  {key}: {value}" for key, value in export["contact"].items() if value]
    lines += ["", "Согласия:"]
    lines += [
        f"  {item['at']} {item['purpose']}: {item['decision']} "
        f"(версия {item['template_version']}, {item['channel']})"
        for item in export["consent"]
    ]
    lines += ["", "Сообщения:"]
    lines += [f"  {m['at']} {m['role']}: {m['text']}" for m in export["messages"]]
    lines += ["", "Остатки входящих событий:"]
    lines += [
        f"  {m['received_at']} {m['kind']}: {m['text'] or ''}" for m in export["inbox"]
    ]
    lines += ["", f"CRM ({export['crm']['plugin']}):"]
    for key, value in export["crm"]["records"].items():
        lines.append(f"  {key}: {value}")
    lines += ["", "Журнал действий:"]
    lines += [
        f"  {e['seq']} {e['at']} {e['actor']} {e['action']} {e['outcome']}"
        for e in export["audit"]
    ]
    lines += ["", "Куда передавались данные:"]
    for flow in export["sent_to"]:
        marks = []
        if flow["cross_border"]:
            marks.append("за пределами России")
        if flow["pseudonymised"]:
            marks.append("в псевдонимизированном виде")
        extra = f" ({', '.join(marks)})" if marks else ""
        lines.append(
            f"  {flow['recipient']}, {flow['location']}: {', '.join(flow['data'])}"
            f"{extra}"
        )
    return "\n".join(lines)
