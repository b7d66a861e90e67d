"""Storage: URLs from the configuration, and migrations that match the schema."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

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
