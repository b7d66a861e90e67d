"""The lead hand-off step: create the client's lead once, then update it.

Mixed into :class:`~leadwire.engine.turn.Turn`.
"""

from __future__ import annotations

from typing import Any

import attrs

from leadwire.engine.database import Write
from leadwire.engine.leads import contact_from, digest, fields_from
from leadwire.models import Lead, LeadFields

__all__ = ["HandOffSteps"]


class HandOffSteps:
    """Name and phone from detection and the channel, never from the LLM."""

    async def hand_off(self, fields: LeadFields | None) -> None:
        """Create or update the client's lead once there is a way to reach them."""
        conversation = await self.conversation()
        contact = await self.known_contact(conversation)
        if not (contact.phone or contact.email):
            return

        async def plan() -> dict[str, Any]:
            request = conversation.request_no
            stable = f"lead:{self.client_id}:{request}"
            wanted = fields or LeadFields()
            lead_digest = digest(contact, wanted)
            return {
                "upsert": lead_digest != conversation.lead_digest,
                "key": stable
                if conversation.lead_ref is None
                else f"{stable}:{self.inbox_id}",
                "digest": lead_digest,
                "contact": attrs.asdict(contact),
                "fields": attrs.asdict(wanted),
            }

        planned = await self.run_effect(
            self.effect("lead:plan", "plan", external=False), plan
        )
        if not planned.ok or not planned.value["upsert"]:
            return
        value = planned.value
        lead = Lead(
            client_id=self.client_id,
            channel=self.event.channel,
            contact=contact_from(value["contact"]),
            fields=fields_from(value["fields"]),
            title=f"Заявка: {self.p.config.business.name}",
        )

        async def call() -> dict[str, Any]:
            result = await self.p.connectors.crm.upsert_lead(
                lead, idempotency_key=value["key"]
            )
            return {
                "entity": result.ref.entity,
                "id": result.ref.id,
                "created": result.created,
            }

        async def record(write: Write, result: Any) -> None:
            await self.update_conversation(
                write,
                lead_entity=result["entity"],
                lead_ref=result["id"],
                lead_digest=value["digest"],
            )
            named = [
                name
                for name, known in {**value["contact"], **value["fields"]}.items()
                if known
            ]
            action = "lead.created" if result["created"] else "lead.updated"
            await self.audit(
                write, action, "lead", actor=self.plugin("crm"), fields=sorted(named)
            )

        outcome = await self.run_effect(
            self.effect("lead", "lead", queued="lead.queued", done="lead.upserted"),
            call,
            record,
        )
        if not outcome.ok:
            await self.failed(outcome, "crm")
