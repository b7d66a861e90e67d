"""Intake: answer a provider's request, and keep its events durably first.

Only intake runs before the provider gets its answer: the handshake, the
signature check over the raw bytes, parsing, and one insert. Everything else
happens after, in the engine's workers.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable, Sequence
from typing import Any

import attrs
from sqlalchemy.dialects import postgresql, sqlite

from leadwire.connectors import Channel, Clock
from leadwire.engine.consent import Answer, classify
from leadwire.engine.database import Database
from leadwire.engine.events import dump_event
from leadwire.engine.schema import inbox, quarantine
from leadwire.engine.sealing import Keys
from leadwire.models import EventKind, InboundEvent, WebhookRequest, WebhookResponse

__all__ = ["Intake"]

logger = logging.getLogger(__name__)

#: Kinds processed even while an earlier event of the conversation waits for
#: a retry: they do not depend on it, and a withdrawal must not wait.
_INDEPENDENT = frozenset(
    {EventKind.STATUS, EventKind.ECHO, EventKind.REACTION, EventKind.DELETE}
)

#: Bodies larger than this are not kept in quarantine, only their hash.
QUARANTINE_LIMIT = 256 * 1024


def _answer(status: int, text: str) -> WebhookResponse:
    return WebhookResponse(status=status, body=text.encode())


class Intake:
    """The synchronous half of a webhook: from request to inbox row."""

    def __init__(
        self,
        *,
        database: Database,
        keys: Keys,
        clock: Clock,
        channels: dict[str, Channel],
        wake: Callable[[], None],
    ) -> None:
        self._database = database
        self._keys = keys
        self._clock = clock
        self._channels = channels
        self._wake = wake

    async def receive(self, name: str, request: WebhookRequest) -> WebhookResponse:
        """Answer *request* to channel *name*; never raises for bad input."""
        channel = self._channels.get(name)
        if channel is None:
            return _answer(404, "no such channel is configured")

        try:
            handshake = await channel.handshake(request)
        except Exception as error:
            logger.warning(
                "channel %s: handshake failed: %s", name, type(error).__name__
            )
            return _answer(400, "bad request")
        if handshake is not None:
            return handshake

        try:
            verification = channel.verify(request)
        except Exception as error:
            logger.warning(
                "channel %s: signature check failed: %s", name, type(error).__name__
            )
            return _answer(400, "the request could not be checked")
        if not verification.ok:
            logger.warning(
                "channel %s: request refused (%s): %s",
                name,
                verification.status,
                verification.reason,
            )
            return _answer(verification.status, "signature check failed")

        try:
            events = list(channel.parse(request))
        except ValueError:
            await self._quarantine(name, request, "malformed body")
            return _answer(400, "malformed body; kept for review")
        except RecursionError:
            # Nested deeper than any parser follows: bad input, not a bug.
            await self._quarantine(name, request, "malformed body: nested too deep")
            return _answer(400, "malformed body; kept for review")
        except Exception as error:
            # The provider would retry a parser's bug forever: keep and accept.
            await self._quarantine(name, request, f"parser {type(error).__name__}")
            return _answer(200, "accepted for review")

        try:
            new = await self._store(name, events)
        except Exception as error:
            logger.error(
                "channel %s: events could not be stored: %s", name, type(error).__name__
            )
            return _answer(503, "storage unavailable; retry later")

        logger.info("channel %s: %d event(s) received, %d new", name, len(events), new)
        if new:
            self._wake()
        return _answer(200, "ok")

    async def _store(self, name: str, events: Sequence[InboundEvent]) -> int:
        """Insert the events; a delivery seen before is ignored atomically."""
        if not events:
            return 0
        moment = self._clock.now()
        rows = [self._row(name, event, moment) for event in events]
        new = 0
        async with self._database.write() as write:
            statement = _insert_new(write.connection.dialect.name)
            for row in rows:
                result = await write.execute(statement, row)
                new += max(result.rowcount, 0)
        return new

    def _row(self, name: str, event: InboundEvent, moment: Any) -> dict[str, Any]:
        if event.channel != name:
            event = attrs.evolve(event, channel=name)
        client_id = self._keys.client_id(name, event.conversation)
        event_id = event.event_id
        if len(event_id) > 255:  # keep the dedupe key whole by hashing it
            event_id = "sha256:" + hashlib.sha256(event_id.encode()).hexdigest()
        control = event.kind in _INDEPENDENT or classify(event) is Answer.WITHDRAW
        return {
            "channel": name,
            "event_id": event_id,
            "conversation_key": client_id.value,
            "kind": event.kind.value,
            "target_id": (event.target_id or "")[:255] or None,
            "control": control,
            "state": "pending",
            "received_at": moment,
            "due_at": moment,
            "event_sealed": self._keys.seal(dump_event(event)),
        }

    async def _quarantine(
        self, name: str, request: WebhookRequest, reason: str
    ) -> None:
        """Keep a body that failed to parse, sealed: it may hold personal data."""
        body = request.body
        kept = body[:QUARANTINE_LIMIT]
        logger.warning(
            "channel %s: request of %d bytes quarantined: %s", name, len(body), reason
        )
        try:
            async with self._database.write() as write:
                await write.execute(
                    quarantine.insert().values(
                        channel=name,
                        received_at=self._clock.now(),
                        reason=reason,
                        size=len(body),
                        sha256=hashlib.sha256(body).hexdigest(),
                        body_sealed=self._keys.seal(
                            {
                                "path": request.path,
                                "headers": dict(request.headers),
                                "body": kept.decode("utf-8", "replace"),
                                "truncated": len(body) > len(kept),
                            }
                        ),
                    )
                )
        except Exception as error:
            logger.error(
                "channel %s: quarantine failed: %s", name, type(error).__name__
            )


@functools.cache
def _insert_new(dialect: str) -> Any:
    """INSERT that does nothing when (channel, event_id) exists: no race."""
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(inbox).on_conflict_do_nothing(
        index_elements=["channel", "event_id"]
    )
