"""What the compliance operations take from a started engine."""

from __future__ import annotations

from leadwire.engine import Engine
from leadwire.engine.processing import Connectors
from leadwire.engine.sealing import Keys


def keys_of(engine: Engine) -> Keys:
    """The keys the engine derives from its vault key."""
    return Keys(engine.config.storage.vault_key.reveal())


def connectors_of(engine: Engine) -> Connectors:
    """The engine's connectors; it must have been started."""
    if engine.connectors is None:
        raise RuntimeError("call `await engine.start()` first")
    return engine.connectors
