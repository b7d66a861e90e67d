"""Typed placeholders such as ``[PHONE_1]``, and the per-client map behind them.

A :class:`PlaceholderMap` belongs to one client and keys every value by its
canonical form, so the same phone written two ways is always ``[PHONE_1]``,
in this conversation and the next. Restoring puts back the surface form in
which the client first wrote the value (the LLM's reply does not say which
grammatical case or formatting it wants, and the client's own is always right
to show back).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs

from leadwire.errors import LeadwireError

__all__ = [
    "BUILT_IN_TYPES",
    "Placeholder",
    "PlaceholderMap",
    "UnknownPlaceholderError",
    "parse_placeholder",
]

#: The entity types leadwire's own recognizers produce.
BUILT_IN_TYPES = frozenset(
    {
        "PERSON",
        "PHONE",
        "EMAIL",
        "ADDRESS",
        "PASSPORT",
        "SNILS",
        "INN",
        "CARD",
        "OMS",
        "ACCOUNT",
        "BIRTHDATE",
        "PLATE",
        "HANDLE",
    }
)

_TYPE = r"[A-Z][A-Z0-9]*(?:_[A-Z][A-Z0-9]*)*"
#: A well-formed placeholder: the only shape :meth:`PlaceholderMap.restore` accepts.
PLACEHOLDER = re.compile(rf"\[({_TYPE})_([1-9][0-9]*)\]")


class UnknownPlaceholderError(LeadwireError):
    """A text holds a placeholder this client's map does not know, or a mangled one.

    Raised instead of letting a raw placeholder, or another client's value,
    reach the client. The message names the token's shape, never a value.
    """


@attrs.frozen
class Placeholder:
    """One value of a client and the placeholder that stands for it.

    :param token: The placeholder, e.g. ``[PHONE_1]``.
    :param type: The entity type, e.g. ``PHONE``.
    :param value: The canonical form the map is keyed by (E.164 for phones).
    :param surface: The value as the client first wrote it; restoring uses it.
    """

    token: str
    type: str
    value: str
    surface: str


def parse_placeholder(token: str) -> tuple[str, int] | None:
    """Split ``[PHONE_12]`` into ``("PHONE", 12)``; None if it is not one."""
    match = PLACEHOLDER.fullmatch(token)
    if match is None:
        return None
    return match.group(1), int(match.group(2))


class PlaceholderMap:
    """The placeholders of one client, both ways: value <-> placeholder.

    Mutable: :meth:`placeholder_for` adds what is new. Keep it encrypted
    (:class:`~leadwire.pii.Vault`) and apart from the pseudonymised texts.
    """

    def __init__(
        self, entries: tuple[Placeholder, ...] | list[Placeholder] = ()
    ) -> None:
        self._by_token: dict[str, Placeholder] = {}
        self._by_value: dict[tuple[str, str], Placeholder] = {}
        for entry in entries:
            self._add(entry)

    def _add(self, entry: Placeholder) -> None:
        if parse_placeholder(entry.token) is None:
            raise ValueError("not a placeholder token; expected e.g. [PHONE_1]")
        if entry.token in self._by_token or (entry.type, entry.value) in self._by_value:
            raise ValueError("a placeholder or value appears twice")
        self._by_token[entry.token] = entry
        self._by_value[(entry.type, entry.value)] = entry

    def placeholder_for(self, type: str, value: str, surface: str) -> str:
        """The placeholder of *value* (canonical form) of *type*, made if new."""
        found = self._by_value.get((type, value))
        if found is not None:
            return found.token

        number = 1 + sum(1 for entry in self if entry.type == type)
        token = f"[{type}_{number}]"
        self._add(Placeholder(token, type, value, surface))
        return token

    def lookup(self, token: str) -> Placeholder | None:
        """The entry behind *token*, or None."""
        return self._by_token.get(token)

    def placeholders_of(self, type: str) -> list[str]:
        """The placeholders of *type*, in the order they were made."""
        return [entry.token for entry in self if entry.type == type]

    def values_of(self, type: str) -> list[str]:
        """The canonical values of *type* (E.164 phones, lower-case e-mails)."""
        return [entry.value for entry in self if entry.type == type]

    def types(self) -> set[str]:
        """The entity types this map holds."""
        return {entry.type for entry in self}

    def __iter__(self) -> Iterator[Placeholder]:
        return iter(list(self._by_token.values()))

    def __len__(self) -> int:
        return len(self._by_token)

    def __contains__(self, token: object) -> bool:
        return token in self._by_token

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PlaceholderMap):
            return NotImplemented
        return list(self) == list(other)

    def __repr__(self) -> str:  # never show values
        return f"<PlaceholderMap of {len(self)} placeholder(s)>"

    # -- serialisation, for the vault -------------------------------------

    def to_records(self) -> list[dict[str, str]]:
        """Plain records for serialisation."""
        return [attrs.asdict(entry) for entry in self]

    @classmethod
    def from_records(cls, records: list[dict[str, str]]) -> PlaceholderMap:
        """Rebuild a map from :meth:`to_records`; raise ValueError if malformed."""
        if not isinstance(records, list):
            raise ValueError("expected a list of placeholder records")
        entries = []
        for record in records:
            if not isinstance(record, dict):
                raise ValueError("expected placeholder records as objects")
            try:
                entries.append(
                    Placeholder(
                        str(record["token"]),
                        str(record["type"]),
                        str(record["value"]),
                        str(record["surface"]),
                    )
                )
            except KeyError as error:
                raise ValueError(f"placeholder record lacks {error}") from None
        return cls(entries)
