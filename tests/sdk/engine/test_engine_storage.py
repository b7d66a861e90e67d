"""Storage: URLs from the configuration, and migrations that match the schema."""

from __future__ import annotations

import stat
from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from leadwire.engine import Engine
from leadwire.engine.database import async_url, upgrade
from leadwire.engine.schema import metadata


def test_relative_sqlite_path_is_taken_from_the_config_directory(tmp_path: Path):
    """sqlite:///x.db beside the configuration, through aiosqlite."""
    url = async_url("sqlite:///leadwire.db", tmp_path)

    assert url.drivername == "sqlite+aiosqlite"
    assert url.database == str(tmp_path / "leadwire.db")


def test_postgresql_url_needs_only_configuration(tmp_path: Path):
    """A PostgreSQL URL gets the async driver; nothing else changes."""
    url = async_url("postgresql://leadwire@db.internal/leadwire", tmp_path)

    assert url.drivername == "postgresql+asyncpg"
    assert url.database == "leadwire"


def test_migrations_build_exactly_the_schema(tmp_path: Path):
    """The shipped migrations produce the tables the code queries, no drift."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    with engine.begin() as connection:
        upgrade(connection)
        upgrade(connection)  # a second start finds the schema current
        context = MigrationContext.configure(connection)
        drift = compare_metadata(context, metadata)
    engine.dispose()

    assert drift == []


async def test_a_new_database_is_readable_by_its_owner_alone(
    tmp_path: Path, host, clock, make_config
):
    """A fresh SQLite file and its -wal and -shm are created with mode 0600."""
    (tmp_path / "fresh").mkdir()
    config = make_config(storage={"url": "sqlite:///fresh/leadwire.db"})
    engine = Engine(config, host, clock=clock)

    await engine.start()
    async with engine.database.write():
        pass  # the first write opens the write-ahead log
    files = sorted((tmp_path / "fresh").glob("leadwire.db*"))
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in files}
    await engine.close()

    assert modes == {
        "leadwire.db": 0o600,
        "leadwire.db-shm": 0o600,
        "leadwire.db-wal": 0o600,
    }
