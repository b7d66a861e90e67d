"""Birth dates: a date named as one, or a full date too old to be an appointment."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from leadwire.models import Entity

__all__ = ["BirthdateRecognizer"]

_MONTHS = {
    "янв": 1, "фев": 2, "мар": 3, "апр": 4, "мая": 5, "май": 5, "июн": 6,
    "июл": 7, "авг": 8, "сен": 9, "окт": 10, "ноя": 11, "дек": 12,
}  # fmt: skip
_NUMERIC = r"(?P<d>\d{1,2})[./\-](?P<m>\d{1,2})[./\-](?P<y>\d{4}|\d{2})(?!\d)"
_WORDS = (
    r"(?P<wd>\d{1,2})\s+(?P<wm>янв|фев|мар|апр|мая|май|июн|июл|авг|сен|окт|ноя|дек)"
    r"[а-яё]*\.?(?:\s+(?P<wy>\d{4}|\d{2}))?(?:\s*(?:г\.|года?|гг?\b))?"
)
_DATE = re.compile(rf"(?<![\d.])(?:{_NUMERIC}|{_WORDS})", re.I)
_ISO = re.compile(r"(?<![\d.])(?P<y>19\d\d|20\d\d)-(?P<m>\d\d)-(?P<d>\d\d)(?!\d)")
_CONTEXT = re.compile(
    r"(?:родил\w*|рожден\w*|рождения|\bд\.?\s?р\.?|\bдр\b|\bг\.?\s?р\.?|"
    r"birth\w*|dob|возраст\w*)[^\d]{0,25}$",
    re.I,
)
# "1989 г.р.": a year of birth alone.
_BIRTH_YEAR = re.compile(
    r"(?<![\d.])(?P<y>19\d\d|20\d\d)\s*(?:г\.?\s?р\.?|года рождения)", re.I
)
_AFTER_CONTEXT = re.compile(r"^\s*(?:г\.?\s?р\.?|года рождения|\(д\.?р\.?\))", re.I)


class BirthdateRecognizer:
    """Finds birth dates: "д.р. 12.03.1990", "родилась 5 мая 1988", or a full
    date whose year lies well in the past (appointments are this year's)."""

    name = "birthdate"
    entity_types = frozenset({"BIRTHDATE"})

    def __init__(self, today: date | None = None) -> None:
        self._this_year = (today or date.today()).year

    def find(self, text: str) -> Sequence[Entity]:
        found = []
        for match in _BIRTH_YEAR.finditer(text):
            found.append(
                Entity(
                    "BIRTHDATE",
                    match.start(),
                    match.end(),
                    match.group(0),
                    normalized=match.group("y"),
                    recognizer=self.name,
                )
            )
        for match in [*_DATE.finditer(text), *_ISO.finditer(text)]:
            parsed = _parse(match)
            if parsed is None:
                continue
            day, month, year = parsed
            before = text[max(0, match.start() - 40) : match.start()]
            said = bool(
                _CONTEXT.search(before) or _AFTER_CONTEXT.match(text, match.end())
            )
            old = year is not None and 1900 <= year <= self._this_year - 10
            if not (said or old):
                continue
            found.append(
                Entity(
                    "BIRTHDATE",
                    match.start(),
                    match.end(),
                    match.group(0),
                    score=1.0 if said else 0.8,
                    normalized=_iso(day, month, year),
                    recognizer=self.name,
                )
            )
        return found


def _parse(match: re.Match[str]) -> tuple[int, int, int | None] | None:
    groups = match.groupdict()
    if groups.get("wm"):
        day, month = int(groups["wd"]), _MONTHS[groups["wm"].lower()[:3]]
        year_text = groups.get("wy")
    else:
        day, month = int(groups["d"]), int(groups["m"])
        year_text = groups["y"]
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None

    year = None
    if year_text:
        year = int(year_text)
        if len(year_text) == 2:
            year += 1900 if year > 30 else 2000
    return day, month, year


def _iso(day: int, month: int, year: int | None) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
