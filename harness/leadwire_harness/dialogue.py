"""The dialogue: a scripted conversation and the outcome it must lead to.

A dialogue file is YAML; :mod:`leadwire_harness.loader` reads it into these
classes. ``docs/harness.md`` is the format's reference.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

import attrs

__all__ = [
    "AuditExpectation",
    "ConsentExpectation",
    "CrmExpectation",
    "Dialogue",
    "Expectation",
    "LeadExpectation",
    "LlmAnswer",
    "Persona",
    "SeedLead",
    "Turn",
    "TurnKind",
]


class TurnKind(enum.StrEnum):
    """What happens at one turn: the channel's real event kinds, and time."""

    TEXT = "text"  # the client writes
    PRESS = "press"  # the client presses a button we sent
    CONTACT = "contact"  # the client shares a contact card
    MEDIA = "media"  # a photo, a voice message, a document
    EDIT = "edit"  # the client edits an earlier message
    REACTION = "reaction"  # the client reacts to our last message
    STATUS = "status"  # the provider reports delivery of our last message
    REPEAT = "repeat"  # the provider delivers an earlier turn again
    WAIT = "wait"  # time passes; nothing is delivered
    FORM = "form"  # a website form: text, contact fields and the consent box


#: The kinds that are deliveries of something the client did.
CLIENT_TURNS = frozenset(
    {
        TurnKind.TEXT,
        TurnKind.PRESS,
        TurnKind.CONTACT,
        TurnKind.MEDIA,
        TurnKind.EDIT,
        TurnKind.REACTION,
        TurnKind.FORM,
    }
)


@attrs.frozen
class LlmAnswer:
    """What the mocked LLM answers: a JSON reply with fields, or garbage."""

    reply: str | None = None
    service: str | None = None
    desired_time: str | None = None
    comment: str | None = None
    garbage: str | None = None

    @property
    def is_garbage(self) -> bool:
        return self.garbage is not None


@attrs.frozen
class Turn:
    """One step of the dialogue.

    :param index: Position in the dialogue, from 0.
    :param kind: What happens.
    :param id: A name other turns use to refer to this one.
    :param after: Seconds that pass before this turn.
    :param text: The text of TEXT and EDIT; the caption of MEDIA.
    :param press: ``agree``, ``refuse`` (the consent buttons we sent), or the
        title of another button we sent.
    :param media: The MEDIA type: ``image``, ``voice``, ``audio``, ``video``,
        ``document``, ``sticker``.
    :param contact: The shared card (``name``, ``phone``), or the fields of
        a FORM (``name``, ``phone``, ``email``).
    :param consent: A FORM's consent checkbox: ticked, unticked, or absent.
    :param emoji: The REACTION's emoji (empty: reaction removed).
    :param status: The STATUS: ``sent``, ``delivered``, ``read``, ``failed``.
    :param target: The turn id an EDIT or REPEAT refers to.
    :param delayed: The provider delivers the event this many seconds after
        it happened (Meta retries undelivered webhooks for days).
    :param llm: What the LLM answers while this turn is handled, in order;
        the last answer repeats when the engine asks more often.
    """

    index: int
    kind: TurnKind
    id: str | None = None
    after: float = 30.0
    text: str | None = None
    press: str | None = None
    media: str | None = None
    contact: Mapping[str, str] = attrs.field(factory=dict)
    emoji: str | None = None
    consent: bool | None = None
    status: str | None = None
    target: str | None = None
    delayed: float = 0.0
    llm: tuple[LlmAnswer, ...] = ()

    @property
    def label(self) -> str:
        """How reports name the turn: its key path in the file, ``turns[2]``."""
        return f"turns[{self.index}] ({self.kind.value})"


@attrs.frozen
class Persona:
    """The client: the personal data they reveal during the dialogue.

    Every value here must stay out of LLM requests, logs, the audit log and
    reports.

    :param name: The name as the client writes it.
    :param phone: The phone as the client writes it.
    :param email: The e-mail, if the client gives one.
    :param profile_name: The name the channel shows (WhatsApp profile,
        Telegram first name).
    :param channel_id: The client's id on the channel; WhatsApp's is the
        phone's digits. Generated from the dialogue's name when left out.
    :param secrets: Other personal values the client reveals, by kind
        (``passport``, ``card``, ``snils``, ``address``, ``phone_2``...).
    """

    name: str | None = None
    phone: str | None = None
    email: str | None = None
    profile_name: str | None = None
    channel_id: str | None = None
    secrets: Mapping[str, str] = attrs.field(factory=dict)

    def values(self) -> dict[str, str]:
        """Every personal value, by a label safe to print (``persona.name``)."""
        found = {
            "persona.name": self.name,
            "persona.phone": self.phone,
            "persona.email": self.email,
            "persona.profile_name": self.profile_name,
        }
        found.update({f"persona.{key}": value for key, value in self.secrets.items()})
        return {label: value for label, value in found.items() if value}


@attrs.frozen
class SeedLead:
    """A lead the mocked CRM holds before the dialogue starts."""

    name: str
    phone: str
    title: str = "Заявка"
    age: float = 30 * 86400.0  # seconds before the dialogue's start


@attrs.frozen
class LeadExpectation:
    """The one lead the CRM must hold.

    :param name: The lead's NAME must equal this (case-insensitively).
    :param phone: The lead's phones must include this E.164 number.
    :param email: The lead's e-mails must include this.
    :param mentions: Patterns each of which some field of the lead matches.
    :param seeded: The lead must be the seeded one, updated, not a new one.
    """

    name: str | None = None
    phone: str | None = None
    email: str | None = None
    mentions: tuple[str, ...] = ()
    seeded: bool = False


@attrs.frozen
class CrmExpectation:
    """The CRM's state at the end: one lead like this, or no lead at all."""

    lead: LeadExpectation | None = None


@attrs.frozen
class ConsentExpectation:
    """The latest decision per purpose; ``none`` means never recorded."""

    decisions: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen
class AuditExpectation:
    """Audit actions that must be present, and ones that must be absent."""

    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()


@attrs.frozen
class Expectation:
    """What the dialogue must lead to; a part left out is not checked."""

    replies: tuple[str, ...] = ()
    forbidden_replies: tuple[str, ...] = ()
    reply_count: int | None = None
    crm: CrmExpectation | None = None
    consent: ConsentExpectation | None = None
    audit: AuditExpectation = AuditExpectation()


@attrs.frozen
class Dialogue:
    """A whole scripted conversation.

    :param name: A short id: the file name without ``.yaml``.
    :param title: One line saying what situation this is.
    :param channel: The channel *kind* (``whatsapp``, ``instagram``,
        ``telegram``, ``website``).
    :param start: When the first turn happens.
    :param crm_auth: ``ok``, or ``rejected`` / ``expired`` for a CRM that
        refuses the webhook's token for the whole dialogue.
    :param seed_leads: Leads the CRM holds before the dialogue.
    """

    name: str
    title: str
    channel: str
    persona: Persona
    turns: tuple[Turn, ...]
    expect: Expectation
    start: datetime | None = None
    crm_auth: str = "ok"
    seed_leads: tuple[SeedLead, ...] = ()
    tags: tuple[str, ...] = ()
    path: Path | None = None

    def turn(self, turn_id: str) -> Turn:
        """The turn with the id *turn_id*."""
        for turn in self.turns:
            if turn.id == turn_id:
                return turn
        raise KeyError(turn_id)
