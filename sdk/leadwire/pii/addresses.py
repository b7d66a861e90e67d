"""Postal addresses down to the house: a street and a house number, at least.

A bare city, a metro station or a shopping centre is not personal data on
its own; a street with a house (and a flat, a building) is. Addresses are
found in three shapes: a street marker before or after the street's name
("ул. Ленина, д. 5, кв. 12", "Садовая улица 5"), and the informal "живу на
ленина 5-12", where the verb stands in for the marker.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from leadwire.models import Entity

__all__ = ["AddressRecognizer"]

_MARKER = (
    r"(?:ул(?:ица|ице|ицу|ицы)?|пр-к?т|просп(?:ект\w*)?|пр|пер(?:еул\w*)?|б-р|бул"
    r"|бульвар\w*|ш|шоссе|наб(?:ережн\w*)?|пл(?:ощад\w*)?|проезд\w*|мкр(?:н)?"
    r"|микрорайон\w*|туп(?:ик\w*)?|алле[яеи]|лини[яие]|тракт\w*|кв-л|квартал\w*"
    r"|ст-ца|снт|тер)"
)
_MARKER_AFTER = (
    r"(?:ул\.|улица|улице|проспект|пр-т|пер\.|переулок|переулке|бульвар|б-р"
    r"|шоссе|наб\.|набережная|набережной|площадь|проезд|аллея)"
)
# A street named before its marker is an adjective: "Садовая улица".
_ADJECTIVE = r"ая|яя|ий|ый|ой|ее|ое"
_NAME = r"(?:[\w\-]+\.?\s+){0,3}?[\w\-]+"
_HOUSE = r"(?:(?:д\.|дом|д)\s*)?\d{1,4}(?:[а-яa-z](?![а-яa-z\d]))?(?:\s?/\s?\d{1,4})?"
_PART = (
    r"(?:[\s,]*(?:корп(?:ус)?\.?|к\.?|стр(?:оение)?\.?|с\.|лит(?:ера)?\.?"
    r"|кв(?:артира)?\.?|оф(?:ис)?\.?|под(?:ъезд)?\.?|эт(?:аж)?\.?)\s*\d{1,4}[а-я]?"
    r"|-\d{1,4}(?![\d:.]))"
)
# A house number is not followed by a unit: "Ленина 2 часа", "Мира 5 руб".
_NOT_UNIT = (
    r"(?!\d)(?![:.,]\d)(?!\s*(?:час|мин|руб|р\b|₽|%|шт|раз|дн|недел|мес|год|лет|тыс|к\b"
    r"|человек|чел|штук|процент|мл|гр|кг|см|мм|м\b))"
)
_CITY = r"(?:(?:\d{6},?\s*)?(?:г\.|город|гор\.)\s*[А-ЯЁа-яё][\w\-]+,?\s*)?"
_INFORMAL = (
    r"(?:живу|живём|живем|проживаю|прописан\w*|прописка|адрес\w*|достав\w*)"
    r"\s*:?\s*(?:на|по|в)?\s*(?:адресу\s*:?\s*)?"
)

_ADDRESS = re.compile(
    rf"{_CITY}(?<![\w\-])(?:{_MARKER})(?![\w\-])\.?\s*{_NAME}\s*,?\s*{_HOUSE}{_NOT_UNIT}(?:{_PART})*"
    rf"|(?<![\w\-])(?:[А-ЯЁа-яё][\w\-]+\s)?[А-ЯЁа-яё][\w\-]*(?:{_ADJECTIVE})"
    rf"\s+{_MARKER_AFTER}\s*,?\s*{_HOUSE}"
    rf"{_NOT_UNIT}(?:{_PART})*"
    rf"|(?<![\w\-])(?:д\.|дом)\s*\d{{1,4}}[а-я]?(?:{_PART})+",
    re.IGNORECASE,
)
# "я на лесная 90-164": a house and a flat after "на" stand for the marker.
_HOUSE_FLAT = re.compile(
    r"(?<![\w\-])на\s+(?P<address>(?:\d{1,2}\s)?[А-ЯЁа-яё][\w\-]+"
    r"(?:\s[А-ЯЁа-яё][\w\-]+)?"
    r"\s+\d{1,4}[а-я]?\s?-\s?\d{1,4}(?![\d:.]))",
    re.IGNORECASE,
)
_INFORMAL_ADDRESS = re.compile(
    rf"{_INFORMAL}(?P<address>(?!(?:ул|улиц|пр|пер)\w*)(?:\d{{1,2}}\s)?[А-ЯЁа-яё][\w\-]+"
    r"(?:\s[\w\-]+)?"
    rf"\s*,?\s*{_HOUSE}{_NOT_UNIT}(?:{_PART})*)",
    re.IGNORECASE,
)


class AddressRecognizer:
    """Finds addresses with a house number; the canonical form is lower case."""

    name = "address"
    entity_types = frozenset({"ADDRESS"})

    def find(self, text: str) -> Sequence[Entity]:
        spans = [m.span() for m in _ADDRESS.finditer(text)]
        spans += [m.span("address") for m in _INFORMAL_ADDRESS.finditer(text)]
        spans += [m.span("address") for m in _HOUSE_FLAT.finditer(text)]
        found = []
        for start, end in sorted(set(spans)):
            value = text[start:end].rstrip(" ,")
            end = start + len(value)
            found.append(
                Entity(
                    "ADDRESS",
                    start,
                    end,
                    value,
                    score=0.9,
                    normalized=" ".join(re.findall(r"\w+", value.casefold())),
                    recognizer=self.name,
                )
            )
        return found
