"""Cutting long texts into parts a provider accepts, at readable boundaries."""

from __future__ import annotations

import re
from collections.abc import Callable

_PARAGRAPH = re.compile(r"\n[^\S\n]*\n\s*")
_LINE = re.compile(r"\n\s*")
#: Where a sentence ends: a stop, possibly a closing quote or bracket, a space.
_SENTENCE_END = re.compile(r"[.!?…][\"»)\]]*\s+")
_SPACE = re.compile(r"\s+")

#: A boundary earlier than this share of the limit makes too short a part, so
#: the next finer boundary is tried instead.
_SHORTEST_SHARE = 0.3


def split_text(text: str, limit: int, size: Callable[[str], int] = len) -> list[str]:
    """Cut *text* into parts whose *size* is at most *limit*.

    Cuts fall between paragraphs if they can, else between lines, then after a
    sentence, then between words; a word is cut only when it alone exceeds the
    limit. Whitespace at the cuts is dropped; an empty text gives no parts.
    *size* measures a part (characters by default, or encoded bytes).
    """
    parts: list[str] = []
    rest = text.strip()

    while size(rest) > limit:
        cut = _cut_point(rest, limit, size)
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()

    if rest:
        parts.append(rest)
    return parts


def _cut_point(rest: str, limit: int, size: Callable[[str], int]) -> int:
    """The offset to cut *rest* at: the end of the best boundary that fits.

    The window holds one character past the limit, so that a boundary right
    after the last character that fits is found too.
    """
    window = rest[: limit + 1]
    shortest = max(1, int(limit * _SHORTEST_SHARE))

    for boundary in (_PARAGRAPH, _LINE, _SENTENCE_END, _SPACE):
        ends = [
            match.end()
            for match in boundary.finditer(window)
            if shortest <= size(window[: match.end()].rstrip()) <= limit
        ]
        if ends:
            return ends[-1]
    return _longest_fitting(rest, limit, size)


def _longest_fitting(rest: str, limit: int, size: Callable[[str], int]) -> int:
    """The length of the longest prefix of *rest* that fits, at least one character."""
    low, high = 1, min(len(rest), limit)
    while low < high:
        middle = (low + high + 1) // 2
        if size(rest[:middle]) <= limit:
            low = middle
        else:
            high = middle - 1
    return low


def shorten(title: str, limit: int) -> str:
    """Fit a button title into *limit* characters, marking a cut with an ellipsis."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    return title[: limit - 1].rstrip() + "…"
