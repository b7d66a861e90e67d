"""Finding a dialogue's personal values where they must never be.

A :class:`Tracer` knows the persona of one dialogue and finds its values in a
text: exactly as written, in other letter case, a name in another grammatical
case (``Алина``, ``Алину``), a phone with other separators (``8 (900)``,
``+7900``). The same patterns redact reports, so that a report can be sent to
a client.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs

from leadwire_harness.dialogue import Persona

__all__ = ["Leak", "Tracer"]

_WORD = re.compile(r"[^\W\d_]+")
_MIN_WORD = 3  # shorter words are too common to mean anything


@attrs.frozen
class Leak:
    """A personal value found where it must not be.

    :param label: Which value (``persona.phone``): never the value itself.
    :param where: Where it was found (``LLM request 2``, ``log record``).
    :param context: The text around it, with the value redacted.
    """

    label: str
    where: str
    context: str

    def __str__(self) -> str:
        return f"{self.label} found in {self.where}: …{self.context}…"


def _digits_pattern(value: str) -> str | None:
    """Digits of a phone or a document number, any separators between them."""
    digits = re.sub(r"\D", "", value)
    if len(digits) < 7:
        return None
    separators = r"[\s().\-–]{0,3}"
    prefix = ""
    if len(digits) == 11 and digits[0] in "78":
        digits = digits[1:]  # +7 and 8 prefixes are written either way
        prefix = rf"(?:(?:\+?7|8){separators})?"
    return r"(?<!\d)" + prefix + separators.join(digits) + r"(?!\d)"


def _word_pattern(word: str) -> str:
    """A word in any case and, for longer words, any grammatical ending."""
    stem = word[:-1] if len(word) >= 5 else word
    return r"(?<!\w)" + re.escape(stem) + r"\w{0,3}(?!\w)"


def _patterns(value: str) -> list[str]:
    patterns = [re.escape(value)]
    digits = _digits_pattern(value)
    if digits:
        patterns.append(digits)
    if "@" not in value:
        words = [word for word in _WORD.findall(value) if len(word) >= _MIN_WORD]
        patterns += [_word_pattern(word) for word in words]
    return patterns


class Tracer:
    """Finds and redacts the personal values of one persona."""

    def __init__(self, persona: Persona, *, extra: Iterable[tuple[str, str]] = ()):
        values = {**persona.values(), **dict(extra)}
        self._patterns = [
            (label, re.compile("|".join(_patterns(value)), re.IGNORECASE))
            for label, value in sorted(values.items())
        ]

    @property
    def labels(self) -> list[str]:
        return [label for label, _ in self._patterns]

    def find(self, text: str, where: str) -> list[Leak]:
        """Every persona value in *text*, reported with redacted context."""
        leaks = []
        for label, pattern in self._patterns:
            match = pattern.search(text)
            if match:
                start, end = max(match.start() - 40, 0), match.end() + 40
                leaks.append(Leak(label, where, self.redact(text[start:end])))
        return leaks

    def redact(self, text: str) -> str:
        """*text* with every persona value replaced by its label."""
        for label, pattern in self._patterns:
            text = pattern.sub(f"‹{label}›", text)
        return text
