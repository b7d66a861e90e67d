"""The lock that lets a single process serve a SQLite database.

Two servers on one database would both process its inbox and send each reply
twice. The lock is an exclusive lock on a file beside the database, held for
the server's lifetime; the operating system releases it when the process
ends, however it ends, so a crash leaves no stale lock behind.
"""

from __future__ import annotations

from pathlib import Path

import filelock

from leadwire.errors import LeadwireError

__all__ = ["AlreadyServed", "ServeLock"]


class AlreadyServed(LeadwireError):
    """Another process serves the database: its lock is held."""

    def __init__(self, lock: Path) -> None:
        self.lock = lock
        super().__init__(
            f"another `leadwire serve` is running on this database (it holds "
            f"{lock}); stop it first: only one process may serve a database"
        )


class ServeLock:
    """The exclusive lock ``<database>.lock`` of a SQLite database file."""

    def __init__(self, database: Path) -> None:
        self.path = database.with_name(database.name + ".lock")
        self._lock = filelock.FileLock(self.path, mode=0o600, thread_local=False)

    def acquire(self) -> None:
        """Take the lock at once.

        :raises AlreadyServed: Another process holds it.
        """
        try:
            self._lock.acquire(timeout=0)
        except filelock.Timeout:
            raise AlreadyServed(self.path) from None

    def release(self) -> None:
        """Let the next server take the database."""
        self._lock.release()

    def __enter__(self) -> ServeLock:
        self.acquire()
        return self

    def __exit__(self, *_: object) -> None:
        self.release()
