"""Inbound events to and from the JSON kept (sealed) in the inbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import cattrs

from leadwire.models import InboundEvent

__all__ = ["dump_event", "load_event"]

_converter = cattrs.Converter()
_converter.register_unstructure_hook(datetime, datetime.isoformat)
_converter.register_structure_hook(datetime, lambda raw, _: datetime.fromisoformat(raw))


def dump_event(event: InboundEvent) -> dict[str, Any]:
    """The event as JSON-able data."""
    return _converter.unstructure(event)


def load_event(document: dict[str, Any]) -> InboundEvent:
    """The event written by :func:`dump_event`."""
    return _converter.structure(document, InboundEvent)
