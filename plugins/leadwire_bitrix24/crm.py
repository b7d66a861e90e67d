"""The Bitrix24 CRM connector: leads filed once, found again, erased on request.

Finding a client: the phone (E.164) and e-mail (lower case) are looked up with
``crm.duplicate.findbycomm`` among leads and contacts. Which of the two must
match is ``match_by``; an open lead (not in a final status) younger than
``same_request_days`` is the same request and is updated, with the new request
added to its timeline; otherwise a new lead is made, linked to a matching
contact if there is one.

Filing once: the idempotency key's marker goes into the lead
(``idempotency_field``) and into a local journal. A key already done returns its
lead; otherwise the portal is searched for the marker before anything is
created, so a create whose answer was lost is found instead of repeated.
Timeline comments carry the marker at their end and are looked for when a
previous attempt's outcome is unknown.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs

from leadwire import (
    ConnectorContext,
    Contact,
    CrmRef,
    DataFlow,
    ErasureReport,
    Lead,
    LeadResult,
    RejectedError,
)
from leadwire_bitrix24 import mapping, person_data
from leadwire_bitrix24.auth import WebhookAuth
from leadwire_bitrix24.contacts import Reachable
from leadwire_bitrix24.faults import OutcomeUnknownError
from leadwire_bitrix24.journal import Entry, Journal, marker
from leadwire_bitrix24.limiter import LeakyBucket
from leadwire_bitrix24.settings import Bitrix24Settings
from leadwire_bitrix24.transport import Retries, Transport

__all__ = ["Bitrix24Crm"]

#: Person records leadwire looks at, in the order they are reported.
_ENTITIES = ("lead", "contact")

#: Lead fields read to decide whether a lead is the same, still open request.
_CANDIDATE_SELECT = (
    "ID",
    "STATUS_ID",
    "STATUS_SEMANTIC_ID",
    "DATE_CREATE",
    "NAME",
    "PHONE",
    "EMAIL",
)

#: Closed semantics of a lead status: success and failure.
_CLOSED_SEMANTICS = frozenset({"S", "F"})

#: Timeline pages read when looking for a comment's marker (50 per page).
_MAX_COMMENT_PAGES = 20

_NAME_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


@attrs.frozen
class _Matches:
    """Ids found per record kind, by phone and by e-mail."""

    by_phone: Mapping[str, frozenset[str]]
    by_email: Mapping[str, frozenset[str]]

    def every(self, entity: str) -> frozenset[str]:
        return self.by_phone.get(entity, frozenset()) | self.by_email.get(
            entity, frozenset()
        )


class Bitrix24Crm:
    """Implements :class:`leadwire.Crm` against one portal's inbound webhook."""

    def __init__(self, settings: Bitrix24Settings, context: ConnectorContext) -> None:
        self._settings = settings
        self._context = context
        auth = WebhookAuth.from_url(
            settings.webhook_url.reveal(), connector=context.name
        )

        # XXX: the bucket is this connector's; two configurations on one portal
        # in one process each get one, and together can exceed the portal's limit.
        self._limiter = LeakyBucket(
            context.clock,
            burst=settings.burst,
            drain_per_second=settings.drain_per_second,
        )
        self._transport = Transport(
            context.http,
            auth,
            limiter=self._limiter,
            clock=context.clock,
            retries=Retries(
                attempts=settings.max_attempts,
                backoff=settings.backoff_seconds,
                max_backoff=settings.max_backoff_seconds,
                max_wait=settings.max_wait_seconds,
            ),
            connector=context.name,
            logger=context.logger,
        )
        file_name = f"bitrix24-{_NAME_SAFE.sub('_', context.name)}-journal.json"
        self._journal = Journal(context.data_dir / file_name, context.clock)

        # One write at a time: two calls with the same key must not both create,
        # and the portal's 2 requests a second leave nothing to gain in parallel.
        self._writing = asyncio.Lock()

    @property
    def transport(self) -> Transport:
        """The REST transport, limiter included (for batch calls of one's own)."""
        return self._transport

    # -- finding ---------------------------------------------------------

    async def find_person(self, contact: Contact) -> Sequence[CrmRef]:
        """Leads and contacts whose phone or e-mail is the contact's."""
        matches = await self._matches(Reachable.of(contact, self._region))
        return [
            CrmRef(entity, record_id)
            for entity in _ENTITIES
            for record_id in _by_number(matches.every(entity))
        ]

    async def _matches(self, reach: Reachable) -> _Matches:
        by_phone = {}
        by_email = {}
        for entity in _ENTITIES:
            by_phone[entity] = await self._find_by(
                "PHONE", reach.searchable_phone, entity
            )
            by_email[entity] = await self._find_by("EMAIL", reach.email, entity)
        return _Matches(by_phone, by_email)

    async def _find_by(
        self, kind: str, value: str | None, entity: str
    ) -> frozenset[str]:
        if value is None:
            return frozenset()

        reply = await self._transport.call(
            "crm.duplicate.findbycomm",
            {"type": kind, "values": [value], "entity_type": entity.upper()},
        )
        # An empty answer is [] rather than {}.
        found = (
            reply.result.get(entity.upper(), [])
            if isinstance(reply.result, dict)
            else []
        )
        return frozenset(str(item) for item in found if str(item).isdigit())

    def _same_client(
        self, matches: _Matches, reach: Reachable, entity: str
    ) -> frozenset[str]:
        """Ids of *entity* records that are the same client under ``match_by``."""
        phone = matches.by_phone.get(entity, frozenset())
        email = matches.by_email.get(entity, frozenset())
        rule = self._settings.match_by

        if rule == "phone":
            return phone
        if rule == "email":
            return email
        if rule == "phone_and_email" and reach.searchable_phone and reach.email:
            return phone & email
        return phone | email

    # -- leads -----------------------------------------------------------

    async def upsert_lead(self, lead: Lead, *, idempotency_key: str) -> LeadResult:
        """Update the client's open lead, or create one; once per key."""
        key_marker = marker(idempotency_key)

        async with self._writing:
            entry = self._journal.get("lead", key_marker)
            if entry is not None and entry.done:
                return LeadResult(CrmRef(entry.entity, entry.id), created=entry.created)

            earlier = await self._lead_with_marker(key_marker)
            if earlier is not None:
                return self._remember(key_marker, CrmRef("lead", earlier), created=True)

            reach = Reachable.of(lead.contact, self._region)
            matches = await self._matches(reach)
            open_lead = await self._open_lead(self._same_client(matches, reach, "lead"))
            if open_lead is not None:
                return await self._update(lead, reach, open_lead, idempotency_key)

            contacts = _by_number(self._same_client(matches, reach, "contact"))
            return await self._create(
                lead, reach, key_marker, contact_id=contacts[0] if contacts else None
            )

    async def _lead_with_marker(self, key_marker: str) -> str | None:
        """The id of the lead a create with this marker made, if any."""
        reply = await self._transport.call(
            "crm.lead.list",
            {
                "filter": {self._settings.idempotency_field: key_marker},
                "select": ["ID"],
            },
        )
        for record in _records(reply.result):
            return str(record.get("ID"))
        return None

    async def _open_lead(self, ids: Iterable[str]) -> dict[str, Any] | None:
        """The newest lead among *ids* that is open and recent enough."""
        ids = _by_number(ids)
        if not ids:
            return None

        reply = await self._transport.call(
            "crm.lead.list",
            {
                "filter": {"ID": ids},
                "select": list(_CANDIDATE_SELECT),
                "order": {"DATE_CREATE": "DESC"},
            },
        )
        for record in _records(reply.result):
            if self._is_open(record) and self._is_recent(record):
                return record
        return None

    def _is_open(self, record: Mapping[str, Any]) -> bool:
        if record.get("STATUS_SEMANTIC_ID") in _CLOSED_SEMANTICS:
            return False
        return record.get("STATUS_ID") not in self._settings.final_statuses

    def _is_recent(self, record: Mapping[str, Any]) -> bool:
        days = self._settings.same_request_days
        if days == 0:
            return True
        try:
            created = datetime.fromisoformat(str(record.get("DATE_CREATE")))
        except ValueError:
            # An unreadable date must not split one request into two leads.
            return True

        if created.tzinfo is None:
            created = created.replace(tzinfo=UTC)
        return created >= self._context.clock.now() - timedelta(days=days)

    async def _update(
        self, lead: Lead, reach: Reachable, record: Mapping[str, Any], key: str
    ) -> LeadResult:
        ref = CrmRef("lead", str(record["ID"]))
        fields = mapping.update_fields(lead, reach, record, self._settings)

        if fields:
            await self._transport.call(
                "crm.lead.update",
                {
                    "id": ref.id,
                    "fields": fields,
                    "params": {"REGISTER_SONET_EVENT": "Y"},
                },
            )

        await self._comment_once(
            ref, mapping.timeline_comment(lead), marker(f"{key}\0timeline")
        )
        return self._remember(marker(key), ref, created=False)

    async def _create(
        self,
        lead: Lead,
        reach: Reachable,
        key_marker: str,
        *,
        contact_id: str | None,
    ) -> LeadResult:
        fields = mapping.lead_fields(
            lead, reach, self._settings, key_marker=key_marker, contact_id=contact_id
        )
        self._journal.pending("lead", key_marker)

        try:
            reply = await self._transport.call(
                "crm.lead.add",
                {"fields": fields, "params": {"REGISTER_SONET_EVENT": "Y"}},
            )
        except OutcomeUnknownError:
            # The portal may have made the lead before the answer was lost.
            earlier = await self._lead_with_marker(key_marker)
            if earlier is None:
                raise
            return self._remember(key_marker, CrmRef("lead", earlier), created=True)

        return self._remember(
            key_marker,
            CrmRef("lead", self._new_id(reply.result, "crm.lead.add")),
            created=True,
        )

    def _remember(self, key_marker: str, ref: CrmRef, *, created: bool) -> LeadResult:
        self._journal.done(
            "lead", key_marker, Entry("done", ref.entity, ref.id, created)
        )
        return LeadResult(ref, created=created)

    def _new_id(self, result: Any, method: str) -> str:
        if isinstance(result, int | str) and str(result).isdigit():
            return str(result)
        raise RejectedError(
            f"Bitrix24 portal {self._transport.portal} answered {method} without "
            "the new record's id; check the portal's REST log",
            connector=self._context.name,
        )

    # -- notes -----------------------------------------------------------

    async def add_note(self, ref: CrmRef, text: str, *, idempotency_key: str) -> None:
        """Add *text* to the record's timeline, once per key."""
        async with self._writing:
            await self._comment_once(ref, text, marker(idempotency_key))

    async def _comment_once(self, ref: CrmRef, text: str, key_marker: str) -> None:
        entry = self._journal.get("note", key_marker)
        if entry is not None and entry.done:
            return
        if entry is not None and await self._comment_exists(ref, key_marker):
            self._journal.done("note", key_marker, Entry("done", ref.entity, ref.id))
            return

        self._journal.pending("note", key_marker)
        fields = {
            "ENTITY_ID": _numeric(ref, self._context.name),
            "ENTITY_TYPE": ref.entity,
            # The marker lets a retry recognise a comment whose answer was lost.
            "COMMENT": f"{text}\n\n[{key_marker}]",
        }
        try:
            await self._transport.call("crm.timeline.comment.add", {"fields": fields})
        except OutcomeUnknownError:
            if not await self._comment_exists(ref, key_marker):
                raise

        self._journal.done("note", key_marker, Entry("done", ref.entity, ref.id))

    async def _comment_exists(self, ref: CrmRef, key_marker: str) -> bool:
        start: int | None = 0
        pages = 0

        while start is not None and pages < _MAX_COMMENT_PAGES:
            reply = await self._transport.call(
                "crm.timeline.comment.list",
                {
                    "filter": {
                        "ENTITY_ID": _numeric(ref, self._context.name),
                        "ENTITY_TYPE": ref.entity,
                    },
                    "select": ["ID", "COMMENT"],
                    "start": start,
                },
            )
            if any(
                key_marker in str(item.get("COMMENT", ""))
                for item in _records(reply.result)
            ):
                return True
            start, pages = reply.next, pages + 1
        # XXX: only 1000 comments are searched; a busier timeline could get a repeat.
        return False

    # -- access and erasure ----------------------------------------------

    async def export_person(self, contact: Contact) -> dict[str, Any]:
        """Everything the portal holds on the person's leads and contacts."""
        refs = await self.find_person(contact)
        return await person_data.export(self._transport, refs)

    async def erase_person(self, contact: Contact) -> ErasureReport:
        """Delete the person's leads and contacts, or blank them, as configured."""
        refs = await self.find_person(contact)
        if self._settings.erasure == "blank":
            return await person_data.blank(
                self._transport, refs, self._settings.blank_fields
            )
        return await person_data.delete(self._transport, refs)

    # -- the rest --------------------------------------------------------

    def data_flows(self) -> Sequence[DataFlow]:
        """The portal keeps the lead's personal data for good."""
        return [
            DataFlow(
                data=("name", "phone", "e-mail", "service", "desired time", "comment"),
                recipient=f"Bitrix24 portal ({self._transport.portal})",
                location=self._settings.location,
                purpose="handling the client's request as a CRM lead",
                system_of_record=True,
            )
        ]

    async def aclose(self) -> None:
        """Nothing to release: the HTTP client is shared and closed by leadwire."""

    @property
    def _region(self) -> str:
        return self._settings.default_region


def _by_number(ids: Iterable[str]) -> list[str]:
    return sorted(set(ids), key=lambda value: (len(value), value))


def _records(result: Any) -> list[Mapping[str, Any]]:
    if not isinstance(result, list):
        return []
    return [item for item in result if isinstance(item, Mapping)]


def _numeric(ref: CrmRef, connector: str) -> int:
    if not ref.id.isdigit():
        raise RejectedError(
            f"{ref.entity} id must be a Bitrix24 number, got {len(ref.id)} characters "
            "that are not one",
            connector=connector,
        )
    return int(ref.id)
