"""Hooks of the CRM family: where leads are filed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from leadwire.connectors import ConnectorType, Crm
from leadwire.markers import hookspec

# ---------------------------------------------------------------------------
# Registration: called once when the plugins are loaded.


@hookspec
def leadwire_register_crms(register: Callable[[ConnectorType[Any, Crm]], None]) -> None:
    """Register the kinds of CRM a plugin offers.

    :param register: Call it once per kind with a
        :class:`~leadwire.connectors.ConnectorType` whose ``create`` returns a
        :class:`~leadwire.connectors.Crm`. Names are unique across plugins.

    The return value is ignored.

    Example::

        @hookimpl
        def leadwire_register_crms(register):
            register(ConnectorType("amocrm", AmoSettings, AmoCrm, "amoCRM leads"))
    """
