"""Replacing personal data with placeholders, and putting it back."""

from __future__ import annotations

import logging
import re

import attrs

from leadwire.models import Entity
from leadwire.pii.detector import Detector
from leadwire.pii.placeholders import (
    BUILT_IN_TYPES,
    PLACEHOLDER,
    PlaceholderMap,
    UnknownPlaceholderError,
)

__all__ = ["Pseudonymized", "Pseudonymizer", "canonical"]

logger = logging.getLogger(__name__)

_DIGITS_ONLY = {"SNILS", "INN", "CARD", "OMS", "ACCOUNT", "PASSPORT"}


@attrs.frozen
class Pseudonymized:
    """A text with its personal data replaced.

    :param text: What may reach the LLM.
    :param entities: What was replaced, spans in the original text;
        ``normalized`` holds the canonical value (E.164 for phones).
    :param placeholders: The placeholder that replaced each entity.
    """

    text: str
    entities: tuple[Entity, ...]
    placeholders: tuple[str, ...] = ()

    def values_of(self, type: str) -> list[str]:
        """The canonical values of *type* found in this text, first seen first:
        E.164 phones, lower-case e-mails, lemmas of names ("кузнецов дарья")."""
        values = [canonical(e) for e in self.entities if e.type == type]
        return list(dict.fromkeys(values))

    def written_of(self, type: str) -> list[str]:
        """The values of *type* as the client wrote them ("Кузнецова Дарья"),
        first seen first; what a lead's name field wants."""
        return list(dict.fromkeys(e.value for e in self.entities if e.type == type))


def canonical(entity: Entity) -> str:
    """The form a value is keyed by: the same for every way of writing it."""
    if entity.normalized:
        return entity.normalized
    if entity.type in _DIGITS_ONLY:
        return re.sub(r"\D", "", entity.value) or entity.value
    return " ".join(entity.value.split()).casefold()


class Pseudonymizer:
    """Replaces what a :class:`~leadwire.pii.Detector` finds with placeholders."""

    def __init__(self, detector: Detector) -> None:
        self.detector = detector

    def pseudonymize(self, text: str, mapping: PlaceholderMap) -> Pseudonymized:
        """Replace every entity in *text*; new placeholders are added to *mapping*.

        Raise :class:`~leadwire.errors.DetectionError` if detection fails.
        """
        entities = self.detector.detect(text)

        parts = []
        tokens = []
        position = 0
        for entity in entities:
            token = mapping.placeholder_for(
                entity.type, canonical(entity), entity.value
            )
            parts += [text[position : entity.start], token]
            tokens.append(token)
            position = entity.end
        parts.append(text[position:])

        logger.debug("replaced %d entities", len(entities))
        return Pseudonymized("".join(parts), tuple(entities), tuple(tokens))

    def restore(self, text: str, mapping: PlaceholderMap) -> str:
        """Put the client's values back in place of the placeholders in *text*.

        Raise :class:`UnknownPlaceholderError` if *text* holds a placeholder
        that *mapping* does not know, or a mangled one (``[PHONE 1]``,
        ``PHONE_1]``, ``[phone_1]``): it must not reach the client as is.
        """
        return restore(text, mapping)


def restore(text: str, mapping: PlaceholderMap) -> str:
    """See :meth:`Pseudonymizer.restore`."""
    suspicious = _suspicious(BUILT_IN_TYPES | mapping.types())

    parts = []
    position = 0
    for match in PLACEHOLDER.finditer(text):
        _check(text[position : match.start()], suspicious)
        entry = mapping.lookup(match.group(0))
        if entry is None:
            raise UnknownPlaceholderError(
                f"the text holds placeholder {match.group(0)}, which this "
                "client's map does not have; do not send it"
            )
        parts += [text[position : match.start()], entry.surface]
        position = match.end()
    _check(text[position:], suspicious)
    parts.append(text[position:])
    return "".join(parts)


def _suspicious(types: set[str] | frozenset[str]) -> re.Pattern[str]:
    """What a placeholder of *types* looks like once an LLM has mangled it.

    Square brackets are the placeholders' own: "[phone_1]", "[PHONE 1",
    "[PHONE_01]", "PHONE_1]" are refused, while "(email или телефон)" and
    "iPhone 15" pass. Upper-case "PHONE_1" is refused in any brackets or none.
    """
    names = "|".join(sorted((re.escape(t) for t in types), key=len, reverse=True))
    return re.compile(
        rf"\[\s*(?i:{names})(?![a-zа-яё])"  # "[" and a type
        rf"|(?<![A-Za-z])(?i:{names})\s*[_\- ]?\s*\d+\s*\]"  # a type, a number, "]"
        rf"|(?<![A-Za-z])(?:{names})[_\-]\d+"  # TYPE_1 without square brackets
        r"|\[\s*[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*\s*[_ ]\s*\d+\s*\]"  # [OTHER_TYPE 1]
    )


def _check(stretch: str, suspicious: re.Pattern[str]) -> None:
    match = suspicious.search(stretch)
    if match is not None:
        raise UnknownPlaceholderError(
            "the text holds a mangled placeholder "
            f"({_shape(match.group(0))}); do not send it"
        )


def _shape(token: str) -> str:
    """A token's shape without digits, safe for messages and logs."""
    return re.sub(r"\d+", "N", token.strip())[:40]
