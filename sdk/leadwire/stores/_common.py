"""What both local stores need: the database the engine handed them."""

from __future__ import annotations

from leadwire.connectors import ConnectorContext
from leadwire.engine.database import Database
from leadwire.errors import PluginError


def database_of(context: ConnectorContext) -> Database:
    """The engine's database; the local stores cannot work without it."""
    if context.database is None:
        raise PluginError(
            "the local stores keep records in leadwire's database and run only "
            "inside the engine (leadwire serve)",
            plugin="local",
        )
    return context.database
