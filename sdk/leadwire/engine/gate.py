"""The consent gate's steps: the decision, recording it, asking, withdrawing.

Mixed into :class:`~leadwire.engine.turn.Turn`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from leadwire.engine.consent import (
    MARKETING_TEXT,
    WITHDRAWN_TEXT,
    Answer,
    agreed_version,
    asks_erasure,
    classify,
    marketing_prompt_of,
    prompt_of,
)
from leadwire.engine.database import Write
from leadwire.engine.outbox import Outcome
from leadwire.engine.schema import erasures
from leadwire.models import ConsentDecision, ConsentPurpose, ConsentRecord

__all__ = ["ERASURE_DAYS", "GateSteps"]

#: Days within which data must be destroyed after a withdrawal (152-FZ, Art. 21).
ERASURE_DAYS = 30


class GateSteps:
    """Deterministic consent handling: never decided by the LLM."""

    async def decide(self) -> dict[str, str]:
        """Where the event goes; journaled so a replay takes the same road.

        An agreement to another consent version than the configured one is no
        agreement: the client is asked again, with the current wording.
        """
        answer = classify(self.event, self.p.config.consent.version)
        if answer is Answer.WITHDRAW:
            return {"route": "withdraw"}
        if answer is Answer.MARKETING_AGREE:
            return {"route": "marketing:agree"}
        if answer is Answer.MARKETING_REFUSE:
            return {"route": "marketing:refuse"}

        store = self.p.connectors.consent_store
        booking = await store.lookup(self.client_id, ConsentPurpose.BOOKING)
        granted = booking is not None and booking.decision is ConsentDecision.GRANTED
        if granted:
            return {"route": "assistant"}
        if answer is Answer.AGREE:
            return {"route": "agree"}
        if answer is Answer.REFUSE:
            return {"route": "refuse"}
        return {"route": "prompt"}

    def consent_record(
        self, purpose: ConsentPurpose, decision: ConsentDecision
    ) -> ConsentRecord:
        return ConsentRecord(
            client_id=self.client_id,
            purpose=purpose,
            decision=decision,
            template_version=self.p.config.consent.version,
            channel=self.event.channel,
            message_id=self.event.event_id,
            at=self.event.occurred_at,
        )

    async def store_consent(
        self,
        purpose: ConsentPurpose,
        decision: ConsentDecision,
        also: Callable[[Write], Any] | None = None,
    ) -> Outcome:
        entry = self.consent_record(purpose, decision)

        async def call() -> dict[str, str]:
            await self.p.connectors.consent_store.record(entry)
            return {"purpose": purpose.value, "decision": decision.value}

        async def record(write: Write, _: Any) -> None:
            await self.audit(
                write,
                f"consent.{decision.value}",
                f"consent:{purpose.value}",
                purpose=purpose.value,
                version=entry.template_version,
                channel=entry.channel,
            )
            if also is not None:
                await also(write)

        return await self.run_effect(
            self.effect(
                f"consent:{purpose.value}",
                "consent",
                queued="consent.queued",
                done="consent.recorded",
            ),
            call,
            record,
        )

    async def decide_consent(self, decision: ConsentDecision, text: str) -> str:
        async def resume(write: Write) -> None:
            if decision is ConsentDecision.GRANTED:
                await self.update_conversation(write, stopped_at=None)

        stored = await self.store_consent(ConsentPurpose.BOOKING, decision, resume)
        if not stored.ok:
            await self.failed(stored, "consent store")
            await self.send(self.p.config.assistant.fallback, "fallback")
            return f"consent {decision.value} not recorded"
        await self.send(text, f"consent.{decision.value}")
        granted = decision is ConsentDecision.GRANTED
        if granted and self.p.config.consent.ask_marketing:
            await self.ask_consent(ConsentPurpose.MARKETING)
        return f"consent {decision.value}"

    async def decide_marketing(self, decision: ConsentDecision) -> str:
        """Record the answer to the marketing request, a purpose of its own."""
        stored = await self.store_consent(ConsentPurpose.MARKETING, decision)
        if not stored.ok:
            await self.failed(stored, "consent store")
            return f"marketing {decision.value} not recorded"
        await self.send(MARKETING_TEXT, f"marketing.{decision.value}")
        return f"marketing {decision.value}"

    async def ask_consent(
        self, purpose: ConsentPurpose = ConsentPurpose.BOOKING
    ) -> str:
        """Send the consent request of *purpose* as a message of its own."""
        template = self.p.config.consent
        booking = purpose is ConsentPurpose.BOOKING
        prompt = (
            prompt_of(template, self.p.recipients)
            if booking
            else marketing_prompt_of(template)
        )
        name = "prompt" if booking else f"prompt:{purpose.value}"

        async def call() -> dict[str, Any]:
            receipt = await self.channel.send_consent_request(
                self.event.conversation, prompt
            )
            return {"ids": list(receipt.message_ids)}

        async def record(write: Write, value: Any) -> None:
            await self.sent(write, value["ids"])
            if booking:
                await self.update_conversation(write, prompted_at=self.p.clock.now())
            await self.audit(
                write,
                "consent.requested",
                name,
                purpose=purpose.value,
                version=prompt.version,
                **(self.stale_agreement() if booking else {}),
            )
            await self.audit(
                write,
                "message.sent",
                f"{name}:sent",
                actor=self.plugin("channel"),
                purpose=f"{purpose.value} consent request",
            )

        outcome = await self.run_effect(
            self.effect(name, "send", queued="reply.queued", done="reply.sent"),
            call,
            record,
        )
        if not outcome.ok:
            await self.failed(outcome, "consent request")
        return "consent requested"

    def stale_agreement(self) -> dict[str, str]:
        """The version agreed to, when the event agrees to another than the current.

        Such an agreement is not recorded; the request sent again says which
        version it replaced (versions name wordings, not people). Recomputed
        from the event and the configuration, so a replay writes the same.
        """
        if classify(self.event, self.p.config.consent.version) is not Answer.STALE:
            return {}
        return {"agreed_version": agreed_version(self.event) or ""}

    async def withdraw(self) -> str:
        """Stop everything for the client at once and schedule the erasure."""
        store = self.p.connectors.consent_store
        purposes = [ConsentPurpose.BOOKING]
        marketing = await store.lookup(self.client_id, ConsentPurpose.MARKETING)
        if marketing is not None and marketing.decision is ConsentDecision.GRANTED:
            purposes.append(ConsentPurpose.MARKETING)
        for purpose in purposes:
            stored = await self.store_consent(purpose, ConsentDecision.WITHDRAWN)
            if not stored.ok:
                await self.failed(stored, "consent store")

        # A withdrawal is erased within the legal 30 days; a request to delete
        # the data is due at once (the next purge, within the hour in serve).
        days = 0 if asks_erasure(self.event) else ERASURE_DAYS

        async def stop() -> dict[str, str]:
            return {"due": (self.p.clock.now() + timedelta(days)).isoformat()}

        async def record(write: Write, value: Any) -> None:
            cancelled = await self.p.outbox.cancel_pending(write, self.client_id.value)
            moment = self.p.clock.now()
            await self.update_conversation(write, stopped_at=moment)
            await write.execute(
                erasures.delete().where(erasures.c.client_id == self.client_id.value)
            )
            await write.execute(
                erasures.insert().values(
                    client_id=self.client_id.value,
                    conversation_key=self.client_id.value,
                    requested_at=moment,
                    due_at=datetime.fromisoformat(value["due"]),
                    state="scheduled",
                )
            )
            await self.audit(
                write, "processing.stopped", "stop", cancelled_effects=cancelled
            )
            await self.audit(
                write, "erasure.scheduled", "erasure", due=value["due"][:10]
            )

        await self.run_effect(
            self.effect("stop", "stop", external=False, done="outbox.cancelled"),
            stop,
            record,
        )
        await self.send(WITHDRAWN_TEXT, "consent.withdrawn")
        return "consent withdrawn"
