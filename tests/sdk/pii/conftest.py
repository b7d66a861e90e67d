"""Fixtures of the personal-data tests: the built-in recognizers, loaded once."""

from __future__ import annotations

import random

import pytest

from leadwire.pii import Detector, PlaceholderMap, Pseudonymizer
from leadwire.pii.builtins import built_in_recognizers


@pytest.fixture(scope="session")
def detector() -> Detector:
    """A detector of every built-in recognizer; the language models load once."""
    return Detector.build(built_in_recognizers())


@pytest.fixture
def pseudonymizer(detector: Detector) -> Pseudonymizer:
    return Pseudonymizer(detector)


@pytest.fixture
def mapping() -> PlaceholderMap:
    return PlaceholderMap()


@pytest.fixture
def rng() -> random.Random:
    """A seeded generator for invented numbers."""
    return random.Random(152)
