"""The outbox: every effect on the outside world, recorded, keyed and retried.

An effect (a reply, a consent request, an LLM call, a CRM write, a consent
record) is a row keyed by a stable idempotency key derived from the inbox
event that caused it. The row is written before the call and its outcome
before the step counts as done, so processing replayed after a crash finds
the outcome and does not repeat the call. Local steps of processing (the
consent gate's decision, the pseudonymisation) are journaled the same way, so
a replay takes the same decisions.

Retries are durable: a :class:`~leadwire.errors.TemporaryError` reschedules
the row (after the provider's ``retry_after`` when it gives one, else an
exponential backoff) and suspends the event's processing until then. They
follow the engine's clock and survive a restart, which an in-process retry
loop could not.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import attrs
import sqlalchemy as sa

from leadwire.connectors import Clock
from leadwire.engine.database import Database, Write
from leadwire.engine.schema import outbox
from leadwire.engine.sealing import Keys
from leadwire.errors import (
    ConnectorError,
    CredentialsError,
    DetectionError,
    OutsideWindowError,
    RejectedError,
    TemporaryError,
    UnusableAnswerError,
)

__all__ = [
    "Cancelled",
    "Effect",
    "Failure",
    "Outbox",
    "Outcome",
    "Suspended",
]

logger = logging.getLogger(__name__)

#: Attempts of one effect before it counts as failed.
MAX_ATTEMPTS = 5
#: The first backoff, doubled on each attempt, and its ceiling, in seconds.
BACKOFF_FIRST = 2.0
BACKOFF_CEILING = 300.0


class State(enum.StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Failure(enum.StrEnum):
    """Why an effect failed for good."""

    CREDENTIALS = "credentials"
    OUTSIDE_WINDOW = "outside_window"
    REJECTED = "rejected"
    UNUSABLE = "unusable"
    DETECTION = "detection"
    EXHAUSTED = "exhausted"
    ERROR = "error"


class Suspended(Exception):
    """Processing of an event waits until *due_at* for an effect's retry."""

    def __init__(self, due_at: datetime) -> None:
        self.due_at = due_at
        super().__init__(f"suspended until {due_at.isoformat()}")


class Cancelled(Exception):
    """The client withdrew consent: the event's remaining effects are off."""


@attrs.frozen
class Effect:
    """One effect of processing an inbox event.

    :param key: The idempotency key, unique across the outbox.
    :param kind: ``send``, ``llm``, ``lead``, ``consent`` or a local step.
    :param queued: The step name announced once the row is written.
    :param done: The step name announced once the outcome is recorded.
    :param external: Whether it calls out (written before the call).
    :param deadline: A retry due later than this is not waited for.
    :param channel: The channel of the event, named in the log lines.
    """

    key: str
    kind: str
    inbox_id: int
    client_id: str | None
    queued: str | None = None
    done: str | None = None
    external: bool = True
    deadline: datetime | None = None
    channel: str | None = None


@attrs.frozen
class Outcome:
    """What an effect came to: its JSON value, or why it failed."""

    ok: bool
    value: Any = None
    failure: Failure | None = None


def _failure(error: Exception) -> Failure:
    if isinstance(error, CredentialsError):
        return Failure.CREDENTIALS
    if isinstance(error, OutsideWindowError):
        return Failure.OUTSIDE_WINDOW
    if isinstance(error, UnusableAnswerError):
        return Failure.UNUSABLE
    if isinstance(error, DetectionError):
        return Failure.DETECTION
    if isinstance(error, RejectedError | ConnectorError):
        return Failure.REJECTED
    return Failure.ERROR


class Outbox:
    """Runs effects at most once each, with durable retries."""

    def __init__(
        self,
        database: Database,
        keys: Keys,
        clock: Clock,
        step: Callable[[str], None],
    ) -> None:
        self._database = database
        self._keys = keys
        self._clock = clock
        self._step = step

    async def run(
        self,
        effect: Effect,
        call: Callable[[], Awaitable[Any]],
        record: Callable[[Write, Any], Awaitable[None]] | None = None,
        announce: Callable[[Write], Awaitable[None]] | None = None,
        journal: dict[str, Any] | None = None,
    ) -> Outcome:
        """Run *effect* unless its outcome is recorded; return the outcome.

        :param call: Does the work; returns a JSON-able value (sealed in the
            row). Connector errors become a failed outcome or a retry.
        :param record: Writes what the outcome means (audit entries, state)
            in the same transaction as the outcome itself.
        :param announce: Writes what the intent means (the audit entry of a
            request) in the same transaction as the row written before the call.
        :param journal: The event's rows as :meth:`journal` read them at the
            start of processing, to spare a query per effect (each key runs
            once per processing, so they cannot have changed).
        :raises Suspended: A retry is due later; stop processing the event.
        :raises Cancelled: The effect was cancelled by a withdrawal.
        """
        if journal is not None:
            row = journal.get(effect.key)
        else:
            row = await self._load(effect.key)
        if row is not None and row.state == State.DONE:
            return Outcome(True, self._keys.open(row.result_sealed))
        if row is not None and row.state == State.FAILED:
            return Outcome(False, failure=Failure(row.error))
        if row is not None and row.state == State.CANCELLED:
            raise Cancelled
        if row is not None and row.due_at > self._clock.now():
            raise Suspended(row.due_at)

        attempts = row.attempts if row is not None else 0
        if row is None and effect.external:
            await self._insert(effect, announce)
            if effect.queued:
                self._step(effect.queued)

        try:
            value = await call()
        except TemporaryError as error:
            return await self._retry(effect, attempts + 1, error)
        except (ConnectorError, DetectionError) as error:
            return await self._fail(effect, _failure(error), error)
        except Exception as error:  # a connector's bug must not stop the engine
            logger.error(
                "effect %s of event %s failed: %s",
                effect.kind,
                effect.inbox_id,
                type(error).__name__,
            )
            return await self._fail(effect, Failure.ERROR, error)

        await self._finish(effect, value, record)
        return Outcome(True, value)

    async def journal(self, inbox_id: int) -> dict[str, Any]:
        """Every row of an inbox event, by key."""
        async with self._database.read() as connection:
            rows = await connection.execute(
                sa.select(outbox).where(outbox.c.inbox_id == inbox_id)
            )
            return {row.key: row for row in rows}

    async def _load(self, key: str) -> Any:
        async with self._database.read() as connection:
            return (
                await connection.execute(sa.select(outbox).where(outbox.c.key == key))
            ).first()

    async def _insert(
        self, effect: Effect, announce: Callable[[Write], Awaitable[None]] | None
    ) -> None:
        moment = self._clock.now()
        async with self._database.write() as write:
            await write.execute(
                outbox.insert(),
                {
                    "key": effect.key,
                    "inbox_id": effect.inbox_id,
                    "client_id": effect.client_id,
                    "kind": effect.kind,
                    "state": State.PENDING,
                    "attempts": 0,
                    "due_at": moment,
                    "created_at": moment,
                    "updated_at": moment,
                },
            )
            if announce is not None:
                await announce(write)

    async def _finish(
        self,
        effect: Effect,
        value: Any,
        record: Callable[[Write, Any], Awaitable[None]] | None,
    ) -> None:
        moment = self._clock.now()
        values = {
            "state": State.DONE,
            "result_sealed": self._keys.seal(value),
            "updated_at": moment,
        }
        async with self._database.write() as write:
            if effect.external:
                await write.execute(
                    outbox.update().where(outbox.c.key == sa.bindparam("k")),
                    {"k": effect.key, **values},
                )
            else:
                await write.execute(
                    outbox.insert(),
                    {
                        "key": effect.key,
                        "inbox_id": effect.inbox_id,
                        "client_id": effect.client_id,
                        "kind": effect.kind,
                        "attempts": 1,
                        "due_at": moment,
                        "created_at": moment,
                        **values,
                    },
                )
            if record is not None:
                await record(write, value)
        if effect.done:
            self._step(effect.done)

    async def _retry(
        self, effect: Effect, attempts: int, error: TemporaryError
    ) -> Outcome:
        backoff = min(BACKOFF_CEILING, BACKOFF_FIRST * 2 ** (attempts - 1))
        delay = error.retry_after if error.retry_after is not None else backoff
        due_at = self._clock.now() + timedelta(seconds=max(0.0, delay))
        late = effect.deadline is not None and due_at > effect.deadline
        if attempts >= MAX_ATTEMPTS or late or not effect.external:
            return await self._fail(effect, Failure.EXHAUSTED, error)

        logger.info(
            "effect %s of event %s: attempt %d failed for now; retry in %.1f s",
            effect.kind,
            effect.inbox_id,
            attempts,
            delay,
        )
        async with self._database.write() as write:
            await write.execute(
                outbox.update()
                .where(outbox.c.key == effect.key)
                .values(attempts=attempts, due_at=due_at, updated_at=self._clock.now())
            )
        raise Suspended(due_at)

    async def _fail(
        self, effect: Effect, failure: Failure, cause: Exception
    ) -> Outcome:
        # The class of the error, never its message: it may carry a URL.
        logger.warning(
            "effect %s of event %s (channel %s) failed for good: %s (%s)",
            effect.kind,
            effect.inbox_id,
            effect.channel or "-",
            failure,
            type(cause).__name__,
        )
        moment = self._clock.now()
        async with self._database.write() as write:
            if effect.external:
                await write.execute(
                    outbox.update()
                    .where(outbox.c.key == effect.key)
                    .values(state=State.FAILED, error=failure, updated_at=moment)
                )
            else:
                await write.execute(
                    outbox.insert().values(
                        key=effect.key,
                        inbox_id=effect.inbox_id,
                        client_id=effect.client_id,
                        kind=effect.kind,
                        state=State.FAILED,
                        attempts=1,
                        error=failure,
                        due_at=moment,
                        created_at=moment,
                        updated_at=moment,
                    )
                )
        if effect.done:
            self._step(effect.done)
        return Outcome(False, failure=failure)

    async def cancel_pending(self, write: Write, client_id: str) -> int:
        """Cancel the client's effects not yet done; return how many."""
        result = await write.execute(
            outbox.update()
            .where(outbox.c.client_id == client_id, outbox.c.state == State.PENDING)
            .values(state=State.CANCELLED, updated_at=self._clock.now())
        )
        return result.rowcount
