"""The ``local`` plugin: registers the local consent store and the local CRM."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from leadwire.connectors import ConnectorType
from leadwire.markers import hookimpl
from leadwire.stores.consent import LocalConsentStore, LocalSettings
from leadwire.stores.crm import LocalCrm


@hookimpl
def leadwire_register_consent_stores(
    register: Callable[[ConnectorType[Any, Any]], None],
) -> None:
    register(
        ConnectorType(
            "local",
            LocalSettings,
            LocalConsentStore,
            "Consent ledger in leadwire's own database",
        )
    )


@hookimpl
def leadwire_register_crms(register: Callable[[ConnectorType[Any, Any]], None]) -> None:
    register(
        ConnectorType("local", LocalSettings, LocalCrm, "Leads in leadwire's database")
    )
