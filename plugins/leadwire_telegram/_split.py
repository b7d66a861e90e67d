"""Splitting a long text into messages that fit Telegram's limit.

Telegram measures a message in UTF-16 code units (an emoji outside the basic
plane counts twice), so that is what the limit is checked against. A text is
cut at the last paragraph break that leaves a part not too short, else at a
line break, a sentence end, a space, and only as a last resort mid-word.
"""

from __future__ import annotations

import re

__all__ = ["TELEGRAM_TEXT_LIMIT", "split_text", "utf16_length"]

#: The most a sendMessage text may hold, in UTF-16 code units.
TELEGRAM_TEXT_LIMIT = 4096

#: Boundaries from the cleanest to the roughest; each match ends where a part
#: may end, and the whitespace it covers is dropped.
_BOUNDARIES = (
    re.compile(r"\n[ \t]*\n\s*"),
    re.compile(r"\n\s*"),
    re.compile(r"(?<=[.!?…])[\"'»”)\]]*\s+"),
    re.compile(r"\s+"),
)


def utf16_length(text: str) -> int:
    """The length of *text* as Telegram counts it."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Split *text* into parts of at most *limit* UTF-16 units, cut cleanly.

    Whitespace at the cuts is dropped; the parts joined with the dropped
    whitespace give the text back. An all-blank text gives no parts.
    """
    parts = []
    rest = text.strip()
    while utf16_length(rest) > limit:
        window = rest[: _fitting(rest, limit)]
        end, resume = _cut(window)
        parts.append(rest[:end].rstrip())
        rest = rest[resume:].lstrip()
    if rest:
        parts.append(rest)
    return parts


def _fitting(text: str, limit: int) -> int:
    """The number of characters of *text* whose UTF-16 length is within *limit*."""
    count = min(len(text), limit)
    while (excess := utf16_length(text[:count]) - limit) > 0:
        count -= max(1, excess // 2)
    return count


def _cut(window: str) -> tuple[int, int]:
    """Where the part taken from *window* ends, and where the next part starts."""
    # A cleaner boundary wins unless it leaves a part under 30 % of the window.
    least = len(window) * 3 // 10
    fallback = None
    for boundary in _BOUNDARIES:
        matches = [match for match in boundary.finditer(window) if match.start() > 0]
        if not matches:
            continue
        last = matches[-1]
        if last.start() >= least:
            return last.start(), last.end()
        fallback = fallback or (last.start(), last.end())
    return fallback or (len(window), len(window))
