"""The rules: from a conversation to a reply and the lead fields.

The reply answers the client's last message: a greeting, prices, hours, the
address, or the next step of a booking (which service, then which day and
time). The fields gather the service and the day and time from every message
of the client, the latest mention winning. Everything here is a pure function
of the messages: the same conversation always gets the same answer.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from leadwire import ChatMessage, LeadFields
from leadwire_offline._profile import Profile, Service, read_profile
from leadwire_offline._reading import Intent, find_service, intents_of, is_english
from leadwire_offline._when import When, find_when

__all__ = ["Reading", "read_conversation", "reply_to"]


@attrs.frozen
class Reading:
    """What the rules made of a conversation."""

    profile: Profile
    last: str
    english: bool
    intents: frozenset[Intent]
    service: Service | None
    when: When
    booking: bool

    @property
    def fields(self) -> LeadFields:
        return LeadFields(
            service=self.service.name if self.service else None,
            desired_time=self.when.text(english=self.english),
        )


def read_conversation(messages: Sequence[ChatMessage]) -> Reading:
    """Read the profile from the system message and the client's messages."""
    system = next((m.content for m in messages if m.role == "system"), "")
    profile = read_profile(system)
    said = [m.content for m in messages if m.role == "user"]
    last = said[-1] if said else ""
    services = profile.services

    service = None
    when = When()
    for text in reversed(said):
        service = service or find_service(text, services)
        when = when.merged(find_when(text))  # the latest mention of each part wins

    intents = intents_of(last)
    # A booking goes on when asked for now, when a service or time follows an
    # earlier request, or when both come in one message ("маникюр завтра?").
    asked_before = any(Intent.BOOKING in intents_of(text) for text in said[:-1])
    service_now = find_service(last, services) is not None
    when_now = bool(find_when(last))
    booking = (
        Intent.BOOKING in intents
        or ((service_now or when_now) and asked_before)
        or (service_now and when_now)
    )

    return Reading(
        profile=profile,
        last=last,
        english=is_english(last),
        intents=intents,
        service=service,
        when=when,
        booking=booking,
    )


def reply_to(reading: Reading) -> str:
    """The reply, in the client's language."""
    phrases = _ENGLISH if reading.english else _RUSSIAN
    parts: list[str] = []

    if Intent.GREETING in reading.intents:
        parts.append(phrases["hello"])
    if Intent.PRICE in reading.intents:
        parts.append(_prices(reading, phrases))
    if Intent.HOURS in reading.intents:
        hours = reading.profile.hours
        parts.append(phrases["hours"].format(hours) if hours else phrases["ask_admin"])
    if Intent.ADDRESS in reading.intents:
        address = reading.profile.address
        parts.append(
            phrases["address"].format(address) if address else phrases["ask_admin"]
        )
    if reading.booking:
        parts.append(_booking(reading, phrases))

    if not parts or parts == [phrases["hello"]]:
        if Intent.THANKS in reading.intents and not parts:
            return phrases["welcome"]
        parts.append(phrases["offer"] if parts else phrases["generic"])
    return " ".join(dict.fromkeys(parts))  # each phrase once, in order


def _prices(reading: Reading, phrases: dict[str, str]) -> str:
    named = find_service(reading.last, reading.profile.services)
    listed = [named] if named else list(reading.profile.services)
    priced = [service for service in listed if service.details]
    if not priced:
        return phrases["ask_admin"]
    lines = "; ".join(f"{service.name} — {service.details}" for service in priced)
    return phrases["prices"].format(lines)


def _booking(reading: Reading, phrases: dict[str, str]) -> str:
    when = reading.when.text(english=reading.english)
    service = reading.service

    if service and reading.when.day and reading.when.clock:
        return phrases["noted"].format(f"{service.name}, {when}")
    if service and reading.when.day:
        return phrases["ask_hour"].format(f"{service.name}, {when}")
    if service and reading.when.clock:
        return phrases["ask_day"].format(f"{service.name}, {when}")
    if service:
        return phrases["ask_time"].format(service.name)
    names = ", ".join(service.name for service in reading.profile.services)
    ask = phrases["ask_service_from"].format(names) if names else phrases["ask_service"]
    if when:
        return phrases["noted_time"].format(when) + " " + ask
    return ask + " " + phrases["ask_when"]


_RUSSIAN = {
    "hello": "Здравствуйте!",
    "offer": "Чем могу помочь? Могу рассказать об услугах и ценах или записать вас.",
    "generic": (
        "Спасибо за сообщение! Администратор скоро ответит. А я могу подсказать "
        "цены или записать вас."
    ),
    "welcome": "Пожалуйста! Если появятся вопросы, пишите.",
    "prices": "Наши цены: {}.",
    "hours": "Мы работаем: {}.",
    "address": "Наш адрес: {}.",
    "ask_admin": "Это уточнит администратор.",
    "noted": "Спасибо! Записываю ваше пожелание: {}. Администратор подтвердит запись.",
    "noted_time": "Записываю пожелание: {}.",
    "ask_time": "Отлично, {}. На какой день и время вас записать?",
    "ask_hour": "Отлично: {}. Во сколько вам удобно?",
    "ask_day": "Отлично: {}. На какой день вас записать?",
    "ask_service_from": "На какую услугу вас записать? У нас есть: {}.",
    "ask_service": "На какую услугу вас записать?",
    "ask_when": "И на какой день и время?",
}

_ENGLISH = {
    "hello": "Hello!",
    "offer": "How can I help? I can tell you about our services and prices or "
    "book you in.",
    "generic": (
        "Thank you for your message! The administrator will reply soon. I can "
        "also tell you our prices or book you in."
    ),
    "welcome": "You're welcome! Write if you have any questions.",
    "prices": "Our prices: {}.",
    "hours": "Our opening hours: {}.",
    "address": "Our address: {}.",
    "ask_admin": "The administrator will tell you.",
    "noted": "Thank you! I have noted your request: {}. The administrator will "
    "confirm the booking.",
    "noted_time": "Noted: {}.",
    "ask_time": "Great, {}. What day and time suit you?",
    "ask_hour": "Great: {}. What time suits you?",
    "ask_day": "Great: {}. Which day would you like?",
    "ask_service_from": "Which service would you like? We offer: {}.",
    "ask_service": "Which service would you like?",
    "ask_when": "And what day and time suit you?",
}
