"""The ``local`` consent store: an append-only ledger in leadwire's database."""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import sqlalchemy as sa

from leadwire.connectors import ConnectorContext
from leadwire.engine.schema import consent_records
from leadwire.models import (
    ClientId,
    ConsentDecision,
    ConsentPurpose,
    ConsentRecord,
    DataFlow,
)
from leadwire.stores._common import database_of

__all__ = ["LocalConsentStore", "LocalSettings"]


@attrs.frozen
class LocalSettings:
    """The local stores take no settings: they live in ``storage.url``."""


class LocalConsentStore:
    """Keeps each decision as a row; recording the same decision twice is a no-op.

    A decision is the same when client, purpose, message id and decision
    match, which makes a replayed record after a crash harmless.
    """

    def __init__(self, settings: LocalSettings, context: ConnectorContext) -> None:
        self._database = database_of(context)

    async def record(self, entry: ConsentRecord) -> None:
        values = {
            "client_id": entry.client_id.value,
            "purpose": entry.purpose.value,
            "decision": entry.decision.value,
            "template_version": entry.template_version,
            "channel": entry.channel,
            "message_id": entry.message_id,
            "at": entry.at,
        }
        async with self._database.write() as write:
            seen = await write.connection.scalar(
                sa.select(consent_records.c.id).where(
                    consent_records.c.client_id == values["client_id"],
                    consent_records.c.purpose == values["purpose"],
                    consent_records.c.message_id == values["message_id"],
                    consent_records.c.decision == values["decision"],
                )
            )
            if seen is None:
                await write.execute(consent_records.insert(), values)

    async def lookup(
        self, client_id: ClientId, purpose: ConsentPurpose
    ) -> ConsentRecord | None:
        async with self._database.read() as connection:
            row = (
                await connection.execute(
                    sa.select(consent_records)
                    .where(
                        consent_records.c.client_id == client_id.value,
                        consent_records.c.purpose == purpose.value,
                    )
                    .order_by(consent_records.c.id.desc())
                    .limit(1)
                )
            ).first()
        return _record(row) if row else None

    async def history(self, client_id: ClientId) -> Sequence[ConsentRecord]:
        async with self._database.read() as connection:
            rows = await connection.execute(
                sa.select(consent_records)
                .where(consent_records.c.client_id == client_id.value)
                .order_by(consent_records.c.id)
            )
            return [_record(row) for row in rows]

    async def erase(self, client_id: ClientId) -> int:
        async with self._database.write() as write:
            result = await write.execute(
                consent_records.delete().where(
                    consent_records.c.client_id == client_id.value
                )
            )
        return result.rowcount

    def data_flows(self) -> Sequence[DataFlow]:
        return [
            DataFlow(
                data=("pseudonymous client id", "consent decisions"),
                recipient="leadwire's own database",
                location="RU",
                purpose="proof of consent (152-FZ, Art. 9)",
                pseudonymised=True,
                system_of_record=True,
                third_party=False,
            )
        ]

    async def aclose(self) -> None:
        """Nothing to release: the engine owns the database."""


def _record(row: sa.Row) -> ConsentRecord:  # type: ignore[type-arg]
    return ConsentRecord(
        client_id=ClientId(row.client_id),
        purpose=ConsentPurpose(row.purpose),
        decision=ConsentDecision(row.decision),
        template_version=row.template_version,
        channel=row.channel,
        message_id=row.message_id,
        at=row.at,
    )
