"""Latin spellings of Russian words, back to Cyrillic ("olya" -> "оля").

Reading Latin back is ambiguous: the usual romanisations drop the soft sign
("Darya" is Дарья, "Igor" Игорь, "Olga" Ольга) and spell э as "e". :func:`spellings`
gives the plain reading first and then the likely restorations, for the
dictionary to choose from: reading letter by letter cannot tell where a soft
sign was dropped.
"""

from __future__ import annotations

import re

__all__ = ["spellings", "to_cyrillic"]

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

_CONSONANT = "бвгджзклмнпрстфхцчшщ"
# A soft sign the romanisation dropped: before an iotated vowel ("Darya",
# "Natalya"), or at the end of a word ("Igor", "Lyubov").
_SOFT_BEFORE = re.compile(rf"(?<=[{_CONSONANT}])(?=[яюеё])")
_SOFT_AT_END = re.compile(r"(?<=[лнрвтдсзм])$")
# "l" before a consonant is mostly "ль" ("Olga", "Ilnur").
_SOFT_L = re.compile(rf"л(?=[{_CONSONANT}])")


def to_cyrillic(word: str) -> str:
    """The Cyrillic spelling of a lower-case Latin *word*, by the usual rules."""
    return _PATTERN.sub(lambda match: _PAIRS[match.group(0)], word)


def spellings(word: str) -> list[str]:
    """The Cyrillic readings of a lower-case Latin *word*, likeliest first:
    the plain one, then with the soft signs and э the Latin lost."""
    plain = to_cyrillic(word)
    found = [plain]
    for candidate in (
        _SOFT_BEFORE.sub("ь", plain),
        _SOFT_AT_END.sub("ь", plain),
        _SOFT_L.sub("ль", plain),
        "э" + plain[1:] if plain.startswith("е") else plain,
        "дж" + plain[1:] if word.startswith("j") else plain,
    ):
        if candidate not in found:
            found.append(candidate)
    return found
