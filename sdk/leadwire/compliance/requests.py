"""Subject requests: access and erasure, with their legal deadlines.

An access request is answered within 10 working days (152-FZ, Art. 14, 20).
Working days are Monday to Friday; public holidays are not modelled, so a
deadline over a holiday is earlier than the law's (the safe side).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import attrs
import sqlalchemy as sa

from leadwire.compliance.actions import REQUEST_RECEIVED
from leadwire.engine import audit
from leadwire.engine.database import Database
from leadwire.engine.schema import destruction_records, erasures, subject_requests

__all__ = [
    "ACCESS_WORKING_DAYS",
    "SubjectRequest",
    "complete_request",
    "list_requests",
    "open_request",
    "working_days",
]

#: Working days to answer an access request.
ACCESS_WORKING_DAYS = 10
#: Days to destroy the data after an erasure request or a withdrawal.
ERASURE_DAYS = 30


def working_days(start: datetime, days: int) -> datetime:
    """*days* working days (Monday to Friday) after *start*."""
    moment = start
    while days > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment


@attrs.frozen
class SubjectRequest:
    """One registered request and where it stands."""

    id: int | None  # None: made in the chat, scheduled by the engine
    kind: str  # access, erasure
    client_id: str
    received_at: datetime
    due_at: datetime
    completed_at: datetime | None
    operator: str

    def overdue(self, now: datetime) -> bool:
        """Whether the deadline passed without an answer."""
        return self.completed_at is None and now > self.due_at

    def as_dict(self, now: datetime) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "client_id": self.client_id,
            "received_at": self.received_at.isoformat(),
            "due_at": self.due_at.isoformat(),
            "completed_at": self.completed_at and self.completed_at.isoformat(),
            "operator": self.operator,
            "overdue": self.overdue(now),
        }


async def open_request(
    database: Database, kind: str, client_id: str, operator: str, now: datetime
) -> int:
    """Register a request received *now*; return its id."""
    if kind == "access":
        due = working_days(now, ACCESS_WORKING_DAYS)
    else:
        due = now + timedelta(days=ERASURE_DAYS)
    async with database.write() as write:
        request_id = (
            await write.execute(
                subject_requests.insert().values(
                    kind=kind,
                    client_id=client_id,
                    received_at=now,
                    due_at=due,
                    operator=operator,
                )
            )
        ).inserted_primary_key[0]
        await audit.append(
            write,
            at=now,
            actor=f"staff:{operator}",
            action=REQUEST_RECEIVED,
            client_id=client_id,
            details={"kind": kind, "due": due.date().isoformat()},
        )
    return int(request_id)


async def complete_request(database: Database, request_id: int, now: datetime) -> None:
    """Mark a request answered."""
    async with database.write() as write:
        await write.execute(
            subject_requests.update()
            .where(subject_requests.c.id == request_id)
            .values(completed_at=now)
        )


async def list_requests(database: Database) -> list[SubjectRequest]:
    """Every request, oldest first: registered ones and those made in the chat.

    A withdrawal or deletion request made in the chat is scheduled by the
    engine in its ``erasures`` table; it is listed here with no id, its
    operator ``chat``, answered once the erasure is done.
    """
    async with database.read() as connection:
        registered = [
            SubjectRequest(
                id=row.id,
                kind=row.kind,
                client_id=row.client_id,
                received_at=row.received_at,
                due_at=row.due_at,
                completed_at=row.completed_at,
                operator=row.operator,
            )
            for row in await connection.execute(sa.select(subject_requests))
        ]
        done = sa.select(sa.func.max(destruction_records.c.completed_at)).where(
            destruction_records.c.client_id == erasures.c.client_id
        )
        from_chat = [
            SubjectRequest(
                id=None,
                kind="erasure",
                client_id=row.client_id,
                received_at=row.requested_at,
                # The engine may erase sooner (a deletion request is due at
                # once); the deadline the law sets is what "overdue" means.
                due_at=row.requested_at + timedelta(days=ERASURE_DAYS),
                completed_at=row.completed if row.state == "done" else None,
                operator="chat",
            )
            for row in await connection.execute(
                sa.select(erasures, done.scalar_subquery().label("completed"))
            )
        ]
    return sorted([*registered, *from_chat], key=lambda r: r.received_at)
