"""The assistant turn's steps: pseudonymise, ask the LLM, restore.

Mixed into :class:`~leadwire.engine.turn.Turn`.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from datetime import timedelta
from typing import Any

import attrs
import sqlalchemy as sa

from leadwire.engine.database import Write
from leadwire.engine.leads import fields_from, merge_contact
from leadwire.engine.outbox import Outcome
from leadwire.engine.prompt import system_prompt
from leadwire.engine.schema import turns, vault
from leadwire.errors import DetectionError, UnusableAnswerError
from leadwire.models import ChatMessage, CompletionRequest, EventKind, LeadFields
from leadwire.pii import PlaceholderMap, UnknownPlaceholderError
from leadwire.pii.placeholders import PLACEHOLDER

__all__ = ["AssistantSteps"]


class AssistantSteps:
    """The LLM sees pseudonyms only; the client reads their own values."""

    def text(self) -> str:
        event = self.event
        if event.text:
            return event.text
        if event.media is not None and event.media.caption:
            return event.media.caption
        return ""

    async def mapping(self) -> PlaceholderMap:
        async with self.p.database.read() as connection:
            blob = await connection.scalar(
                sa.select(vault.c.blob).where(vault.c.client_id == self.client_id.value)
            )
        return self.p.vault.open(blob) if blob is not None else PlaceholderMap()

    async def assist(self) -> str:
        pseudonymised = await self.pseudonymise()
        if not pseudonymised.ok:
            await self.flag_human("detection")
            await self.send(self.p.config.assistant.fallback, "fallback")
            await self.hand_off(None)
            return "fallback: detection failed"

        text = pseudonymised.value["text"]
        if not text.strip():
            if self.event.kind in (EventKind.MEDIA, EventKind.LOCATION):
                await self.flag_human(str(self.event.kind))
                await self.send(self.p.config.assistant.fallback, "fallback")
            await self.hand_off(None)
            return "no text to answer"

        completion = await self.ask_llm(text)
        reply, fields = await self.restored(completion)
        if reply is None:
            await self.send(self.p.config.assistant.fallback, "fallback")
        else:
            await self.send(reply, "reply")
        await self.hand_off(fields)
        return "answered" if reply is not None else "fallback"

    async def answer_before_consent(self) -> str:
        """Answer a general question on pseudonymised text, keeping nothing.

        Only with ``assistant.answer_before_consent``. The placeholder map is
        made for this message alone and dropped (the same text gives the same
        map on a replay); no history goes with it, no contact is kept, no lead
        is filed.
        """
        text = self.text()
        if not text.strip():
            return "consent requested"
        mapping = PlaceholderMap()
        try:
            pseudonymised = self.p.pseudonymizer.pseudonymize(text, mapping)
        except DetectionError:
            return "consent requested; not answered: detection failed"

        types = dict(Counter(entity.type for entity in pseudonymised.entities))
        if types:
            async with self.p.database.write() as write:
                await self.audit(
                    write, "pii.detected", "pii", types=types, count=sum(types.values())
                )
        completion = await self.ask_llm(pseudonymised.text, consented=False)
        if not completion.ok:
            return "consent requested; not answered"
        try:
            reply = self.p.pseudonymizer.restore(completion.value["text"], mapping)
        except UnknownPlaceholderError:
            return "consent requested; not answered: placeholder"
        if not reply.strip():
            return "consent requested; not answered"
        await self.send(reply, "reply before consent")
        return "consent requested; answered"

    async def pseudonymise(self) -> Outcome:
        async def call() -> dict[str, Any]:
            mapping = await self.mapping()
            result = self.p.pseudonymizer.pseudonymize(self.text(), mapping)
            contact = merge_contact(
                await self.known_contact(),
                sender=self.event.sender,
                shared=self.event.contact,
                entities=result.entities,
                text=self.text(),
            )
            return {
                "text": result.text,
                "types": dict(Counter(entity.type for entity in result.entities)),
                "vault": base64.b64encode(self.p.vault.seal(mapping)).decode(),
                "contact": attrs.asdict(contact),
            }

        async def record(write: Write, value: Any) -> None:
            await self.store_vault(write, base64.b64decode(value["vault"]))
            phone = value["contact"].get("phone")
            await self.update_conversation(
                write,
                contact_sealed=self.p.keys.seal(value["contact"]),
                phone_hash=self.p.keys.phone_hash(phone) if phone else None,
            )
            if value["text"]:
                await self.add_turn(write, "user", value["text"])
            if value["types"]:
                await self.audit(
                    write,
                    "pii.detected",
                    "pii",
                    types=value["types"],
                    count=sum(value["types"].values()),
                )

        return await self.run_effect(
            self.effect("pii", "pii", external=False, done="pii.detected"),
            call,
            record,
        )

    async def store_vault(self, write: Write, blob: bytes) -> None:
        moment = self.p.clock.now()
        key = vault.c.client_id == self.client_id.value
        seen = await write.connection.scalar(sa.select(vault.c.client_id).where(key))
        if seen is None:
            await write.execute(
                vault.insert().values(
                    client_id=self.client_id.value, blob=blob, updated_at=moment
                )
            )
        else:
            await write.execute(
                vault.update().where(key).values(blob=blob, updated_at=moment)
            )

    async def add_turn(self, write: Write, role: str, text: str) -> None:
        await write.execute(
            turns.insert(),
            {
                "client_id": self.client_id.value,
                "inbox_id": self.inbox_id,
                "role": role,
                "text_sealed": self.p.keys.seal(text),
                "at": self.p.clock.now(),
            },
        )

    async def history(self) -> list[ChatMessage]:
        limit = 2 * self.p.config.assistant.history_turns
        async with self.p.database.read() as connection:
            rows = list(
                await connection.execute(
                    sa.select(turns.c.role, turns.c.text_sealed)
                    .where(
                        turns.c.client_id == self.client_id.value,
                        turns.c.inbox_id < self.inbox_id,
                    )
                    .order_by(turns.c.id.desc())
                    .limit(limit)
                )
            )
        return [
            ChatMessage(row.role, self.p.keys.open(row.text_sealed))
            for row in reversed(rows)
        ]

    async def ask_llm(self, text: str, *, consented: bool = True) -> Outcome:
        """Ask the LLM about the pseudonymised *text*.

        :param consented: Without consent the conversation's history is not
            sent and the answer is not kept as a turn.
        """
        config = self.p.config
        system = system_prompt(config.business, self.client_id)
        history = await self.history() if consented else []
        messages = (
            ChatMessage("system", system),
            *history,
            ChatMessage("user", text),
        )
        budget = timedelta(seconds=config.assistant.reply_budget_seconds)

        async def announce(write: Write) -> None:
            sent = "\n".join(message.content for message in messages)
            await self.audit(
                write,
                "llm.requested",
                "llm",
                actor=self.plugin("llm"),
                placeholders=sorted(
                    {match.group(0) for match in PLACEHOLDER.finditer(text)}
                ),
                text_sha256=hashlib.sha256(sent.encode()).hexdigest(),
                messages=len(messages),
            )

        async def call() -> dict[str, Any]:
            completion = await self.p.connectors.llm.complete(
                CompletionRequest(messages)
            )
            if not completion.text or not completion.text.strip():
                raise UnusableAnswerError("the LLM answered with an empty text")
            fields = completion.fields
            return {
                "text": completion.text,
                "fields": attrs.asdict(fields) if fields is not None else None,
                "model": completion.usage.model,
                "tokens": completion.usage.prompt_tokens
                + completion.usage.completion_tokens,
            }

        async def record(write: Write, value: Any) -> None:
            if consented:
                await self.add_turn(write, "assistant", value["text"])
            await self.audit(
                write,
                "llm.answered",
                "llm:answer",
                actor=self.plugin("llm"),
                model=value["model"],
                tokens=value["tokens"],
            )

        outcome = await self.run_effect(
            self.effect(
                "llm",
                "llm",
                queued="llm.requested",
                done="llm.answered",
                deadline=self.received_at + budget,
            ),
            call,
            record,
            announce,
        )
        if not outcome.ok:
            await self.failed(outcome, "llm")
        return outcome

    async def restored(self, completion: Outcome) -> tuple[str | None, LeadFields]:
        """The reply with the client's values back, and the lead fields."""
        if not completion.ok:
            return None, LeadFields()
        mapping = await self.mapping()
        try:
            reply = self.p.pseudonymizer.restore(completion.value["text"], mapping)
        except UnknownPlaceholderError:
            await self.flag_human("placeholder")
            reply = None
        if reply is not None and not reply.strip():
            await self.flag_human("empty reply")
            reply = None

        raw = completion.value["fields"] or {}
        fields = {}
        for name in ("service", "desired_time", "comment"):
            value = raw.get(name)
            if not isinstance(value, str) or not value.strip():
                continue
            try:
                fields[name] = self.p.pseudonymizer.restore(value, mapping)
            except UnknownPlaceholderError:
                continue  # a field the LLM mangled is left out, not guessed
        return reply, fields_from(fields)
