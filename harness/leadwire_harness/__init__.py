"""leadwire's harness: scripted dialogues replayed through the real engine.

Every provider is mocked at the HTTP layer, time is a fake clock, faults are
injected on the way, and each replay is checked for its expected outcome and
for what 152-FZ demands of any conversation. ``leadwire replay`` runs the
bundled dialogues; ``docs/harness.md`` describes the dialogue format.

The names below load on first use, so that importing the package (pytest
does, for its plugin) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "Dialogue",
    "DialogueError",
    "FakeClock",
    "Providers",
    "ReplaySession",
    "bundled_paths",
    "load_dialogue",
    "run_replays",
]

_WHERE = {
    "Dialogue": "leadwire_harness.dialogue",
    "DialogueError": "leadwire_harness.loader",
    "FakeClock": "leadwire_harness.clock",
    "Providers": "leadwire_harness.providers",
    "ReplaySession": "leadwire_harness.session",
    "bundled_paths": "leadwire_harness.loader",
    "load_dialogue": "leadwire_harness.loader",
    "run_replays": "leadwire_harness.session",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'leadwire_harness' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
