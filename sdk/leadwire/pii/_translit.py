"""Latin spellings of Russian words, back to Cyrillic ("olya" -> "оля")."""

from __future__ import annotations

import re

__all__ = ["to_cyrillic"]

_PAIRS = {
    "shch": "щ", "sch": "щ", "zh": "ж", "kh": "х", "ts": "ц", "ch": "ч", "sh": "ш",
    "yu": "ю", "ju": "ю", "ya": "я", "ja": "я", "yo": "ё", "jo": "ё", "ye": "е",
    "iy": "ий", "ey": "ей", "ay": "ай", "oy": "ой", "uy": "уй", "ia": "ия",
    "a": "а", "b": "б", "v": "в", "w": "в", "g": "г", "d": "д", "e": "е", "z": "з",
    "i": "и", "j": "й", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п",
    "r": "р", "s": "с", "t": "т", "u": "у", "f": "ф", "h": "х", "c": "к", "x": "кс",
    "q": "к", "y": "ы", "'": "ь",
}  # fmt: skip
_PATTERN = re.compile("|".join(sorted(map(re.escape, _PAIRS), key=len, reverse=True)))


def to_cyrillic(word: str) -> str:
    """The Cyrillic spelling of a lower-case Latin *word*, by the usual rules."""
    return _PATTERN.sub(lambda match: _PAIRS[match.group(0)], word)
