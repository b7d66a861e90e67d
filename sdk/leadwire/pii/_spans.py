"""Turning recognizers' raw findings into a clean, non-overlapping list."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from leadwire.models import Entity


def resolve(found: Iterable[Entity], text: str) -> list[Entity]:
    """Keep one entity per stretch of text, sorted by start.

    Longer spans win, then surer ones: a card number beats the phone-shaped
    run inside it, an address beats the street's namesake person. A span that
    only partly overlaps a kept one is merged into it rather than dropped, so
    no character of either reaches the LLM. Adjacent spans both stay.
    """
    ranked = sorted(found, key=lambda e: (-(e.end - e.start), -e.score, e.start))
    kept: list[Entity] = []
    for candidate in ranked:
        overlapping = [e for e in kept if _overlap(e, candidate)]
        if not overlapping:
            kept.append(candidate)
        elif not any(_contains(e, candidate) for e in overlapping):
            kept.remove(overlapping[0])
            kept.append(_union(overlapping[0], candidate))

    merged: list[Entity] = []
    for entity in sorted(kept, key=lambda e: e.start):
        if merged and _overlap(merged[-1], entity):
            merged[-1] = _union(merged[-1], entity)
        else:
            merged.append(entity)
    return [_with_value(entity, text) for entity in merged]


def _overlap(a: Entity, b: Entity) -> bool:
    return a.start < b.end and b.start < a.end


def _contains(outer: Entity, inner: Entity) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _union(kept: Entity, other: Entity) -> Entity:
    """The kept entity stretched over *other*; its canonical form no longer holds."""
    return attrs.evolve(
        kept,
        start=min(kept.start, other.start),
        end=max(kept.end, other.end),
        normalized=None,
    )


def _with_value(entity: Entity, text: str) -> Entity:
    value = text[entity.start : entity.end]
    return entity if entity.value == value else attrs.evolve(entity, value=value)
