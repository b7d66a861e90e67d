"""What a client's message is about: its language, intents and the service named."""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Sequence

import pymorphy3

from leadwire_offline._profile import Service

__all__ = ["Intent", "find_service", "intents_of", "is_english"]

# Placeholders of the pseudonymiser are Latin: leave them out of language checks.
_PLACEHOLDER = re.compile(r"\[[A-Z][A-Z_]*_\d+\]|CLIENT_[0-9a-f]+")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)
_WORD = re.compile(r"[а-яёa-z]+(?:-[а-яёa-z]+)*", re.IGNORECASE)

# Short words that do not name a service: "маникюр с покрытием" is two words.
_FILLERS = frozenset({"с", "со", "и", "на", "для", "по", "в", "из", "без", "a", "and"})


class Intent(enum.Enum):
    """What the client wants from this message."""

    GREETING = "greeting"
    BOOKING = "booking"
    PRICE = "price"
    HOURS = "hours"
    ADDRESS = "address"
    THANKS = "thanks"


_INTENTS = {
    Intent.GREETING: re.compile(
        r"^\W*(привет\w*|здравств\w*|добр(ый|ое|ого)\s+(день|утро|вечер|дня|утра|"
        r"вечера)|доброго времени\w*|hi|hello|hey|good (morning|afternoon|evening))"
        r"(?!\w)"
    ),
    Intent.BOOKING: re.compile(
        r"запис|запиш|заброни|"
        r"(хочу|хотела?|можно|нужно|нужен|нужна)\s+(бы\s+)?(на|к)\s|"
        r"свободн\w*\s+(окн|врем|мест|мастер)|окошк|"
        r"\bbook|appointment|reserv|sign (me )?up|schedule"
    ),
    Intent.PRICE: re.compile(
        r"сколько\s+(стоит|стоят|будет)|стоимост|цен[аыуе]|прайс|почем|по\s+чем|"
        r"price|cost|how much"
    ),
    Intent.HOURS: re.compile(
        r"час(ы|ам)\s+работ|режим|график|до скольки|во сколько\s+(вы\s+)?"
        r"(работа|открыва|закрыва)|когда\s+(вы\s+)?(работа|открыт)|"
        r"opening|\bhours\b|when (are|do) you (open|close)"
    ),
    Intent.ADDRESS: re.compile(
        r"адрес|где\s+(вы|находит|располож)|"
        r"как\s+(до\s+вас\s+)?(добраться|пройти|найти)|"
        r"address|where are you|located|directions"
    ),
    Intent.THANKS: re.compile(r"спасиб|благодар|thank"),
}


def is_english(text: str) -> bool:
    """Whether *text* is written in Latin letters only (placeholders aside)."""
    text = _PLACEHOLDER.sub(" ", text)
    return bool(_LATIN.search(text)) and not _CYRILLIC.search(text)


def intents_of(text: str) -> frozenset[Intent]:
    """The intents a message shows."""
    lowered = _PLACEHOLDER.sub(" ", text).lower().replace("ё", "е")
    return frozenset(
        intent for intent, pattern in _INTENTS.items() if pattern.search(lowered)
    )


def find_service(text: str, services: Sequence[Service]) -> Service | None:
    """The listed service the message names, in any grammatical case.

    Words are compared by their dictionary form, so "на стрижку" finds
    "Стрижка". A service's first word must be there; of several candidates the
    one with more of its words named wins, then the one named in full, then
    the one listed first.
    """
    said = _lemmas(text)
    best: tuple[int, float, int] | None = None
    chosen = None

    for position, service in enumerate(services):
        words = _lemma_list(service.name)
        if not words or words[0] not in said:
            continue
        named = sum(1 for word in words if word in said)
        rank = (named, named / len(words), -position)
        if best is None or rank > best:
            best, chosen = rank, service
    return chosen


def _lemmas(text: str) -> frozenset[str]:
    return frozenset(_lemma_list(_PLACEHOLDER.sub(" ", text)))


def _lemma_list(text: str) -> list[str]:
    words = _WORD.findall(text.lower().replace("ё", "е"))
    return [_lemma(word) for word in words if word not in _FILLERS]


@functools.lru_cache(maxsize=4096)
def _lemma(word: str) -> str:
    return _morphology().parse(word)[0].normal_form.replace("ё", "е")


@functools.cache
def _morphology() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()
