"""A third party's plugin: Kazakhstan's individual identification number (IIN).

Written as a plugin module would be, importing only from ``leadwire``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from leadwire import Entity, hookimpl


def iin_valid(number: str) -> bool:
    """The IIN's control digit: weights 1..11, then 3..11,1,2 if the first gives 10."""
    values = [int(d) for d in number]
    for weights in (range(1, 12), [*range(3, 12), 1, 2]):
        check = sum(v * w for v, w in zip(values[:11], weights, strict=True)) % 11
        if check != 10:
            return check == values[11]
    return False


def make_iin(first_eleven: str) -> str | None:
    """An IIN from eleven digits, or None when they admit no control digit."""
    for last in "0123456789":
        if iin_valid(first_eleven + last):
            return first_eleven + last
    return None


class KazakhIinRecognizer:
    name = "kz-iin"
    entity_types = frozenset({"KZ_IIN"})
    _CANDIDATE = re.compile(r"(?<!\d)\d{12}(?!\d)")

    def find(self, text: str) -> Sequence[Entity]:
        return [
            Entity("KZ_IIN", m.start(), m.end(), m.group(), recognizer=self.name)
            for m in self._CANDIDATE.finditer(text)
            if iin_valid(m.group())
        ]


@hookimpl
def leadwire_register_recognizers(register):
    register(KazakhIinRecognizer())
