"""Russian car number plates, with Latin look-alike letters mapped to Cyrillic."""

from __future__ import annotations

import re
from collections.abc import Sequence

from leadwire.models import Entity

__all__ = ["PlateRecognizer"]

# The twelve letters plates use, and the Latin letters that look the same.
_LETTERS = "АВЕКМНОРСТУХ"
_LATIN = str.maketrans("ABEKMHOPCTYXabekmhopctyx", "АВЕКМНОРСТУХавекмнорстух")
_LETTER = "[АВЕКМНОРСТУХавекмнорстухABEKMHOPCTYXabekmhopctyx]"
_PLATE = re.compile(
    rf"(?<![\w]){_LETTER}[ ]?(?!000)\d{{3}}[ ]?{_LETTER}{{2}}[ ]?(?:\|[ ]?)?"
    r"(?:RUS[ ]?)?\d{2,3}(?:[ ]?RUS)?(?![\w])",
    re.I,
)


class PlateRecognizer:
    """Finds plates such as "А123ВС 77", "a123bc777", "х 001 хх 99"."""

    name = "plate"
    entity_types = frozenset({"PLATE"})

    def find(self, text: str) -> Sequence[Entity]:
        found = []
        for match in _PLATE.finditer(text):
            canonical = re.sub(r"[\s|]|rus", "", match.group(0), flags=re.I)
            found.append(
                Entity(
                    "PLATE",
                    match.start(),
                    match.end(),
                    match.group(0),
                    normalized=canonical.translate(_LATIN).upper(),
                    recognizer=self.name,
                )
            )
        return found
