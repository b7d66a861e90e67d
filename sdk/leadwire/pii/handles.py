"""Messenger handles: Telegram @usernames and t.me links."""

from __future__ import annotations

import re
from collections.abc import Sequence

from leadwire.models import Entity

__all__ = ["HandleRecognizer"]

# Telegram usernames: 5-32 characters, letters, digits and underscores,
# starting with a letter. Shorter ones are taken too: people shorten them.
_HANDLE = re.compile(
    r"(?<![\w.@])@(?P<name>[A-Za-z][A-Za-z0-9_]{2,31})(?![\w@])"
    r"|(?:https?://)?(?:t\.me|telegram\.me|tg://resolve\?domain=)/?"
    r"(?P<link>[A-Za-z][A-Za-z0-9_]{2,31})(?!\w)",
    re.I,
)


class HandleRecognizer:
    """Finds @handles and t.me links; the canonical form is ``@name`` lower case."""

    name = "handle"
    entity_types = frozenset({"HANDLE"})

    def find(self, text: str) -> Sequence[Entity]:
        found = []
        for match in _HANDLE.finditer(text):
            username = match.group("name") or match.group("link")
            found.append(
                Entity(
                    "HANDLE",
                    match.start(),
                    match.end(),
                    match.group(0),
                    normalized="@" + username.lower(),
                    recognizer=self.name,
                )
            )
        return found
