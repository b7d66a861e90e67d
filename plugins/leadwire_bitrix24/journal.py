"""A small local record of idempotency keys and what they came to.

Keys are stored as digests (``marker``), which is also what goes into the
portal, so the file holds no personal data: a key's state is ``pending`` (a
write was sent, its outcome unknown) or ``done`` with the record's id.
Entries older than ``keep_days`` are dropped when the file is written.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import attrs

from leadwire import Clock

__all__ = ["Entry", "Journal", "marker"]

logger = logging.getLogger("leadwire.plugins.bitrix24.journal")


def marker(idempotency_key: str) -> str:
    """The key as stored anywhere: ``lw-`` and 32 hex digits of its SHA-256."""
    return "lw-" + hashlib.sha256(idempotency_key.encode("utf-8")).hexdigest()[:32]


@attrs.frozen
class Entry:
    """What one key came to: a pending write, or a done one with its record."""

    state: str  # "pending" or "done"
    entity: str = ""
    id: str = ""
    created: bool = False

    @property
    def done(self) -> bool:
        return self.state == "done"


class Journal:
    """Key markers to outcomes, kept in a JSON file under the data directory.

    :param path: The file; created on first write.
    :param clock: Stamps entries, for pruning.
    :param keep_days: How long an entry is kept.
    """

    def __init__(self, path: Path, clock: Clock, *, keep_days: int = 30) -> None:
        self._path = path
        self._clock = clock
        self._keep = timedelta(days=keep_days)
        self._entries: dict[str, dict[str, Any]] | None = None

    def get(self, kind: str, key_marker: str) -> Entry | None:
        """The entry of *key_marker* among *kind* (``lead`` or ``note``)."""
        raw = self._load().get(f"{kind}:{key_marker}")
        if raw is None:
            return None
        return Entry(
            state=str(raw.get("state", "")),
            entity=str(raw.get("entity", "")),
            id=str(raw.get("id", "")),
            created=bool(raw.get("created", False)),
        )

    def pending(self, kind: str, key_marker: str) -> None:
        """Note that a write for the key is about to be sent."""
        self._put(kind, key_marker, {"state": "pending"})

    def done(self, kind: str, key_marker: str, entry: Entry) -> None:
        """Note the known outcome of the key."""
        self._put(kind, key_marker, attrs.asdict(entry))

    def _put(self, kind: str, key_marker: str, value: dict[str, Any]) -> None:
        entries = self._load()
        entries[f"{kind}:{key_marker}"] = {**value, "at": self._now().isoformat()}

        horizon = self._now() - self._keep
        kept = {key: item for key, item in entries.items() if _fresh(item, horizon)}
        self._entries = kept
        self._write(kept)

    def _load(self) -> dict[str, dict[str, Any]]:
        if self._entries is None:
            self._entries = self._read()
        return self._entries

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            raw = json.loads(self._path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            # The portal-side search still prevents duplicates; start afresh.
            logger.warning(
                "idempotency journal %s unreadable; starting empty", self._path.name
            )
            return {}
        return raw if isinstance(raw, dict) else {}

    def _write(self, entries: dict[str, dict[str, Any]]) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        scratch = self._path.with_suffix(".tmp")
        scratch.write_text(json.dumps(entries, indent=0), encoding="utf-8")
        os.replace(scratch, self._path)

    def _now(self) -> datetime:
        return self._clock.now()


def _fresh(item: dict[str, Any], horizon: datetime) -> bool:
    """Whether an entry is younger than *horizon*; undated ones are kept."""
    try:
        stamp = datetime.fromisoformat(str(item.get("at")))
    except ValueError:
        return True
    return stamp >= horizon
