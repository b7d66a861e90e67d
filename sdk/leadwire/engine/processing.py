"""Processing one inbox event: the consent gate, the assistant turn, the lead.

Every step that matters is an :class:`~leadwire.engine.outbox.Effect` keyed
by the inbox row, so processing an event again after a crash replays the
recorded outcomes and performs only what had not happened yet.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import sqlalchemy as sa

from leadwire.config import ClientConfig
from leadwire.connectors import Channel, Clock, ConsentStore, Crm, Llm
from leadwire.engine import audit
from leadwire.engine.database import Database
from leadwire.engine.events import load_event
from leadwire.engine.outbox import Cancelled, Outbox, Suspended
from leadwire.engine.schema import inbox
from leadwire.engine.sealing import Keys
from leadwire.engine.turn import _UPDATE_CONVERSATION, Turn
from leadwire.errors import DetectionError
from leadwire.models import InboundEvent
from leadwire.pii import Pseudonymizer
from leadwire.pii import Vault as PlaceholderVault

__all__ = ["Connectors", "Processor"]

logger = logging.getLogger(__name__)

#: Days within which data must be destroyed after a withdrawal (152-FZ, Art. 21).
ERASURE_DAYS = 30


@attrs.frozen
class Connectors:
    """The connectors a client configuration turned on."""

    channels: Mapping[str, Channel]
    crm: Crm
    llm: Llm
    consent_store: ConsentStore


class Processor:
    """Processes inbox events, one at a time per conversation."""

    def __init__(
        self,
        *,
        config: ClientConfig,
        connectors: Connectors,
        database: Database,
        outbox: Outbox,
        keys: Keys,
        pseudonymizer: Pseudonymizer,
        vault: PlaceholderVault,
        clock: Clock,
        step: Callable[[str], None],
        recipients: Sequence[str] = (),
    ) -> None:
        self.config = config
        self.recipients = tuple(recipients)  # named by the consent request
        self.connectors = connectors
        self.database = database
        self.outbox = outbox
        self.keys = keys
        self.pseudonymizer = pseudonymizer
        self.vault = vault
        self.clock = clock
        self.step = step

    # -- one event -------------------------------------------------------

    async def process(self, inbox_id: int) -> bool:
        """Process the inbox event *inbox_id*, or suspend it until a retry is due.

        Return whether the event is finished (False: it waits for a retry).
        """
        async with self.database.read() as connection:
            row = (
                await connection.execute(sa.select(inbox).where(inbox.c.id == inbox_id))
            ).first()
        if row is None or row.state != "pending":
            return True
        self.step("inbox.claimed")

        try:
            event = load_event(self.keys.open(row.event_sealed))
            turn = Turn(self, row, event, await self.outbox.journal(inbox_id))
            outcome = await turn.run()
        except Suspended as suspended:
            await self._suspend(inbox_id, suspended)
            return False
        except Cancelled:
            outcome = "cancelled"
        except Exception as error:  # a bug must not block the conversation
            logger.error(
                "event %s of client %s failed: %s",
                inbox_id,
                row.conversation_key,
                type(error).__name__,
            )
            await self._finish(inbox_id, "failed", "error", None)
            await self._flag(row.conversation_key, inbox_id)
            return True

        await self._finish(inbox_id, "done", outcome, self._redact(event))
        return True

    async def _flag(self, client_id: str, inbox_id: int) -> None:
        """Flag the conversation of an event that failed for a human."""
        async with self.database.write() as write:
            await write.execute(
                _UPDATE_CONVERSATION,
                {
                    "match_key": client_id,
                    "updated_at": self.clock.now(),
                    "needs_human": True,
                    "needs_human_reason": "error",
                },
            )
            await audit.append(
                write,
                at=self.clock.now(),
                action="human.flagged",
                client_id=client_id,
                outcome="flagged",
                details={"reason": "error"},
                dedupe=f"{inbox_id}:human",
            )

    async def _suspend(self, inbox_id: int, suspended: Suspended) -> None:
        async with self.database.write() as write:
            await write.execute(
                inbox.update()
                .where(inbox.c.id == inbox_id)
                .values(due_at=suspended.due_at)
            )

    async def _finish(
        self, inbox_id: int, state: str, outcome: str, redacted: str | None
    ) -> None:
        values: dict[str, Any] = {
            "state": state,
            "outcome": outcome,
            "done_at": self.clock.now(),
        }
        if state == "done":  # a failed event keeps its sealed copy to replay
            values.update(event_sealed=None, redacted=redacted)
        async with self.database.write() as write:
            await write.execute(
                inbox.update().where(inbox.c.id == sa.bindparam("match_id")),
                {"match_id": inbox_id, **values},
            )
        self.step("inbox.done")

    def _redact(self, event: InboundEvent) -> str | None:
        """The text with its personal data masked, kept after processing."""
        text = event.text or (event.media.caption if event.media else None)
        if not text:
            return None
        try:
            entities = self.pseudonymizer.detector.detect(text)
        except DetectionError:
            return f"[{len(text)} characters withheld: detection failed]"
        parts, position = [], 0
        for entity in entities:
            parts += [text[position : entity.start], f"[{entity.type}]"]
            position = entity.end
        parts.append(text[position:])
        return "".join(parts)
