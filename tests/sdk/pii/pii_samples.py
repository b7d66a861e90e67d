"""Invented values for the personal-data tests."""

from __future__ import annotations

import random

from leadwire.pii import Detector


def digits(rng: random.Random, count: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(count))


def fake_phone(rng: random.Random) -> str:
    """Ten digits of a mobile number in the obviously fake block 9xx 000-xx-xx."""
    return f"9{rng.randint(0, 99):02d}000{digits(rng, 4)}"


def found(detector: Detector, text: str) -> list[tuple[str, str]]:
    """(type, value) of every entity in *text*."""
    return [(entity.type, entity.value) for entity in detector.detect(text)]
