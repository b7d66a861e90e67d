"""Access requests and erasure over the records found for one person.

Records are read, deleted or updated in batches, and each record's outcome is
reported on its own: one refused record never hides what happened to the rest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from leadwire import CrmRef, ErasureReport
from leadwire_bitrix24.contacts import multi_values
from leadwire_bitrix24.faults import is_not_found
from leadwire_bitrix24.transport import BatchOutcome, Command, Transport

__all__ = ["blank", "delete", "export"]

#: Multi-fields that hold a way to reach the person; blanking removes them all.
_REACH_FIELDS = ("PHONE", "EMAIL", "IM")


async def export(transport: Transport, refs: Sequence[CrmRef]) -> dict[str, Any]:
    """What the portal holds on each record, and which could not be read."""
    outcomes = await _for_each(transport, refs, "get")
    held: dict[str, Any] = {
        "system": "Bitrix24",
        "portal": transport.portal,
        "leads": [],
        "contacts": [],
        "failed": [],
    }

    for ref in refs:
        outcome = outcomes[_key(ref)]
        if outcome.ok:
            held[f"{ref.entity}s"].append(outcome.result)
        else:
            held["failed"].append(_failure(ref, outcome))
    return held


async def delete(transport: Transport, refs: Sequence[CrmRef]) -> ErasureReport:
    """Delete each record; one already gone counts as erased."""
    outcomes = await _for_each(transport, refs, "delete")
    erased, failed = [], []

    for ref in refs:
        outcome = outcomes[_key(ref)]
        if outcome.ok or is_not_found(outcome.error, outcome.description):
            erased.append(f"{ref.entity}:{ref.id}")
        else:
            failed.append(_failure(ref, outcome))
    return ErasureReport(erased=tuple(erased), failed=tuple(failed))


async def blank(
    transport: Transport, refs: Sequence[CrmRef], fields: Sequence[str]
) -> ErasureReport:
    """Empty *fields* and remove every phone, e-mail and messenger; keep records."""
    records = await _for_each(transport, refs, "get")
    updates: dict[str, Command] = {}
    failed = []

    for ref in refs:
        outcome = records[_key(ref)]
        if not outcome.ok or not isinstance(outcome.result, dict):
            failed.append(_failure(ref, outcome))
            continue
        updates[_key(ref)] = Command(
            f"crm.{ref.entity}.update",
            {"id": ref.id, "fields": _blanked(outcome.result, fields)},
        )

    outcomes = await transport.batch(updates) if updates else {}
    erased, kept = [], []
    for ref in refs:
        outcome = outcomes.get(_key(ref))
        if outcome is None:
            continue
        if outcome.ok:
            erased.append(f"{ref.entity}:{ref.id}: personal fields blanked")
            kept.append(f"{ref.entity}:{ref.id}: record kept without personal data")
        else:
            failed.append(_failure(ref, outcome))

    # XXX: timeline comments of a blanked record keep their text; staff clear them.
    return ErasureReport(erased=tuple(erased), kept=tuple(kept), failed=tuple(failed))


def _blanked(record: Mapping[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    blanked: dict[str, Any] = {field: "" for field in fields}
    for field in _REACH_FIELDS:
        # A multi-field value is removed by sending its ID with an empty VALUE.
        values = [
            {"ID": item["ID"], "VALUE": ""}
            for item in multi_values(record, field)
            if "ID" in item
        ]
        if values:
            blanked[field] = values
    return blanked


async def _for_each(
    transport: Transport, refs: Sequence[CrmRef], action: str
) -> dict[str, BatchOutcome]:
    commands = {
        _key(ref): Command(f"crm.{ref.entity}.{action}", {"id": ref.id}) for ref in refs
    }
    return await transport.batch(commands) if commands else {}


def _key(ref: CrmRef) -> str:
    return f"{ref.entity}_{ref.id}"


def _failure(ref: CrmRef, outcome: BatchOutcome) -> str:
    return f"{ref.entity}:{ref.id}: {outcome.error or 'refused'}"
