"""The audit log's chain: tamper-evident, verified by `leadwire audit verify`."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from cryptography.fernet import Fernet

import leadwire.pii.plugin
import leadwire.stores.plugin
from leadwire.audit import GENESIS, append, entry_hash, trail, verify
from leadwire.cli import build_cli
from leadwire.cli._common import Context
from leadwire.engine.database import Database, async_url
from leadwire.engine.schema import audit_log
from leadwire.models import AuditEvent
from leadwire.plugins import PluginHost

MOMENT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CONFIG = """
[business]
name = "Салон «Проба»"
[consent]
version = "1"
operator = "ИП Пробный"
purpose = "запись"
data = ["имя"]
term = "1 год"
withdraw = "стоп"
[channels.chat]
plugin = "none"
[crm]
plugin = "local"
[llm]
plugin = "none"
[storage]
url = "sqlite:///audit.db"
vault_key = "env:LEADWIRE_TEST_AUDIT_KEY"
"""


@pytest.fixture
async def database(tmp_path: Path):
    published: list[AuditEvent] = []
    database = Database(async_url("sqlite:///audit.db", tmp_path), published.append)
    await database.migrate()
    database.published = published
    yield database
    await database.dispose()


async def write_entries(database, count: int = 5) -> None:
    for index in range(count):
        async with database.write() as write:
            await append(
                write,
                at=MOMENT,
                action="consent.granted" if index % 2 else "message.sent",
                client_id=f"CLIENT_00000000000{index % 2}",
                details={"n": index},
            )


async def problems_of(database) -> list[tuple[int, str]]:
    async with database.read() as connection:
        return [(p.seq, p.reason) for p in await verify(connection)]


async def tamper(database, statement) -> None:
    async with database.engine.begin() as connection:
        await connection.execute(statement)


async def test_entries_are_chained_and_published(database):
    """Each entry hashes its content and the previous hash; observers see it."""
    await write_entries(database, 3)

    events = database.published
    assert [event.seq for event in events] == [1, 2, 3]
    assert events[0].prev_hash == GENESIS
    assert events[1].prev_hash == events[0].hash
    assert events[2].hash == entry_hash(events[2], events[1].hash)
    assert await problems_of(database) == []


async def test_dedupe_key_appends_once(database):
    """A replayed append with the same dedupe key adds nothing."""
    for _ in range(2):
        async with database.write() as write:
            await append(write, at=MOMENT, action="x", client_id=None, dedupe="k1")

    assert [event.seq for event in database.published] == [1]


async def test_verify_finds_an_altered_entry(database):
    """Changing an entry's outcome breaks its hash: that seq is named."""
    await write_entries(database)

    await tamper(
        database, audit_log.update().where(audit_log.c.seq == 3).values(outcome="x")
    )

    assert [seq for seq, _ in await problems_of(database)] == [3]


async def test_verify_finds_a_deleted_entry(database):
    """Deleting an entry leaves a gap and a broken link at the next one."""
    await write_entries(database)

    await tamper(database, audit_log.delete().where(audit_log.c.seq == 2))

    problems = await problems_of(database)
    assert {seq for seq, _ in problems} == {3}
    assert any("missing" in reason for _, reason in problems)


async def test_verify_finds_reordered_entries(database):
    """Swapping two entries' places breaks the chain where they now stand."""
    await write_entries(database)

    await tamper(
        database, audit_log.update().where(audit_log.c.seq == 2).values(seq=99)
    )
    await tamper(database, audit_log.update().where(audit_log.c.seq == 4).values(seq=2))
    await tamper(
        database, audit_log.update().where(audit_log.c.seq == 99).values(seq=4)
    )

    assert {seq for seq, _ in await problems_of(database)} >= {2}


async def test_trail_is_one_clients_entries(database):
    """The trail of a client holds only that client's entries, in order."""
    await write_entries(database)

    async with database.read() as connection:
        events = await trail(connection, "CLIENT_000000000001")

    assert [event.seq for event in events] == [2, 4]


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LEADWIRE_TEST_AUDIT_KEY", Fernet.generate_key().decode())
    (tmp_path / "leadwire.toml").write_text(CONFIG, encoding="utf-8")
    host = PluginHost()
    host.add("pii", leadwire.pii.plugin)
    host.add("local", leadwire.stores.plugin)
    return build_cli(Context(host)), tmp_path / "leadwire.toml"


def run(cli, *arguments: str, env: dict | None = None):
    command, config = cli
    return CliRunner().invoke(command, [*arguments, "--config", str(config)], env=env)


def seed(config: Path, count: int = 4) -> sa.Engine:
    """Entries written through the engine's own code, then a sync handle."""

    async def go() -> None:
        database = Database(
            async_url("sqlite:///audit.db", config.parent), lambda event: None
        )
        await database.migrate()
        await write_entries(database, count)
        await database.dispose()

    asyncio.run(go())
    return sa.create_engine(f"sqlite:///{config.parent / 'audit.db'}")


def test_cli_verify_says_intact_then_names_the_broken_seq(cli):
    """`audit verify` exits 0 on an intact log, 1 naming the altered seq."""
    engine = seed(cli[1])

    intact = run(cli, "audit", "verify")
    with engine.begin() as connection:
        connection.execute(
            audit_log.update().where(audit_log.c.seq == 2).values(details="{}")
        )
    broken = run(cli, "audit", "verify")
    engine.dispose()

    assert intact.exit_code == 0, intact.output
    assert "intact: 4 entries" in intact.output
    assert broken.exit_code == 1
    assert "entry 2" in broken.output


def test_cli_export_prints_the_trail_and_audits_itself(cli):
    """`audit export` prints JSON lines and records the staff access."""
    engine = seed(cli[1])

    result = run(
        cli, "audit", "export", "--client", "CLIENT_000000000001",
        env={"LEADWIRE_OPERATOR": "anna"},
    )  # fmt: skip
    with engine.connect() as connection:
        last = connection.execute(
            sa.select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)
        ).one()
    engine.dispose()

    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["seq"] for line in lines] == [2, 4, 5]
    assert all(line["prev_hash"] and line["hash"] for line in lines)
    assert (last.actor, last.action, last.client_id) == (
        "staff:anna",
        "audit.exported",
        "CLIENT_000000000001",
    )
    assert run(cli, "audit", "verify").exit_code == 0


def test_cli_export_refuses_something_that_is_not_a_client_id(cli):
    """`audit export --client` takes a CLIENT_ id, not a phone or a name."""
    result = run(cli, "audit", "export", "--client", "+79990000009")

    assert result.exit_code == 2
    assert "CLIENT_" in result.output
