"""E-mail addresses, Latin and Cyrillic, also two glued together."""

from __future__ import annotations

import re
from collections.abc import Sequence

from leadwire.models import Entity

__all__ = ["EmailRecognizer"]

_ADDRESS = r"[\w.%+\-]+@(?:[\w\-]+\.)+[A-Za-zА-Яа-яЁё]{2,24}(?!\w)"
_EMAIL = re.compile(rf"(?<![\w.%+\-]){_ADDRESS}")
_NEXT = re.compile(_ADDRESS)
# Top-level domains seen in Russian chats, longest first, to split glued
# addresses such as "ivan@mail.ruolga@ya.ru".
_TLDS = ("info", "com", "net", "org", "biz", "рф", "ru", "su", "by", "kz", "ua", "io")
_GLUED = re.compile(r"[\w.%+\-]+@")


class EmailRecognizer:
    """Finds e-mail addresses; the canonical form is lower case."""

    name = "email"
    entity_types = frozenset({"EMAIL"})

    def find(self, text: str) -> Sequence[Entity]:
        found = []
        position = 0
        glued = False
        while True:
            # Right after a split, the next address starts at once.
            match = (_NEXT.match if glued else _EMAIL.search)(text, position)
            if match is None:
                return found
            start, end = match.span()
            glued = False
            if text.startswith("@", end):
                split = _split_glued(text, start, end)
                glued = split < end
                end = split
            found.append(
                Entity(
                    "EMAIL",
                    start,
                    end,
                    text[start:end],
                    normalized=text[start:end].casefold(),
                    recognizer=self.name,
                )
            )
            position = end


def _split_glued(text: str, start: int, end: int) -> int:
    """Where the first of two glued addresses ends: after the first known
    top-level domain that the next address's local part follows."""
    domain_start = text.index("@", start) + 1
    for dot in range(domain_start, end):
        if text[dot] != ".":
            continue
        for tld in _TLDS:
            tail = text[dot + 1 : dot + 1 + len(tld)]
            if tail.lower() == tld and _GLUED.fullmatch(
                text, dot + 1 + len(tld), end + 1
            ):
                return dot + 1 + len(tld)
    return end
