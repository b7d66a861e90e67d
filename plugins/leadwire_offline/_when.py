"""The day and time a client asks for, as short normalised text.

Reads common Russian phrasings ("завтра", "в субботу", "15.12 в 11",
"20 декабря в 7 вечера", "к 15:30") and a few English ones ("tomorrow at
3pm", "on Saturday at 15:00"). No calendar is consulted and no clock is read,
so the same text always gives the same result: "завтра в 15:00" stays
relative, and the administrator resolves it.

A bare hour from 1 to 8 ("в 3") is taken as afternoon: a business books at
three in the afternoon, not at night.
"""

from __future__ import annotations

import re

import attrs

__all__ = ["When", "find_when"]

_MONTHS_RU = (
    "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
)
_MONTHS_EN = (
    "january|february|march|april|may|june|july|august|september|october|november|"
    "december"
)

# Words that make a number after "в" a count, not an hour: "в 2 этапа".
_COUNTED = r"раз|этап|руб|₽|тыс|мин|шт|чел|мастер|процедур|дн|недел|месяц|год|лет|%"

# Weekday stems, their accusative form, and the gender its modifiers agree with.
_WEEKDAYS_RU = {
    "понедельник": ("понедельник", "m"),
    "вторник": ("вторник", "m"),
    "сред": ("среду", "f"),
    "четверг": ("четверг", "m"),
    "пятниц": ("пятницу", "f"),
    "суббот": ("субботу", "f"),
    "воскресень": ("воскресенье", "n"),
}
_MODIFIERS_RU = {
    "эт": {"m": "этот", "f": "эту", "n": "это"},
    "следующ": {"m": "следующий", "f": "следующую", "n": "следующее"},
    "ближайш": {"m": "ближайший", "f": "ближайшую", "n": "ближайшее"},
}

_RELATIVE_RU = re.compile(r"(?<!\w)(сегодня|послезавтра|завтра|на выходных)(?!\w)")
_WEEKDAY_RU = re.compile(
    r"(?<!\w)(?:(?:в|во|на)\s+)?(?:(эт|следующ|ближайш)\w*\s+)?"
    r"(понедельник|вторник|сред|четверг|пятниц|суббот|воскресень)\w*"
)
_DATE_WORDS_RU = re.compile(
    rf"(?<!\w)(\d{{1,2}})(?:-?(?:го|е))?\s+({_MONTHS_RU})(?!\w)"
)
_DATE_NUMBERS = re.compile(
    r"(?<![\w.:/])(?<!в )(?<!к )(?<!at )(\d{1,2})[./](\d{1,2})(?:[./](\d{2}|\d{4}))?"
    r"(?![\w:/]|\.\d)"
)
_CLOCK = re.compile(
    r"(?<![\w.:])(?:(в|к|около|после|до|с|at|by|after|before|around)\s+)?"
    r"(\d{1,2})[:.](\d{2})(?:\s*(am|pm))?(?![\w.:])"
)
_HOUR = re.compile(
    r"(?<!\w)(в|к|около|после|до|с|at|by|after|before|around)\s+(\d{1,2})"
    r"(?:\s*(?:час(?:а|ов)?|ч)(?!\w))?(?:\s*(утра|дня|вечера|ночи|am|pm))?"
    r"(?![\w.,:]\d|\w)"
    rf"(?!\s*(?:{_COUNTED}))"
)
_NOON = re.compile(r"(?<!\w)(?:в\s+)?(полдень)(?!\w)|(?<!\w)(?:at\s+)?(noon)(?!\w)")
_PART_RU = re.compile(r"(?<!\w)(утром|днем|днём|вечером|после обеда)(?!\w)")

_RELATIVE_EN = re.compile(
    r"(?<!\w)(today|tomorrow|the day after tomorrow|tonight)(?!\w)"
)
_WEEKDAY_EN = re.compile(
    r"(?<!\w)(?:on\s+)?(next\s+|this\s+)?"
    r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?!\w)"
)
_DATE_WORDS_EN = re.compile(
    rf"(?<!\w)(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTHS_EN})|({_MONTHS_EN})\s+"
    rf"(\d{{1,2}})(?:st|nd|rd|th)?)(?!\w)"
)


@attrs.frozen
class When:
    """A day and a clock time; either may be missing."""

    day: str | None = None
    clock: str | None = None

    def __bool__(self) -> bool:
        return bool(self.day or self.clock)

    def merged(self, earlier: When) -> When:
        """Fill what this one lacks from what the client said *earlier*."""
        return When(self.day or earlier.day, self.clock or earlier.clock)

    def text(self, *, english: bool = False) -> str | None:
        """The whole of it as one phrase: ``завтра в 15:00``."""
        if self.day and self.clock:
            joiner = " " if not english or " " in self.clock else " at "
            return f"{self.day}{joiner}{self.clock}"
        return self.day or self.clock


def find_when(text: str) -> When:
    """Find the day and time in one message; the first mention of each wins."""
    lowered = text.lower().replace("ё", "е")

    day, lowered = _day(lowered)
    clock = _clock(lowered)
    if clock is None:
        part = _PART_RU.search(lowered)
        clock = part.group(1).replace("днём", "днем") if part else None
    return When(day, clock)


def _day(text: str) -> tuple[str | None, str]:
    """The day mentioned first, and the text with every date blanked out."""
    found: list[tuple[int, str]] = []

    for match in _RELATIVE_RU.finditer(text):
        found.append((match.start(), match.group(1)))
    for match in _WEEKDAY_RU.finditer(text):
        found.append((match.start(), _weekday_ru(match)))
    for match in _DATE_WORDS_RU.finditer(text):
        found.append((match.start(), f"{int(match.group(1))} {match.group(2)}"))
    for match in _RELATIVE_EN.finditer(text):
        found.append((match.start(), match.group(1)))
    for match in _WEEKDAY_EN.finditer(text):
        found.append((match.start(), _weekday_en(match)))
    for match in _DATE_WORDS_EN.finditer(text):
        found.append((match.start(), _date_en(match)))

    blanked = text
    for match in _DATE_NUMBERS.finditer(text):
        date = _numeric_date(match)
        if date is None:
            continue
        found.append((match.start(), date))
        blanked = (
            blanked[: match.start()] + " " * len(match[0]) + blanked[match.end() :]
        )

    found.sort()
    return (found[0][1] if found else None), blanked


def _weekday_ru(match: re.Match[str]) -> str:
    day, gender = _WEEKDAYS_RU[match.group(2)]
    preposition = "во" if day == "вторник" else "в"
    modifier = _MODIFIERS_RU[match.group(1)][gender] + " " if match.group(1) else ""
    return f"{preposition} {modifier}{day}"


def _weekday_en(match: re.Match[str]) -> str:
    modifier = (match.group(1) or "").strip()
    day = match.group(2).capitalize()
    return f"{modifier} {day}" if modifier else f"on {day}"


def _date_en(match: re.Match[str]) -> str:
    number = match.group(1) or match.group(4)
    month = (match.group(2) or match.group(3)).capitalize()
    return f"{month} {int(number)}"


def _numeric_date(match: re.Match[str]) -> str | None:
    day, month, year = int(match.group(1)), int(match.group(2)), match.group(3)
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    date = f"{day:02d}.{month:02d}"
    return f"{date}.{year}" if year else date


def _clock(text: str) -> str | None:
    """The clock time mentioned first, as ``в 15:00`` or ``after 18:00``."""
    found: list[tuple[int, str]] = []

    for match in _CLOCK.finditer(text):
        hour, minute = int(match.group(2)), int(match.group(3))
        hour = _hour(hour, match.group(4), assume_afternoon=False)
        if hour is not None and minute < 60:
            found.append((match.start(), _say(match.group(1), hour, minute)))

    for match in _HOUR.finditer(text):
        hour = _hour(int(match.group(2)), match.group(3), assume_afternoon=True)
        if hour is not None:
            found.append((match.start(), _say(match.group(1), hour, 0)))

    for match in _NOON.finditer(text):
        found.append((match.start(), "at 12:00" if match.group(2) else "в 12:00"))

    found.sort()
    return found[0][1] if found else None


def _hour(hour: int, qualifier: str | None, *, assume_afternoon: bool) -> int | None:
    """The hour on a 24-hour clock, or None if it cannot be one."""
    if qualifier in ("дня", "вечера", "pm") and 1 <= hour < 12:
        hour += 12
    elif qualifier in ("ночи", "am") and hour == 12:
        hour = 0
    elif qualifier is None and assume_afternoon and 1 <= hour <= 8:
        hour += 12
    return hour if 0 <= hour <= 23 else None


def _say(preposition: str | None, hour: int, minute: int) -> str:
    return f"{preposition or 'в'} {hour:02d}:{minute:02d}"
