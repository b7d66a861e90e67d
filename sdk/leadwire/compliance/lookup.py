"""Finding a client by a CLIENT_ id or by a phone in any common writing."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from leadwire.engine.database import Database
from leadwire.engine.leads import contact_from, e164
from leadwire.engine.schema import conversations, local_leads
from leadwire.engine.sealing import Keys, SealError
from leadwire.models import ClientId, Contact

__all__ = ["contact_of", "find_client"]


async def find_client(database: Database, keys: Keys, who: str) -> ClientId | None:
    """The client *who* names: a ``CLIENT_`` id, or a phone (normalised to E.164).

    A phone is found through the keyed hash of the contact's main phone,
    stored beside the sealed contact. When that misses, every sealed contact
    is opened and its phones compared: conversations stored before the hash
    existed (schema 0002) have none, and a client's other phones are not
    hashed. Slower, but complete.

    :raises ValueError: *who* is neither a client id nor a valid phone.
    """
    who = who.strip()
    if who.startswith("CLIENT_"):
        return ClientId(who) if await _known(database, who) else None
    phone = e164(who)
    if phone is None:
        raise ValueError("give a CLIENT_ id or a phone number, such as +7 999 ...")

    async with database.read() as connection:
        found = await connection.scalar(
            sa.select(conversations.c.client_id)
            .where(conversations.c.phone_hash == keys.phone_hash(phone))
            .limit(1)
        )
        if found is None:
            found = await _scan(connection, keys, phone)
        if found is None:
            found = await connection.scalar(
                sa.select(local_leads.c.client_id)
                .where(local_leads.c.phone == phone)
                .limit(1)
            )
    return ClientId(found) if found else None


async def _known(database: Database, client_id: str) -> bool:
    async with database.read() as connection:
        for table in (conversations, local_leads):
            seen = await connection.scalar(
                sa.select(table.c.client_id)
                .where(table.c.client_id == client_id)
                .limit(1)
            )
            if seen is not None:
                return True
    return False


async def _scan(connection: Any, keys: Keys, phone: str) -> str | None:
    """Open each sealed contact and compare its phones with *phone*."""
    rows = await connection.execute(
        sa.select(conversations.c.client_id, conversations.c.contact_sealed)
        .where(conversations.c.contact_sealed.is_not(None))
        .order_by(conversations.c.created_at)
    )
    for row in rows:
        try:
            document = keys.open(row.contact_sealed)
        except SealError:
            continue
        phones = [document.get("phone"), *(document.get("other_phones") or ())]
        if phone in phones:
            return row.client_id
    return None


async def contact_of(database: Database, keys: Keys, client_id: str) -> Contact:
    """What the engine knows of the client's contact details (may be empty)."""
    async with database.read() as connection:
        sealed = await connection.scalar(
            sa.select(conversations.c.contact_sealed).where(
                conversations.c.client_id == client_id,
                conversations.c.contact_sealed.is_not(None),
            )
        )
        if sealed is not None:
            return contact_from(keys.open(sealed))
        lead = (
            await connection.execute(
                sa.select(local_leads.c.name, local_leads.c.phone, local_leads.c.email)
                .where(local_leads.c.client_id == client_id)
                .order_by(local_leads.c.id.desc())
                .limit(1)
            )
        ).first()
    if lead is None:
        return Contact()
    return Contact(name=lead.name, phone=lead.phone, email=lead.email)
