"""The processing of one inbox event: its steps, as methods of :class:`Turn`.

The consent gate's steps are in :mod:`~leadwire.engine.gate`, the assistant's
in :mod:`~leadwire.engine.assistant`, the lead hand-off in
:mod:`~leadwire.engine.handoff`; this module holds what they share.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from leadwire.connectors import Channel
from leadwire.engine import audit
from leadwire.engine.assistant import AssistantSteps
from leadwire.engine.consent import AGREED_TEXT, REFUSED_TEXT
from leadwire.engine.database import Write
from leadwire.engine.gate import GateSteps
from leadwire.engine.handoff import HandOffSteps
from leadwire.engine.leads import contact_from
from leadwire.engine.outbox import Effect, Failure, Outcome
from leadwire.engine.schema import conversations, sent_messages
from leadwire.models import (
    ClientId,
    ConsentDecision,
    Contact,
    DeliveryStatus,
    EventKind,
    InboundEvent,
    OutboundMessage,
)

if TYPE_CHECKING:
    from leadwire.engine.processing import Processor

__all__ = ["Turn"]

logger = logging.getLogger(__name__)

_UPDATE_CONVERSATION = conversations.update().where(
    conversations.c.key == sa.bindparam("match_key")
)


class Turn(GateSteps, AssistantSteps, HandOffSteps):
    """Processing of one inbox event; its methods are the steps."""

    def __init__(
        self,
        processor: Processor,
        row: Any,
        event: InboundEvent,
        journal: dict[str, Any],
    ) -> None:
        self.p = processor
        self.journal = journal
        self.inbox_id: int = row.id
        self.received_at = row.received_at
        self.event = event
        self.client_id = ClientId(row.conversation_key)
        self.channel: Channel = processor.connectors.channels[event.channel]

    async def run_effect(self, effect: Effect, *args: Any) -> Outcome:
        """Run *effect* through the outbox, with this event's journal."""
        return await self.p.outbox.run(effect, *args, journal=self.journal)

    def effect(self, name: str, kind: str, **options: Any) -> Effect:
        """The effect *name* of this event, keyed ``<inbox id>:<name>``."""
        return Effect(
            key=f"{self.inbox_id}:{name}",
            kind=kind,
            inbox_id=self.inbox_id,
            client_id=self.client_id.value,
            channel=self.event.channel,
            **options,
        )

    async def audit(
        self,
        write: Write,
        action: str,
        name: str,
        outcome: str = "ok",
        *,
        actor: str = "system",
        **details: Any,
    ) -> None:
        await audit.append(
            write,
            at=self.p.clock.now(),
            actor=actor,
            action=action,
            client_id=self.client_id.value,
            outcome=outcome,
            details=details,
            dedupe=f"{self.inbox_id}:{name}",
        )

    def plugin(self, family: str) -> str:
        """The audit actor of a connector: ``plugin:<kind>``."""
        config = self.p.config
        if family == "channel":
            return f"plugin:{config.channels[self.event.channel].plugin}"
        return f"plugin:{getattr(config, family).plugin}"

    async def run(self) -> str:
        """Process the event; return its outcome, kept in the inbox."""
        kind = self.event.kind
        if kind is EventKind.STATUS:
            await self.record_status()
            return "status recorded"
        if kind is EventKind.ECHO:
            return "echo ignored"
        if kind is EventKind.REACTION:
            return "reaction recorded"
        if kind in (EventKind.DELETE, EventKind.UNSUPPORTED):
            return f"{kind} recorded"
        if not self.event.from_client:
            return "ignored: no sender"

        await self.ensure_conversation()
        gate = await self.run_effect(
            self.effect("gate", "gate", external=False), self.decide
        )
        route = gate.value["route"] if gate.ok else "error"
        if route == "withdraw":
            return await self.withdraw()
        if route == "agree":
            return await self.decide_consent(ConsentDecision.GRANTED, AGREED_TEXT)
        if route == "refuse":
            return await self.decide_consent(ConsentDecision.REFUSED, REFUSED_TEXT)
        if route == "marketing:agree":
            return await self.decide_marketing(ConsentDecision.GRANTED)
        if route == "marketing:refuse":
            return await self.decide_marketing(ConsentDecision.REFUSED)
        if route == "prompt":
            asked = await self.ask_consent()
            if self.p.config.assistant.answer_before_consent:
                return await self.answer_before_consent()
            return asked
        if route == "assistant":
            return await self.assist()
        await self.flag_human("consent store")
        await self.send(self.p.config.assistant.fallback, "fallback")
        return "fallback: consent unknown"

    # -- statuses --------------------------------------------------------

    async def record_status(self) -> None:
        """Record a delivery status; a status never moves back."""
        event = self.event
        if event.status is None or event.target_id is None:
            return
        key = (sent_messages.c.channel == event.channel) & (
            sent_messages.c.message_id == event.target_id
        )
        errors = ",".join(event.errors)[:255] or None
        async with self.p.database.write() as write:
            current = (
                await write.execute(sa.select(sent_messages.c.status).where(key))
            ).scalar()
            if current is None:
                await write.execute(
                    sent_messages.insert().values(
                        channel=event.channel,
                        message_id=event.target_id,
                        status=int(event.status),
                        errors=errors,
                        updated_at=self.p.clock.now(),
                    )
                )
            elif int(event.status) > current:
                await write.execute(
                    sent_messages.update()
                    .where(key)
                    .values(
                        status=int(event.status),
                        errors=errors,
                        updated_at=self.p.clock.now(),
                    )
                )
        self.p.step("status.recorded")

    # -- the conversation ------------------------------------------------

    async def ensure_conversation(self) -> None:
        """Make the conversation's row on its first event."""
        async with self.p.database.write() as write:
            seen = await write.connection.scalar(
                sa.select(conversations.c.key).where(
                    conversations.c.key == self.client_id.value
                )
            )
            if seen is None:
                moment = self.p.clock.now()
                address = {
                    "channel": self.event.channel,
                    "conversation": self.event.conversation,
                }
                await write.execute(
                    conversations.insert().values(
                        key=self.client_id.value,
                        channel=self.event.channel,
                        address_sealed=self.p.keys.seal(address),
                        client_id=self.client_id.value,
                        needs_human=False,
                        request_no=1,
                        created_at=moment,
                        updated_at=moment,
                    )
                )

    async def conversation(self) -> Any:
        """The conversation's row."""
        async with self.p.database.read() as connection:
            return (
                await connection.execute(
                    sa.select(conversations).where(
                        conversations.c.key == self.client_id.value
                    )
                )
            ).one()

    async def known_contact(self, conversation: Any = None) -> Contact:
        """The client's contact details gathered so far."""
        conversation = conversation or await self.conversation()
        if conversation.contact_sealed is None:
            return Contact()
        return contact_from(self.p.keys.open(conversation.contact_sealed))

    async def update_conversation(self, write: Write, **values: Any) -> None:
        await write.execute(
            _UPDATE_CONVERSATION,
            {
                "match_key": self.client_id.value,
                "updated_at": self.p.clock.now(),
                **values,
            },
        )

    async def flag_human(self, reason: str) -> None:
        """Mark the conversation for a human; audited once per event."""
        async with self.p.database.write() as write:
            await self.update_conversation(
                write, needs_human=True, needs_human_reason=reason[:64]
            )
            await self.audit(write, "human.flagged", "human", "flagged", reason=reason)

    # -- sending ---------------------------------------------------------

    async def sent(self, write: Write, message_ids: list[str]) -> None:
        """Record our sent messages, for their delivery statuses."""
        for message_id in message_ids:
            await write.execute(
                sent_messages.insert(),
                {
                    "channel": self.event.channel,
                    "message_id": message_id,
                    "client_id": self.client_id.value,
                    "status": int(DeliveryStatus.SENT),
                    "updated_at": self.p.clock.now(),
                },
            )

    async def send(self, text: str, purpose: str) -> Outcome:
        """Send *text* to the client through the outbox, once."""
        message = OutboundMessage(conversation=self.event.conversation, text=text)

        async def call() -> dict[str, Any]:
            receipt = await self.channel.send(message)
            return {"ids": list(receipt.message_ids)}

        async def record(write: Write, value: Any) -> None:
            await self.sent(write, value["ids"])
            await self.audit(
                write,
                "message.sent",
                "reply:sent",
                actor=self.plugin("channel"),
                purpose=purpose,
                parts=len(value["ids"]),
            )

        outcome = await self.run_effect(
            self.effect("reply", "send", queued="reply.queued", done="reply.sent"),
            call,
            record,
        )
        if not outcome.ok:
            await self.failed(outcome, "channel")
        return outcome

    async def failed(self, outcome: Outcome, what: str) -> None:
        """A failed effect: alert the operator on credentials, flag a human."""
        if outcome.failure is Failure.CREDENTIALS:
            logger.error(
                "the %s connector rejected leadwire's credentials (client %s): "
                "an operator must fix them",
                what,
                self.client_id,
            )
            async with self.p.database.write() as write:
                await self.audit(
                    write,
                    "operator.alerted",
                    f"alert:{what}",
                    "failed",
                    connector=what,
                    failure=str(outcome.failure),
                )
        await self.flag_human(f"{what}: {outcome.failure}")
