"""Hooks of the consent-store family: where the consent ledger is kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from leadwire.connectors import ConnectorType, ConsentStore
from leadwire.markers import hookspec

# ---------------------------------------------------------------------------
# Registration: called once when the plugins are loaded.


@hookspec
def leadwire_register_consent_stores(
    register: Callable[[ConnectorType[Any, ConsentStore]], None],
) -> None:
    """Register the kinds of consent store a plugin offers.

    :param register: Call it once per kind with a
        :class:`~leadwire.connectors.ConnectorType` whose ``create`` returns a
        :class:`~leadwire.connectors.ConsentStore`. Names are unique across
        plugins.

    The return value is ignored.

    Example::

        @hookimpl
        def leadwire_register_consent_stores(register):
            register(ConnectorType("vault", VaultSettings, VaultLedger, "Ledger"))
    """
