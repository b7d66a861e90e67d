"""Fixtures shared by the whole suite."""

from __future__ import annotations

import pytest

from leadwire.plugins import ENV_PLUGINS


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts with all plugins allowed and no operator configuration."""
    monkeypatch.delenv(ENV_PLUGINS, raising=False)
    monkeypatch.delenv("LEADWIRE_CONFIG", raising=False)
