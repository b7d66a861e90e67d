"""The interfaces a plugin's connectors implement, and how they are registered.

A plugin registers a :class:`ConnectorType` through a registration hook. When a
client configuration turns the connector on, leadwire validates the settings
table against ``ConnectorType.settings`` and calls ``create(settings, context)``
to get the connector object, which keeps its own state (credentials, an HTTP
client) and is closed with :meth:`aclose` on shutdown.

Connectors signal failures with the exceptions of :mod:`leadwire.errors`: the
engine retries a :class:`~leadwire.errors.TemporaryError` after its hint and
alerts the operator on a :class:`~leadwire.errors.CredentialsError`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, runtime_checkable

import attrs
import httpx

from leadwire.models import (
    ClientId,
    Completion,
    CompletionRequest,
    ConsentPrompt,
    ConsentPurpose,
    ConsentRecord,
    Contact,
    CrmRef,
    DataFlow,
    Entity,
    ErasureReport,
    InboundEvent,
    Lead,
    LeadResult,
    OutboundMessage,
    SendReceipt,
    Verification,
    WebhookRequest,
    WebhookResponse,
    now,
)

if TYPE_CHECKING:
    from leadwire.engine.database import Database

__all__ = [
    "Channel",
    "Clock",
    "ConnectorContext",
    "ConnectorType",
    "ConsentStore",
    "Crm",
    "Llm",
    "Recognizer",
    "SystemClock",
]

S = TypeVar("S")
C = TypeVar("C")


class Clock(Protocol):
    """Time as the engine and connectors see it; the harness substitutes its own."""

    def now(self) -> datetime:
        """The current time, aware UTC."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait *seconds*."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return now()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


@attrs.define
class ConnectorContext:
    """What leadwire hands a connector when it creates it.

    :ivar name: The connector's name in the configuration (``channels.<name>``).
    :ivar http: The shared HTTP client; use it, so that respx mocks and
        connection limits apply. Do not close it.
    :ivar clock: Use it for every wait and timestamp, so tests control time.
    :ivar data_dir: A directory the connector may keep files in.
    :ivar logger: The connector's logger, under ``leadwire.plugins``.
    """

    name: str
    http: httpx.AsyncClient
    clock: Clock = attrs.field(factory=SystemClock)
    data_dir: Path = attrs.field(factory=Path.cwd)
    logger: logging.Logger = attrs.field(
        default=attrs.Factory(
            lambda self: logging.getLogger(f"leadwire.plugins.{self.name}"),
            takes_self=True,
        )
    )
    database: Database | None = None


@attrs.frozen
class ConnectorType(Generic[S, C]):
    """A kind of connector a plugin offers.

    :ivar name: What a configuration writes in ``plugin = "..."``.
    :ivar settings: An attrs class for the connector's settings table. Fields
        typed :class:`~leadwire.config.Secret` must be written as ``env:NAME``.
    :ivar create: Builds the connector from validated settings.
    :ivar summary: One line for ``leadwire plugins``.
    """

    name: str
    settings: type[S]
    create: Callable[[S, ConnectorContext], C]
    summary: str = ""


# --------------------------------------------------------------------------
# Families


@runtime_checkable
class Channel(Protocol):
    """A chat channel: WhatsApp, Instagram Direct, Telegram, a website widget."""

    async def handshake(self, request: WebhookRequest) -> WebhookResponse | None:
        """Answer a request that is not an event delivery, or return None.

        The provider's verification GET is answered here; it is unsigned, so
        :meth:`verify` is not run on it.
        """
        ...

    def verify(self, request: WebhookRequest) -> Verification:
        """Check the request's authenticity against its raw bytes."""
        ...

    def parse(self, request: WebhookRequest) -> Sequence[InboundEvent]:
        """Turn a verified request into zero or more events.

        Unknown kinds become UNSUPPORTED events; nothing here may raise on a
        well-formed request. Raise ``ValueError`` for a malformed body.
        """
        ...

    async def send(self, message: OutboundMessage) -> SendReceipt:
        """Send a text (split to the provider's limit), with buttons if any."""
        ...

    async def send_consent_request(
        self, conversation: str, prompt: ConsentPrompt
    ) -> SendReceipt:
        """Send the consent request as a message of its own with explicit answers."""
        ...

    def data_flows(self) -> Sequence[DataFlow]:
        """Declare the personal data this channel receives and where it goes."""
        ...

    async def aclose(self) -> None:
        """Release what the connector holds."""
        ...


@runtime_checkable
class Crm(Protocol):
    """A CRM that receives leads: Bitrix24, or the local one."""

    async def find_person(self, contact: Contact) -> Sequence[CrmRef]:
        """Find records matching the contact's phone (E.164) or e-mail."""
        ...

    async def upsert_lead(self, lead: Lead, *, idempotency_key: str) -> LeadResult:
        """Create the lead, or update the open one of the same client and request.

        Calling it again with the same *idempotency_key* never makes a second
        lead, even when the first call's outcome was unknown.
        """
        ...

    async def add_note(self, ref: CrmRef, text: str, *, idempotency_key: str) -> None:
        """Add a note to a lead's timeline, once per *idempotency_key*."""
        ...

    async def export_person(self, contact: Contact) -> dict[str, Any]:
        """Return what the CRM holds about the person, for an access request."""
        ...

    async def erase_person(self, contact: Contact) -> ErasureReport:
        """Delete or depersonalise the person's records, as configured."""
        ...

    def data_flows(self) -> Sequence[DataFlow]:
        """Declare the personal data this CRM stores and where."""
        ...

    async def aclose(self) -> None:
        """Release what the connector holds."""
        ...


@runtime_checkable
class Llm(Protocol):
    """A chat model: OpenAI's GPT, a local OpenAI-compatible server, the offline one."""

    async def complete(self, request: CompletionRequest) -> Completion:
        """Answer the conversation; raise UnusableAnswerError if nothing is usable."""
        ...

    def data_flows(self) -> Sequence[DataFlow]:
        """Declare where the (pseudonymised) texts go."""
        ...

    async def aclose(self) -> None:
        """Release what the connector holds."""
        ...


@runtime_checkable
class ConsentStore(Protocol):
    """The consent ledger: append-only decisions of clients, per purpose."""

    async def record(self, entry: ConsentRecord) -> None:
        """Append a decision (granted, refused or withdrawn)."""
        ...

    async def lookup(
        self, client_id: ClientId, purpose: ConsentPurpose
    ) -> ConsentRecord | None:
        """Return the latest decision for the purpose, or None if never asked."""
        ...

    async def history(self, client_id: ClientId) -> Sequence[ConsentRecord]:
        """Return every decision of the client, oldest first."""
        ...

    async def erase(self, client_id: ClientId) -> int:
        """Erase the client's entries; return how many."""
        ...

    def data_flows(self) -> Sequence[DataFlow]:
        """Declare where the ledger is kept."""
        ...

    async def aclose(self) -> None:
        """Release what the connector holds."""
        ...


@runtime_checkable
class Recognizer(Protocol):
    """Finds one or more kinds of personal data in a text."""

    name: str
    entity_types: frozenset[str]

    def find(self, text: str) -> Sequence[Entity]:
        """Return the spans found; overlapping spans are resolved by the caller."""
        ...
