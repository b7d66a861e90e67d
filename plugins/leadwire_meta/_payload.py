"""Reading the loose JSON of Meta's webhook deliveries.

A delivery is trusted only as far as its shape goes: the envelope must be
there (an ``object`` of the subscribed product, an ``entry`` list), anything
deeper is read leniently. An error names the place in the body and the
product, never a value from it: values are personal data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

import attrs

from leadwire import EventKind, InboundEvent


@attrs.frozen
class DeliveryReader:
    """Reads one product's webhook bodies, naming the product in its errors.

    :param product: The product as messages name it: ``"WhatsApp"``.
    :param kind: The ``object`` of its deliveries: ``"instagram"``.
    """

    product: str
    kind: str

    def load(self, body: bytes) -> Mapping[str, Any]:
        """The delivery's JSON object; ValueError if it is not one of ours."""
        try:
            document = json.loads(body)
        except ValueError:
            raise ValueError(
                f"the {self.product} webhook body is not valid JSON"
            ) from None

        if not isinstance(document, dict):
            raise ValueError(f"the {self.product} webhook body is not a JSON object")

        kind = document.get("object")
        if kind != self.kind:
            raise ValueError(
                f"the webhook body is for object {str(kind)[:40]!r}, not "
                f"{self.kind!r}; check which Meta product this callback URL is "
                "subscribed to"
            )
        return document

    def entries(self, body: bytes) -> Iterator[tuple[Mapping[str, Any], str, str]]:
        """Each entry of a delivery: the entry, its id (or ""), where it stands.

        ValueError if the body is not a delivery of ours or an entry is not an
        object; the entries before it have been given by then.
        """
        document = self.load(body)
        for index, raw in enumerate(self.array(document, "entry", "body")):
            where = f"entry[{index}]"
            entry = self.object(raw, where)
            yield entry, string(entry.get("id")) or "", where

    def object(self, value: Any, where: str) -> Mapping[str, Any]:
        """*value* as an object; ValueError naming *where* if it is not one."""
        if not isinstance(value, dict):
            raise ValueError(
                f"{where} in the {self.product} webhook body is not an object"
            )
        return value

    def array(
        self,
        container: Mapping[str, Any],
        key: str,
        where: str,
        *,
        required: bool = True,
    ) -> list[Any]:
        """The list under *key*; an absent optional list reads as empty."""
        value = container.get(key)
        if value is None and not required:
            return []
        if not isinstance(value, list):
            raise ValueError(
                f"{where}.{key} in the {self.product} webhook body is not a list"
            )
        return value

    def required(self, container: Mapping[str, Any], key: str, where: str) -> str:
        """The non-empty string under *key*; ValueError naming it if absent."""
        value = string(container.get(key))
        if not value:
            raise ValueError(
                f"{where} in the {self.product} webhook body has no {key!r}"
            )
        return value


def unnoticed(
    item: Any, field: str, entry_id: str, channel: str, received_at: datetime
) -> InboundEvent:
    """An UNSUPPORTED event for a part of a delivery that is no client's message.

    Account notices, comments, standby items: kept for the record under the
    entry's id, with an id hashed from the part, since Meta gives it none.
    """
    return InboundEvent(
        channel=channel,
        event_id=f"{entry_id}:{field}:{digest(item)}",
        kind=EventKind.UNSUPPORTED,
        conversation=entry_id,
        occurred_at=received_at,
        payload=field,
    )


def loose(value: Any) -> Mapping[str, Any]:
    """An optional nested object: anything else reads as empty."""
    return value if isinstance(value, dict) else {}


def string(value: Any) -> str | None:
    """A string, or a number written as one; None for anything else."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def digest(value: Any) -> str:
    """A stable id for something Meta gave no id: a hash of its JSON."""
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]
