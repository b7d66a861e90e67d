"""The ``local`` CRM: leads kept in leadwire's own database.

For setups without a CRM: an administrator reads the leads from the database
(or a later export). One open lead per client; an upsert with a new
idempotency key updates it, a repeated key returns the first outcome.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from leadwire.connectors import ConnectorContext
from leadwire.engine.database import Connection_
from leadwire.engine.schema import local_lead_notes, local_leads
from leadwire.models import (
    Contact,
    CrmRef,
    DataFlow,
    ErasureReport,
    Lead,
    LeadResult,
)
from leadwire.stores._common import database_of
from leadwire.stores.consent import LocalSettings

__all__ = ["LocalCrm"]

_ENTITY = "lead"


class LocalCrm:
    """Files leads as rows of ``local_leads``."""

    def __init__(self, settings: LocalSettings, context: ConnectorContext) -> None:
        self._database = database_of(context)
        self._clock = context.clock

    async def find_person(self, contact: Contact) -> Sequence[CrmRef]:
        matches = _matching(contact)
        if matches is None:
            return []
        async with self._database.read() as connection:
            ids = await connection.scalars(
                sa.select(local_leads.c.id).where(matches).order_by(local_leads.c.id)
            )
            return [CrmRef(_ENTITY, str(lead_id)) for lead_id in ids]

    async def upsert_lead(self, lead: Lead, *, idempotency_key: str) -> LeadResult:
        moment = self._clock.now()
        async with self._database.write() as write:
            connection = write.connection
            seen = (
                await connection.execute(
                    sa.select(
                        local_lead_notes.c.lead_id, local_lead_notes.c.created
                    ).where(local_lead_notes.c.key == idempotency_key)
                )
            ).first()
            if seen is not None:
                return LeadResult(CrmRef(_ENTITY, str(seen.lead_id)), seen.created)

            lead_id = await _open_lead(connection, lead.client_id.value)
            values = _values(lead)
            created = lead_id is None
            if created:
                lead_id = (
                    await connection.execute(
                        local_leads.insert().values(
                            client_id=lead.client_id.value,
                            channel=lead.channel,
                            open=True,
                            created_at=moment,
                            updated_at=moment,
                            **values,
                        )
                    )
                ).inserted_primary_key[0]
            else:
                await connection.execute(
                    local_leads.update()
                    .where(local_leads.c.id == lead_id)
                    .values(updated_at=moment, **values)
                )

            await connection.execute(
                local_lead_notes.insert().values(
                    key=idempotency_key,
                    lead_id=lead_id,
                    kind="upsert",
                    created=created,
                    at=moment,
                )
            )
        return LeadResult(CrmRef(_ENTITY, str(lead_id)), created)

    async def add_note(self, ref: CrmRef, text: str, *, idempotency_key: str) -> None:
        async with self._database.write() as write:
            connection = write.connection
            seen = await connection.scalar(
                sa.select(local_lead_notes.c.id).where(
                    local_lead_notes.c.key == idempotency_key
                )
            )
            if seen is None:
                await connection.execute(
                    local_lead_notes.insert().values(
                        key=idempotency_key,
                        lead_id=int(ref.id),
                        kind="note",
                        text=text,
                        at=self._clock.now(),
                    )
                )

    async def export_person(self, contact: Contact) -> dict[str, Any]:
        matches = _matching(contact)
        if matches is None:
            return {"leads": []}
        async with self._database.read() as connection:
            rows = await connection.execute(
                sa.select(local_leads).where(matches).order_by(local_leads.c.id)
            )
            leads = [
                {
                    key: value.isoformat() if hasattr(value, "isoformat") else value
                    for key, value in row._asdict().items()
                }
                for row in rows
            ]
        return {"leads": leads}

    async def erase_person(self, contact: Contact) -> ErasureReport:
        matches = _matching(contact)
        if matches is None:
            return ErasureReport()
        async with self._database.write() as write:
            connection = write.connection
            ids = list(
                await connection.scalars(sa.select(local_leads.c.id).where(matches))
            )
            await connection.execute(
                local_lead_notes.delete().where(local_lead_notes.c.lead_id.in_(ids))
            )
            await connection.execute(
                local_leads.delete().where(local_leads.c.id.in_(ids))
            )
        return ErasureReport(erased=tuple(f"{_ENTITY} {lead_id}" for lead_id in ids))

    def data_flows(self) -> Sequence[DataFlow]:
        return [
            DataFlow(
                data=("name", "phone", "e-mail", "requested service", "time"),
                recipient="leadwire's own database",
                location="RU",
                purpose="booking requests of clients",
                system_of_record=True,
                third_party=False,
            )
        ]

    async def aclose(self) -> None:
        """Nothing to release: the engine owns the database."""


def _values(lead: Lead) -> dict[str, Any]:
    """The columns an upsert writes; what is unknown now keeps its old value."""
    values = {
        "title": lead.title or None,
        "name": lead.contact.name,
        "phone": lead.contact.phone,
        "email": lead.contact.email,
        "service": lead.fields.service,
        "desired_time": lead.fields.desired_time,
        "comment": lead.fields.comment,
    }
    return {key: value for key, value in values.items() if value is not None}


async def _open_lead(connection: Connection_, client_id: str) -> int | None:
    return await connection.scalar(
        sa.select(local_leads.c.id)
        .where(local_leads.c.client_id == client_id, local_leads.c.open)
        .order_by(local_leads.c.id.desc())
        .limit(1)
    )


def _matching(contact: Contact) -> Any:
    """A WHERE clause for the contact's phone or e-mail; None if it has neither."""
    clauses = []
    if contact.phone:
        clauses.append(local_leads.c.phone == contact.phone)
    if contact.email:
        clauses.append(local_leads.c.email == contact.email)
    return sa.or_(*clauses) if clauses else None
