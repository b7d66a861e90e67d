"""Document and account numbers: passport, SNILS, INN, card, OMS policy, account.

A number is classified by its digit count, its check digits and the words
before it. Check digits make a bare number trustworthy; the words make it
personal data even when a digit was mistyped ("мой снилс ..." with a wrong
checksum is still a SNILS).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from leadwire.models import Entity
from leadwire.pii.checksums import inn_valid, luhn_valid, snils_valid

__all__ = ["DocumentRecognizer"]

# Digits in groups separated by one space or dash, as documents are written.
_NUMBER = re.compile(r"(?<![\dA-Za-z_.,:/])\d(?:[ \-\u00a0]?\d)+(?![\d]|[.,:/]\d)")


def _typos(*words: str) -> str:
    """An alternation of *words* and their one-swap typos ("паспрот", "снлис")."""
    variants = set(words)
    for word in words:
        for i in range(len(word) - 1):
            variants.add(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
    return "|".join(sorted(variants, key=len, reverse=True))


# What the few words before a number say it is; fast typers swap letters.
_CONTEXT = {
    "SNILS": re.compile(
        rf"(?:{_typos('снилс')}|снилз|snils|страхов\w*\s+(?:номер|свид\w*))", re.I
    ),
    "INN": re.compile(r"(?:\bинн|\binn\b)", re.I),
    "PASSPORT": re.compile(
        rf"(?:(?:{_typos('паспорт')})\w*|pasport|серия|серии|серию)", re.I
    ),
    "CARD": re.compile(r"(?:карт[аыуеоч]\w*|karta|card|\bкк\b)", re.I),
    "OMS": re.compile(rf"(?:(?:{_typos('полис')})\w*|\bомс\b|oms\b|страховк\w*)", re.I),
    "ACCOUNT": re.compile(r"(?:сч[её]т\w*|р/с|\bрс\b|расч[её]тн\w*|лицев\w*)", re.I),
}
_NOT_PERSONAL = re.compile(
    r"(?:заказ\w*|order|артикул\w*|чек\w*|накладн\w*|трек\w*|купон\w*|"
    r"промокод\w*|№|#|\bid\b)\s*[:№#]?\s*$",
    re.I,
)
# Searched in the words after "паспорт" with everything but digits blanked.
_PASSPORT = re.compile(r"(?<!\d)(?P<series>\d{2} ?\d{2}) *(?P<number>\d{6})(?!\d)")


class DocumentRecognizer:
    """Finds SNILS, INN, card, OMS, passport and account numbers."""

    name = "documents"
    entity_types = frozenset({"PASSPORT", "SNILS", "INN", "CARD", "OMS", "ACCOUNT"})

    def find(self, text: str) -> Sequence[Entity]:
        found = [*self._passports(text)]
        for match in _NUMBER.finditer(text):
            entity = self._classify(text, match.start(), match.end())
            if entity is not None:
                found.append(entity)
        return found

    def _classify(self, text: str, start: int, end: int) -> Entity | None:
        digits = re.sub(r"\D", "", text[start:end])
        before = text[max(0, start - 40) : start]
        said = _said(before)
        if _NOT_PERSONAL.search(before) and not said:
            return None

        kind, score = _kind(digits, text[start:end], said)
        if kind is None:
            return None
        return Entity(
            kind,
            start,
            end,
            text[start:end],
            score=score,
            normalized=digits,
            recognizer=self.name,
        )

    def _passports(self, text: str) -> list[Entity]:
        """Series and number after "паспорт"/"серия", possibly with words between."""
        found = []
        for context in _CONTEXT["PASSPORT"].finditer(text):
            window = text[context.end() : context.end() + 40]
            match = _PASSPORT.search(re.sub(r"\D", " ", window))
            if match is None:
                continue
            start = context.end() + match.start()
            end = context.end() + match.end()
            found.append(
                Entity(
                    "PASSPORT",
                    start,
                    end,
                    text[start:end],
                    normalized=match.group("series").replace(" ", "")
                    + match.group("number"),
                    recognizer=self.name,
                )
            )
        return found


def _said(before: str) -> str | None:
    """The document named last in the words before a number, if any."""
    best = None
    best_at = -1
    for kind, pattern in _CONTEXT.items():
        for match in pattern.finditer(before):
            if match.start() > best_at and not re.search(r"\d", before[match.end() :]):
                best, best_at = kind, match.start()
    return best


def _kind(digits: str, raw: str, said: str | None) -> tuple[str | None, float]:
    """The document kind of *digits* and how sure that is."""
    length = len(digits)
    if said == "PASSPORT" and length == 10:
        return "PASSPORT", 1.0
    if said == "SNILS" and length == 11:
        return "SNILS", 1.0
    if said == "INN" and length in (10, 12):
        return "INN", 1.0
    if said == "OMS" and length == 16:
        return "OMS", 1.0
    if said == "CARD" and 13 <= length <= 19:
        return "CARD", 1.0
    if said == "ACCOUNT" and length == 20:
        return "ACCOUNT", 1.0

    if length == 20:
        return "ACCOUNT", 0.9
    if 13 <= length <= 19 and luhn_valid(digits):
        return "CARD", 0.95
    if length == 11 and snils_valid(digits) and digits[0] not in "78":
        return "SNILS", 0.95
    if (
        length == 11
        and snils_valid(digits)
        and re.fullmatch(r"\d{3}-\d{3}-\d{3}[ -]\d{2}", raw)
    ):
        return "SNILS", 0.95
    if length in (10, 12) and inn_valid(digits):
        return "INN", 0.85
    if length == 16:
        # Sixteen digits are a card or a policy; a policy's has no Luhn digit.
        return "OMS", 0.6
    return None, 0.0
