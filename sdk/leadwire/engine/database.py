"""The engine's database: the connection, migrations, and serialised writes.

SQLite by default (through aiosqlite); a PostgreSQL URL works by configuration
alone. Writes go through :meth:`Database.write`, one at a time inside the
process: SQLite allows a single writer anyway, and it keeps the audit chain's
sequence gap-free. Audit entries appended inside a write are published to the
``leadwire_audit_event`` observers only after the write has committed.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import StaticPool

from leadwire.errors import ConfigError, ConfigProblem
from leadwire.models import AuditEvent

__all__ = ["Database", "Write", "async_url", "sqlite_file", "upgrade"]

logger = logging.getLogger(__name__)

_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}


def async_url(url: str, base_dir: Path) -> URL:
    """The async form of a configured URL; a relative SQLite path joins *base_dir*."""
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError:
        raise ConfigError(
            [ConfigProblem("storage.url", "not an SQLAlchemy database URL")]
        ) from None

    driver = _ASYNC_DRIVERS.get(parsed.drivername, parsed.drivername)
    parsed = parsed.set(drivername=driver)
    database = parsed.database
    if parsed.get_backend_name() == "sqlite" and database and database != ":memory:":
        path = Path(database)
        if not path.is_absolute():
            parsed = parsed.set(database=str(base_dir / path))
    return parsed


def sqlite_file(url: URL) -> Path | None:
    """The file of a SQLite database; None in memory or for a server database."""
    if url.get_backend_name() != "sqlite" or _in_memory(url):
        return None
    return Path(str(url.database))


def _create_private(path: Path) -> None:
    """Create the database file readable by its owner alone (it holds personal
    data); SQLite gives its -wal and -shm files the same permissions.
    """
    if path.exists() or not path.parent.is_dir():
        return  # SQLite reports a missing directory in its own words
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    # XXX: a database created by an earlier release keeps its permissions.


class SyncConnection:
    """A blocking SQLite connection behind the async interface the engine uses.

    SQLite answers a statement in microseconds, while a round trip to
    aiosqlite's thread costs far more (each cursor operation is one); so for
    a SQLite file the engine runs its statements on the event loop's thread.
    """

    def __init__(self, connection: sa.Connection) -> None:
        self._connection = connection
        self.dialect = connection.dialect

    async def execute(self, statement: Any, parameters: Any = None) -> Any:
        return self._connection.execute(statement, parameters)

    async def scalar(self, statement: Any) -> Any:
        return self._connection.scalar(statement)

    async def scalars(self, statement: Any) -> Any:
        return self._connection.scalars(statement)


#: What reads and writes get: an async connection, or SQLite's blocking one.
Connection_ = AsyncConnection | SyncConnection


class Write:
    """An open write transaction: the connection, and audit entries to publish."""

    def __init__(self, connection: Connection_) -> None:
        self.connection = connection
        self.audited: list[AuditEvent] = []

    async def execute(self, statement: Any, parameters: Any = None) -> Any:
        """Run *statement*; pass values as *parameters* so its compiled form
        is reused (building ``.values(...)`` each time costs more than SQLite).
        """
        return await self.connection.execute(statement, parameters)


class Database:
    """The engine's connection to its database.

    :param url: The async SQLAlchemy URL.
    :param publish: Called with each audit entry once its write has committed.
    :attr engine: The async engine (migrations, and PostgreSQL).
    """

    def __init__(self, url: URL, publish: Callable[[AuditEvent], None]) -> None:
        self.url = url
        self._publish = publish
        self._lock = asyncio.Lock()
        self.engine: AsyncEngine = _create_engine(url)
        self._blocking: sa.Engine | None = _blocking_engine(url)

    async def migrate(self) -> None:
        """Bring the schema to the newest version shipped with this release.

        A SQLite file that does not exist yet is created private first.
        """
        path = sqlite_file(self.url)
        if path is not None:
            _create_private(path)
        async with self.engine.begin() as connection:
            await connection.run_sync(upgrade)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[Write]:
        """A write transaction; audit entries are published after the commit."""
        async with self._lock:
            if self._blocking is not None:
                with self._blocking.begin() as connection:
                    write = Write(SyncConnection(connection))
                    yield write
            else:
                async with self.engine.begin() as connection:
                    write = Write(connection)
                    yield write
        for event in write.audited:
            self._publish(event)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Connection_]:
        """A connection for reading."""
        if self._blocking is not None:
            with self._blocking.connect() as connection:
                yield SyncConnection(connection)
        else:
            async with self.engine.connect() as connection:
                yield connection

    async def checkpoint(self) -> None:
        """Move SQLite's write-ahead log into the file and empty it.

        Called after an erasure: until then the log still holds the erased
        rows' values. A no-op for other databases.
        """
        if self._blocking is None:
            return
        async with self._lock:
            with self._blocking.connect() as connection:
                busy = connection.exec_driver_sql(
                    "PRAGMA wal_checkpoint(TRUNCATE)"
                ).first()
        if busy is not None and busy[0]:
            # Another process reads the database; the next checkpoint retries.
            logger.warning("the write-ahead log could not be emptied: busy")

    async def dispose(self) -> None:
        """Close every connection."""
        if self._blocking is not None:
            self._blocking.dispose()
        await self.engine.dispose()


def _create_engine(url: URL) -> AsyncEngine:
    if url.get_backend_name() != "sqlite":
        return create_async_engine(url, pool_pre_ping=True)

    options: dict[str, Any] = {"connect_args": {"timeout": 30}}
    if _in_memory(url):
        options["poolclass"] = StaticPool  # one shared in-memory database
    engine = create_async_engine(url, **options)
    sa.event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _in_memory(url: URL) -> bool:
    return url.database in (None, "", ":memory:")


def _blocking_engine(url: URL) -> sa.Engine | None:
    """A blocking engine on the same SQLite file; None for other databases."""
    if url.get_backend_name() != "sqlite" or _in_memory(url):
        return None
    # XXX: a writer of another process (`leadwire audit export`) can hold the
    # file's lock; waiting for it blocks the event loop up to this timeout.
    engine = sa.create_engine(
        url.set(drivername="sqlite+pysqlite"), connect_args={"timeout": 5}
    )
    sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _: Any) -> None:
    """WAL lets readers run beside the writer; NORMAL sync is durable in WAL.

    Secure delete overwrites deleted rows, so erased values leave the file.
    """
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", "leadwire:migrations")
    config.attributes["connection"] = connection
    return config


@functools.cache
def _heads() -> frozenset[str]:
    """The newest revisions shipped with this release."""
    config = Config()
    config.set_main_option("script_location", "leadwire:migrations")
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def upgrade(connection: Connection) -> None:
    """Migrate the database of *connection* to the newest schema, if it is not."""
    current = MigrationContext.configure(connection).get_current_heads()
    if frozenset(current) == _heads():
        return
    logger.info("migrating the database schema to %s", ", ".join(sorted(_heads())))
    command.upgrade(_alembic_config(connection), "head")
