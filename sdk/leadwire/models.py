"""The domain model that the engine and every connector share.

Values are frozen attrs classes. Wire payloads are parsed by the plugins (or by
classmethods here), never by ``Model(**payload)``.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import attrs

__all__ = [
    "AuditEvent",
    "ChatMessage",
    "ClientId",
    "Completion",
    "CompletionRequest",
    "ConsentDecision",
    "ConsentPrompt",
    "ConsentPurpose",
    "ConsentRecord",
    "Contact",
    "CrmRef",
    "DataFlow",
    "DeliveryStatus",
    "Entity",
    "ErasureReport",
    "EventKind",
    "InboundEvent",
    "Lead",
    "LeadFields",
    "LeadResult",
    "Media",
    "OutboundMessage",
    "SendReceipt",
    "Sender",
    "Usage",
    "Verification",
    "WebhookRequest",
    "WebhookResponse",
    "hmac_sha256_matches",
]


def utc(moment: datetime) -> datetime:
    """Return *moment* as an aware UTC datetime; naive values are taken as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


# --------------------------------------------------------------------------
# Webhooks


@attrs.frozen
class WebhookRequest:
    """An HTTP request from a provider, independent of any web framework.

    :ivar method: ``GET`` or ``POST``.
    :ivar path: The path below the channel's mount point, ``""`` for the root.
    :ivar query: Query parameters, the first value of each.
    :ivar headers: Header names in lower case.
    :ivar body: The raw bytes, exactly as received: signatures are over these.
    """

    method: str
    path: str = ""
    query: Mapping[str, str] = attrs.field(factory=dict)
    headers: Mapping[str, str] = attrs.field(
        factory=dict,
        converter=lambda raw: {key.lower(): value for key, value in raw.items()},
    )
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """Return the header *name* (any case), or None."""
        return self.headers.get(name.lower())


@attrs.frozen
class WebhookResponse:
    """What to answer a provider's request with."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen
class Verification:
    """The outcome of checking that a request really comes from the provider.

    Use :meth:`accept`, :meth:`missing` (answered 401) or :meth:`forged`
    (answered 403). *reason* is for the log: it must not echo the credential.
    """

    ok: bool
    status: int = 200
    reason: str = ""

    @classmethod
    def accept(cls) -> Verification:
        return cls(ok=True)

    @classmethod
    def missing(cls, reason: str) -> Verification:
        return cls(ok=False, status=401, reason=reason)

    @classmethod
    def forged(cls, reason: str) -> Verification:
        return cls(ok=False, status=403, reason=reason)


def hmac_sha256_matches(secret: bytes, body: bytes, hex_digest: str) -> bool:
    """Tell, in constant time, whether *hex_digest* is HMAC-SHA256(secret, body)."""
    expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, hex_digest.strip().lower())


# --------------------------------------------------------------------------
# Inbound events


class EventKind(enum.StrEnum):
    """What a provider told us."""

    MESSAGE = "message"  # text from the client
    BUTTON = "button"  # a button, list or quick reply pressed
    MEDIA = "media"  # image, audio, voice, video, document, sticker
    CONTACT = "contact"  # a shared contact card
    LOCATION = "location"
    REACTION = "reaction"  # an emoji on a message; empty emoji: removed
    STATUS = "status"  # delivery status of a message we sent
    ECHO = "echo"  # a copy of our own outgoing message
    EDIT = "edit"  # the client edited an earlier message
    DELETE = "delete"  # the client deleted an earlier message
    UNSUPPORTED = "unsupported"  # anything else: kept, never a crash


#: The kinds that come from the client and may carry personal data to act on.
CLIENT_KINDS = frozenset(
    {
        EventKind.MESSAGE,
        EventKind.BUTTON,
        EventKind.MEDIA,
        EventKind.CONTACT,
        EventKind.LOCATION,
        EventKind.EDIT,
    }
)


class DeliveryStatus(enum.IntEnum):
    """Delivery states of an outgoing message, ordered so a status never goes back."""

    SENT = 1
    DELIVERED = 2
    READ = 3
    FAILED = 4


@attrs.frozen
class Sender:
    """Who sent an event, as the channel knows them.

    :ivar id: The channel's stable id for the client (WhatsApp wa_id, IGSID,
        Telegram user id, a website session id).
    :ivar name: The profile name, when the channel gives one.
    :ivar phone: A phone number the channel vouches for (WhatsApp's wa_id).
    """

    id: str
    name: str | None = None
    phone: str | None = None


@attrs.frozen
class Media:
    """An attachment. leadwire never downloads it; it records that it came."""

    type: str  # image, audio, voice, video, document, sticker, share, ...
    mime_type: str | None = None
    provider_id: str | None = None
    caption: str | None = None


@attrs.frozen
class Contact:
    """Contact details of a person: shared by the client, or found in text.

    :ivar phone: The number to call back (E.164 once normalised): the one the
        client asked to be called on, else a mobile one, else the first.
    :ivar other_phones: Further numbers the client gave, kept so that none is
        lost; a CRM may file them beside :attr:`phone`.
    """

    name: str | None = None
    phone: str | None = None  # E.164 once normalised
    email: str | None = None
    other_phones: tuple[str, ...] = attrs.field(default=(), converter=tuple)


@attrs.frozen
class InboundEvent:
    """One normalised event from a channel.

    :ivar channel: The configured channel name the event came through.
    :ivar event_id: The provider's id, unique per channel: the dedupe key.
    :ivar kind: What happened.
    :ivar conversation: The channel's id of the conversation (a chat, a sender).
    :ivar sender: Who sent it; None for statuses and anonymous posts.
    :ivar occurred_at: When the provider says it happened, aware UTC.
    :ivar text: Message text, a caption, a button title, an edited text.
    :ivar payload: A button's payload, a reaction's emoji.
    :ivar target_id: The message this event refers to (status, reaction, edit,
        reply, delete).
    :ivar status: For STATUS events.
    :ivar errors: Provider error codes attached to the event, as strings.
    """

    channel: str
    event_id: str
    kind: EventKind
    conversation: str
    occurred_at: datetime = attrs.field(converter=utc)
    sender: Sender | None = None
    text: str | None = None
    payload: str | None = None
    media: Media | None = None
    contact: Contact | None = None
    target_id: str | None = None
    status: DeliveryStatus | None = None
    errors: tuple[str, ...] = ()

    @property
    def from_client(self) -> bool:
        """Whether the client did this (and so the engine must act on it)."""
        return self.kind in CLIENT_KINDS and self.sender is not None


# --------------------------------------------------------------------------
# Outbound messages


@attrs.frozen
class OutboundMessage:
    """A message for the channel to send.

    :ivar conversation: The channel's conversation id to send to.
    :ivar text: The text; the channel splits it to the provider's limit.
    :ivar buttons: (payload, title) pairs, rendered as the channel can.
    :ivar reply_to: A provider message id to quote, when the channel supports it.
    """

    conversation: str
    text: str
    buttons: tuple[tuple[str, str], ...] = ()
    reply_to: str | None = None


@attrs.frozen
class ConsentPrompt:
    """The consent request, sent as a message of its own with explicit answers.

    :ivar text: The full consent text of the template.
    :ivar version: The template version the answer will be recorded against.
    :ivar agree: The (payload, title) of the "agree" button.
    :ivar refuse: The (payload, title) of the "refuse" button.
    :ivar ask_phone: Ask for the phone with a contact button where the channel can.
    """

    text: str
    version: str
    agree: tuple[str, str]
    refuse: tuple[str, str]
    ask_phone: bool = False


@attrs.frozen
class SendReceipt:
    """What the provider answered to a send: the ids of the messages it made."""

    message_ids: tuple[str, ...]


# --------------------------------------------------------------------------
# Clients, leads and the CRM


@attrs.frozen
class ClientId:
    """A pseudonymous client id, ``CLIENT_`` and hex: safe for logs and the LLM."""

    value: str = attrs.field()

    @value.validator
    def _check(self, attribute: attrs.Attribute[str], value: str) -> None:
        if not value.startswith("CLIENT_"):
            raise ValueError(f"a client id starts with CLIENT_, got {value[:12]!r}")

    def __str__(self) -> str:
        return self.value

    @classmethod
    def derive(cls, key: bytes, channel: str, conversation: str) -> ClientId:
        """Derive the stable id of a conversation's client with a keyed hash."""
        digest = hmac.new(key, f"{channel}\0{conversation}".encode(), hashlib.sha256)
        return cls("CLIENT_" + digest.hexdigest()[:12])


@attrs.frozen
class LeadFields:
    """What the assistant extracted from the conversation for the lead."""

    service: str | None = None
    desired_time: str | None = None  # as the client put it, or ISO 8601
    comment: str | None = None


@attrs.frozen
class Lead:
    """A request to hand to the CRM.

    Name, phone and e-mail come from local detection or the channel, never
    from the LLM.
    """

    client_id: ClientId
    channel: str
    contact: Contact
    fields: LeadFields = LeadFields()
    title: str = ""


@attrs.frozen
class CrmRef:
    """A record in the CRM: its type (``lead``, ``contact``, ``deal``) and id."""

    entity: str
    id: str


@attrs.frozen
class LeadResult:
    """The outcome of creating or updating a lead."""

    ref: CrmRef
    created: bool


@attrs.frozen
class ErasureReport:
    """What a connector erased for one person, and what it could not."""

    erased: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()  # what the law obliges to keep, depersonalised
    failed: tuple[str, ...] = ()  # what could not be erased, with why


# --------------------------------------------------------------------------
# The LLM


@attrs.frozen
class ChatMessage:
    """One message of a chat completion: role ``system``, ``user`` or ``assistant``."""

    role: str
    content: str


@attrs.frozen
class CompletionRequest:
    """What the engine asks an LLM. Every text in it is already pseudonymised.

    :ivar messages: The conversation so far, system prompt first.
    :ivar want_fields: Ask for :class:`LeadFields` beside the reply text.
    """

    messages: tuple[ChatMessage, ...]
    want_fields: bool = True


@attrs.frozen
class Usage:
    """What a completion cost and how long it took."""

    model: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: float = 0.0


@attrs.frozen
class Completion:
    """An LLM's answer: the reply text, the lead fields it found, and its usage."""

    text: str
    fields: LeadFields | None
    usage: Usage


# --------------------------------------------------------------------------
# Consent and audit


class ConsentPurpose(enum.StrEnum):
    """What the client consents to; each purpose is asked and recorded apart."""

    BOOKING = "booking"
    MARKETING = "marketing"


class ConsentDecision(enum.StrEnum):
    GRANTED = "granted"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


@attrs.frozen
class ConsentRecord:
    """One decision of a client about one purpose: an entry in the consent ledger."""

    client_id: ClientId
    purpose: ConsentPurpose
    decision: ConsentDecision
    template_version: str
    channel: str
    message_id: str
    at: datetime = attrs.field(converter=utc)


@attrs.frozen
class AuditEvent:
    """One entry of the audit log: who did what to whose data, and how it ended.

    ``details`` holds types, counts, field names and hashes, never values.
    """

    seq: int
    at: datetime = attrs.field(converter=utc)
    actor: str  # "system", "plugin:<name>", "staff:<user>"
    action: str  # "consent.granted", "pii.detected", "lead.created", ...
    client_id: str | None
    outcome: str  # "ok", "failed", "refused", ...
    details: Mapping[str, Any] = attrs.field(factory=dict)
    prev_hash: str = ""
    hash: str = ""


# --------------------------------------------------------------------------
# Personal data


@attrs.frozen
class Entity:
    """A span of personal data found in a text.

    :ivar type: ``PERSON``, ``PHONE``, ``EMAIL``, ``ADDRESS``, ``PASSPORT``,
        ``SNILS``, ``INN``, ``CARD``, ``OMS``, ``ACCOUNT``, ``BIRTHDATE``,
        ``PLATE``, ``HANDLE`` or a plugin's own type.
    :ivar start: Offset of the first character.
    :ivar end: Offset after the last character.
    :ivar value: The text of the span.
    :ivar score: How sure the recognizer is, 0 to 1.
    :ivar normalized: A canonical form (E.164 for phones), when there is one.
    :ivar recognizer: The name of the recognizer that found it.
    """

    type: str
    start: int
    end: int
    value: str
    score: float = 1.0
    normalized: str | None = None
    recognizer: str = ""


@attrs.frozen
class DataFlow:
    """A declaration of personal data a connector receives, keeps or sends on.

    :ivar data: What is involved: ``"name"``, ``"phone"``, ``"message text"``.
    :ivar recipient: Who gets it: ``"Meta Platforms (WhatsApp Cloud API)"``.
    :ivar location: Where it is processed: a country code such as ``"RU"``,
        ``"US"``, or ``"unknown"``.
    :ivar purpose: Why.
    :ivar pseudonymised: Whether only pseudonymised data goes there.
    :ivar system_of_record: Whether this is where the data is kept for good.
    :ivar third_party: Whether someone other than the operator gets the data
        (a provider, a CRM vendor's portal); the operator's own systems say
        False, and the consent text names only third parties.
    """

    data: tuple[str, ...]
    recipient: str
    location: str
    purpose: str
    pseudonymised: bool = False
    system_of_record: bool = False
    third_party: bool = True

    @property
    def cross_border(self) -> bool:
        """Whether the data leaves Russia (unknown counts as leaving)."""
        return self.location.upper() != "RU"


def now() -> datetime:
    """The current time, aware UTC."""
    return datetime.now(UTC)
