"""Fixtures for the core's tests: sample plugins written as real modules."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import pytest


@pytest.fixture
def write_plugin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[[str, str], metadata.EntryPoint]:
    """Write a plugin module and return an entry point that names it."""
    monkeypatch.syspath_prepend(str(tmp_path))
    written: list[str] = []

    def write(module: str, source: str) -> metadata.EntryPoint:
        (tmp_path / f"{module}.py").write_text(textwrap.dedent(source), "utf-8")
        written.append(module)
        return metadata.EntryPoint(name=module, value=module, group="leadwire")

    yield write
    for module in written:
        sys.modules.pop(module, None)
