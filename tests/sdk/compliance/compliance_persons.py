"""Two invented clients, a dialogue through the real engine, and a table scan."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from engine_fakes import NAMES, delivery, message

from leadwire.engine import Engine, schema
from leadwire.engine.sealing import Keys, SealError
from leadwire.pii import Vault

#: Each invented client: conversation, phone as written, E.164, name, e-mail.
ANNA = {
    "conversation": "chat-anna",
    "phone": "8 (999) 000-00-11",
    "e164": "+79990000011",
    "name": NAMES[0],
    "email": "ulyana.test@example.com",
}
BORIS = {
    "conversation": "chat-boris",
    "phone": "+7 999 000-00-22",
    "e164": "+79990000022",
    "name": NAMES[1],
    "email": "testoslav.test@example.com",
}


def values_of(person: dict[str, str]) -> list[str]:
    """What must vanish with the person: name, phone digits, e-mail, chat id."""
    return [
        person["name"],
        person["e164"][2:],
        person["email"],
        person["conversation"],
    ]


async def talk(engine: Engine, person: dict[str, str], prefix: str) -> None:
    """Consent, then a message with name, phone and e-mail."""
    chat = person["conversation"]
    text = f"Я {person['name']}, {person['phone']}, {person['email']}, хочу на маникюр"
    await engine.receive(
        "chat",
        delivery(message(f"{prefix}1", "Согласен", conversation=chat, phone=None)),
    )
    await engine.receive(
        "chat", delivery(message(f"{prefix}2", text, conversation=chat, phone=None))
    )
    await engine.run_until_idle()


async def every_value(engine: Engine) -> str:
    """Every column of every table, sealed columns opened with the engine's keys."""
    key = engine.config.storage.vault_key.reveal()
    keys, vault = Keys(key), Vault(key)
    seen: list[str] = []
    async with engine.database.read() as connection:
        for table in schema.metadata.sorted_tables:
            for row in await connection.execute(sa.select(table)):
                for column, value in row._mapping.items():
                    seen.append(_readable(column, value, keys, vault))
    return "\n".join(seen)


def _readable(column: str, value: Any, keys: Keys, vault: Vault) -> str:
    if isinstance(value, bytes):
        if column == "blob":
            return repr(vault.open(value).to_records())
        try:
            return repr(keys.open(value))
        except SealError:
            return repr(value)
    return repr(value)
