"""Phone numbers as Russians write them, normalised to E.164 by ``phonenumbers``."""

from __future__ import annotations

import re
from collections.abc import Sequence

import phonenumbers

from leadwire.models import Entity

__all__ = ["PhoneRecognizer"]

# A run of digits with the separators people put between them. Runs start
# at a digit or "+", never inside a longer number or a Latin code (a UUID,
# an order "A1234..."), and may touch Cyrillic words ("звоните89161234567").
# A run may hold several phones: it is split below.
_RUN = re.compile(
    r"(?<![\dA-Za-z_+])\+?\s?\(?\d(?:[ \t\-.()\u00a0\u2010-\u2015]{0,3}\d)+"
)
_GROUP = re.compile(r"\d+")
_EXTENSION = re.compile(
    r"\s*[,(]?\s*(?:доб(?:авочный)?|доп|вн|ext|x)\.?\s*[:№#]?\s*(\d{1,5})\)?",
    re.IGNORECASE,
)
# Words before a number that make it something other than a phone.
_NOT_PHONE = re.compile(
    r"(?:заказ\w*|order|№|#|id|артикул\w*|чек\w*|счет\w*|счёт\w*|"
    r"договор\w*|накладн\w*|трек\w*|паспорт\w*|снилс\w*|инн|полис\w*|"
    r"карт\w*|серия|номер\s+(?:заказа|чека|договора))\s*[:№#]?\s*$",
    re.IGNORECASE,
)
_PHONE_CONTEXT = re.compile(
    r"(?:тел\w*|phone|моб\w*|номер\w*|звон\w*|whatsapp|вотсап|ватсап)\W{0,3}$",
    re.IGNORECASE,
)


# Scores: numbers that phonenumbers calls valid score at least this; merely
# possible ones (a range not yet in its metadata) score less.
_VALID = 0.9


class PhoneRecognizer:
    """Finds phones: +7/8 and ten digits in every grouping, landlines with a city
    code, foreign numbers with a leading ``+``, extensions ("доб. 123")."""

    name = "phone"
    entity_types = frozenset({"PHONE"})

    def find(self, text: str) -> Sequence[Entity]:
        found = []
        for run in _RUN.finditer(text):
            found.extend(self._split(text, run.start(), run.end()))
        return found

    def _split(self, text: str, start: int, end: int) -> list[Entity]:
        """Take phones from a run, group by group, left to right."""
        groups = list(_GROUP.finditer(text, start, end))
        found = []
        index = 0
        while index < len(groups):
            entity = self._phone_from(text, start, groups, index)
            if entity is None:
                index += 1
                continue
            found.append(entity)
            while index < len(groups) and groups[index].start() < entity.end:
                index += 1
        return found

    def _phone_from(
        self, text: str, run_start: int, groups: list[re.Match[str]], index: int
    ) -> Entity | None:
        """The phone starting at group *index*: its longest valid reading, else
        its longest possible one ("+375 29 000-12-34" must not stop at 10)."""
        digits = ""
        possible = []
        for last in range(index, len(groups)):
            digits += groups[last].group()
            if len(digits) > 15:
                break
            if len(digits) < 10:
                continue
            begin = groups[index].start()
            if index == 0 and text[run_start] == "+":
                begin = run_start
            elif begin > 0 and text[begin - 1] == "(":
                begin -= 1
            entity = self._judge(text, begin, groups[last].end())
            if entity is not None:
                possible.append(entity)
        valid = [entity for entity in possible if entity.score >= _VALID]
        return max(valid or possible, key=lambda e: e.end, default=None)

    def _judge(self, text: str, start: int, end: int) -> Entity | None:
        raw = text[start:end]
        digits = re.sub(r"\D", "", raw)
        before = text[max(0, start - 30) : start]
        if _NOT_PHONE.search(before):
            return None

        if raw.startswith("+"):
            number = _parse(raw, None)
            score = 1.0
        elif len(digits) == 11 and digits[0] in "78":
            number = _parse("+7" + digits[1:], None)
            score = 1.0
        elif len(digits) == 10 and (
            digits[0] == "9" or "(" in raw or _PHONE_CONTEXT.search(before)
        ):
            number = _parse(digits, "RU")
            score = 0.9
        else:
            return None
        if number is None or not phonenumbers.is_possible_number(number):
            return None

        extension = _EXTENSION.match(text, end)
        if extension:
            end = extension.end()
        if not phonenumbers.is_valid_number(number):
            score -= 0.2  # below _VALID
        return Entity(
            "PHONE",
            start,
            end,
            text[start:end],
            score=score,
            normalized=_e164(number, extension.group(1) if extension else ""),
            recognizer="phone",
        )


def _parse(raw: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None


def _e164(number: phonenumbers.PhoneNumber, extension: str) -> str:
    formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return f"{formatted};ext={extension}" if extension else formatted
