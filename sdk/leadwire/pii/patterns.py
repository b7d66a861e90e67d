"""A recognizer made of one regular expression: the configuration's custom ones."""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from leadwire.config import PatternRule
from leadwire.models import Entity

__all__ = ["PatternRecognizer"]

_TYPE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z][A-Z0-9]*)*")


@attrs.frozen
class PatternRecognizer:
    """Every match of :attr:`pattern` is an entity of :attr:`type`.

    With a group named ``value`` in the pattern, only that group is the span,
    so a pattern can require context (``договор\\s*№\\s*(?P<value>\\d+)``).
    """

    name: str
    type: str
    pattern: re.Pattern[str]
    score: float = 0.9

    @property
    def entity_types(self) -> frozenset[str]:
        return frozenset({self.type})

    @classmethod
    def from_rule(cls, rule: PatternRule) -> PatternRecognizer:
        """Compile a configuration rule; raise ValueError saying what is wrong."""
        if not _TYPE.fullmatch(rule.type):
            raise ValueError(
                f"type {rule.type!r} must be upper-case letters, digits and "
                "underscores, e.g. CONTRACT"
            )
        try:
            pattern = re.compile(rule.regex, re.IGNORECASE)
        except re.error as error:
            raise ValueError(f"regex is not valid: {error}") from None
        if pattern.match(""):
            raise ValueError("regex matches the empty string; it would find nothing")
        return cls(rule.name, rule.type, pattern)

    def find(self, text: str) -> Sequence[Entity]:
        found = []
        for match in self.pattern.finditer(text):
            group = "value" if "value" in self.pattern.groupindex else 0
            start, end = match.span(group)
            if start < end:
                found.append(
                    Entity(
                        self.type,
                        start,
                        end,
                        text[start:end],
                        score=self.score,
                        recognizer=self.name,
                    )
                )
        return found
