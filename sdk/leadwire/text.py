"""Cutting a long text into messages a provider accepts, at readable boundaries.

Providers cap a message in different units: WhatsApp in characters, Instagram
in UTF-8 bytes, Telegram in UTF-16 code units. :func:`split_text` takes the
unit as a *measure*, so every channel cuts the same way within its own limit.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["split_text"]

#: Boundaries from the cleanest to the roughest. A part ends where a match
#: ends, with the whitespace the match covers dropped.
_BOUNDARIES = (
    re.compile(r"\n[^\S\n]*\n\s*"),  # a paragraph break
    re.compile(r"\n\s*"),  # a line break
    re.compile(r"(?<=[.!?…])[\"'»”)\]]*\s+"),  # a sentence end, quotes kept
    re.compile(r"\s+"),  # a space between words
)

#: A boundary earlier than this share of the limit makes too short a part, so
#: a rougher boundary further on is tried first.
_SHORTEST_SHARE = 0.3


def split_text(
    text: str, limit: int, *, measure: Callable[[str], int] = len
) -> list[str]:
    """Cut *text* into parts whose *measure* is at most *limit*.

    A cut falls between paragraphs if it can, else between lines, then after a
    sentence, then between words; a word is cut only when no boundary fits at
    all. A boundary that leaves a part under 30 % of the limit gives way to a
    rougher one further on, if there is one. Whitespace at the cuts is
    dropped; an all-blank text gives no parts.

    :param limit: The most a part may measure; at least 1.
    :param measure: The size of a part in the provider's unit, at least 1 a
        character: ``len`` counts characters, ``lambda part: len(part.encode())``
        UTF-8 bytes.
    :raises ValueError: if *limit* is below 1.
    """
    if limit < 1:
        raise ValueError(f"a part's limit must be at least 1, not {limit}")

    parts: list[str] = []
    rest = text.strip()

    while measure(rest) > limit:
        cut = _cut_point(rest, limit, measure)
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()

    if rest:
        parts.append(rest)
    return parts


def _cut_point(rest: str, limit: int, measure: Callable[[str], int]) -> int:
    """The offset to cut *rest* at: the end of the best boundary that fits.

    The window holds one character past the longest part that fits, so that a
    boundary right after it is found too.
    """
    fitting = _longest_fitting(rest, limit, measure)
    window = rest[: fitting + 1]
    shortest = max(1, int(limit * _SHORTEST_SHARE))
    too_short = None

    for boundary in _BOUNDARIES:
        end = _last_fitting_end(boundary, window, limit, measure)
        if end is None:
            continue
        if measure(window[:end].rstrip()) >= shortest:
            return end
        too_short = too_short or end

    # A short part beats a word cut in two.
    return too_short or fitting


def _last_fitting_end(
    boundary: re.Pattern[str], window: str, limit: int, measure: Callable[[str], int]
) -> int | None:
    """Where the last match of *boundary* that leaves a fitting part ends."""
    for match in reversed(list(boundary.finditer(window))):
        part = window[: match.end()].rstrip()
        if part and measure(part) <= limit:
            return match.end()
    return None


def _longest_fitting(rest: str, limit: int, measure: Callable[[str], int]) -> int:
    """The length of the longest prefix of *rest* that fits, at least one character."""
    low, high = 1, min(len(rest), limit)
    while low < high:
        middle = (low + high + 1) // 2
        if measure(rest[:middle]) <= limit:
            low = middle
        else:
            high = middle - 1
    return low
