"""Fixtures of the harness tests: one replay session shared by the module."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from harness_samples import BOOKING

from leadwire.plugins import load_plugins
from leadwire_harness.session import ReplaySession


@pytest.fixture(scope="session")
def replay_session() -> ReplaySession:
    """Plugins, configuration and language models, loaded once for all tests."""
    return ReplaySession(host=load_plugins())


@pytest.fixture
def write_dialogue(tmp_path: Path) -> Callable[..., Path]:
    """Write a dialogue file (the booking one unless *text* is given)."""

    def write(text: str = BOOKING, name: str = "dialogue_booking.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write
