"""Which of several phones in a message to call: the client's own choice first.

"Борис, мобильный +7 …, рабочий 8 495 …, лучше звонить на мобильный": the
lead's phone is the mobile, and the landline is kept beside it. Without a
stated choice a mobile number comes before landlines (a manager calls back,
and a mobile reaches the person), and otherwise the order of mention holds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import phonenumbers

from leadwire.models import Entity

__all__ = ["rank_phones"]

# What kind of phone a label names; the label is the word before a phone
# ("мобильный +7 …") or in brackets after it ("+7 … (рабочий)").
_KINDS = {
    "mobile": r"моб\w*|сот\w*|личн\w*|mobile|cell",
    "work": r"раб\w*|офис\w*|служебн\w*|work|office",
    "home": r"дом\w*|городск\w*|стационарн\w*|home|landline",
    "messenger": r"whats\s?app|вотс?апп?|ватс?апп?|телеграм\w*|telegram|вайбер\w*",
}
_ORDINALS = {
    "first": r"перв\w*|first",
    "second": r"втор\w*|second",
    "third": r"трет\w*|third",
    "last": r"последн\w*|last",
}
_LABEL = re.compile(
    "|".join(f"(?P<{kind}>\\b(?:{words})\\b)" for kind, words in _KINDS.items()),
    re.IGNORECASE,
)
# "лучше звонить на мобильный", "звоните на второй", "набирайте рабочий",
# "не звоните на рабочий" (the "не" is caught to turn the choice around).
_CHOICE = re.compile(
    r"(?P<negation>\bне\s+)?"
    r"\b(?:звон\w*|позвон\w*|набира\w*|набер\w*|связ\w*|пиш\w*|call|reach)"
    r"(?:\s+(?:лучше|мне|меня|только|пожалуйста|please|me|on))*"
    r"\s+(?:на|по|в|on|my)?\s*"
    r"(?P<target>\w+(?:\s?app)?)",
    re.IGNORECASE,
)
_BRACKET = re.compile(r"\s*\(([^)]{1,20})\)")
_PREFER = re.compile(
    r"\b(?:лучше|предпочтительн\w*|основн\w*)\s+(?:на\s+)?(?P<target>\w+)",
    re.IGNORECASE,
)


def rank_phones(text: str, phones: Sequence[Entity]) -> list[Entity]:
    """*phones* (PHONE entities of *text*) in the order a lead wants them:
    the one the client asked to be called on, then mobile numbers, then the
    rest; mentions keep their order within each group."""
    ordered = sorted(phones, key=lambda phone: phone.start)
    kinds = [_kind(text, ordered, index) for index in range(len(ordered))]
    wanted, unwanted = _choice(text, ordered, kinds)

    def rank(index: int) -> tuple[int, int]:
        if index in wanted:
            group = 0
        elif index in unwanted:
            group = 3
        elif _mobile(ordered[index]):
            group = 1
        else:
            group = 2
        return group, index

    return [ordered[index] for index in sorted(range(len(ordered)), key=rank)]


def _kind(text: str, phones: Sequence[Entity], index: int) -> str | None:
    """The kind a label next to phone *index* gives it, if any: in brackets
    right after it, else the last label between it and the phone before."""
    phone = phones[index]
    following = phones[index + 1].start if index + 1 < len(phones) else len(text)
    bracket = _BRACKET.match(text, phone.end, following)
    if bracket:
        label = _LABEL.search(bracket.group(1))
        if label:
            return label.lastgroup

    previous_end = phones[index - 1].end if index else 0
    start = max(previous_end, phone.start - 25)
    previous_bracket = _BRACKET.match(text, previous_end, phone.start)
    if index and previous_bracket:
        start = max(start, previous_bracket.end())  # the previous phone's label
    labels = list(_LABEL.finditer(text, start, phone.start))
    return labels[-1].lastgroup if labels else None


def _choice(
    text: str, phones: Sequence[Entity], kinds: list[str | None]
) -> tuple[set[int], set[int]]:
    """The phones the text asks to be called on, and those it asks not to."""
    wanted: set[int] = set()
    unwanted: set[int] = set()
    spans = [(phone.start, phone.end) for phone in phones]
    for pattern in (_CHOICE, _PREFER):
        for match in pattern.finditer(text):
            if any(start <= match.start() < end for start, end in spans):
                continue
            chosen = _target(match.group("target"), kinds)
            negated = "negation" in match.groupdict() and match.group("negation")
            (unwanted if negated else wanted).update(chosen)
    return wanted - unwanted, unwanted


def _target(word: str, kinds: list[str | None]) -> set[int]:
    """The phones a word such as "мобильный" or "второй" points at."""
    label = _LABEL.fullmatch(word)
    if label is not None:
        return {index for index, kind in enumerate(kinds) if kind == label.lastgroup}
    for ordinal, words in _ORDINALS.items():
        if re.fullmatch(words, word, re.IGNORECASE) and kinds:
            position = {"first": 0, "second": 1, "third": 2}.get(ordinal, -1)
            if position < len(kinds):
                return {position % len(kinds)}
    return set()


def _mobile(phone: Entity) -> bool:
    try:
        number = phonenumbers.parse(phone.normalized or phone.value, "RU")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
