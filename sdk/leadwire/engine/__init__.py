"""The conversation engine: durable intake, the consent gate, the assistant
turn, the lead hand-off and the audit log.

See ``docs/engine.md`` for the steps of processing and the audit actions.
"""

from leadwire.engine.app import create_app
from leadwire.engine.engine import STEPS, Engine

__all__ = ["STEPS", "Engine", "create_app"]
